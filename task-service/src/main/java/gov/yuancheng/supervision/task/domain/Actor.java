package gov.yuancheng.supervision.task.domain;

import java.util.List;

/** Who did something: taken from the verified token, never from the request body. */
public record Actor(String id, String username, String name, String unit, List<String> roles) {

    public Actor {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Office staff, inspectors and administrators read every task; units and leaders only their own. */
    public boolean readsAllTasks() {
        return hasRole(Roles.SUPERVISOR) || hasRole(Roles.INSPECTOR) || hasRole(Roles.ADMIN);
    }
}
