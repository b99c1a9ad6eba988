package gov.yuancheng.supervision.task.domain;

import java.util.Set;

/** An action the task's current state does not allow; answered with 409 naming the allowed actions. */
public class IllegalTransitionException extends RuntimeException {

    private final Action action;
    private final Set<Action> allowed;

    public IllegalTransitionException(Action action, String why, Set<Action> allowed) {
        super(why);
        this.action = action;
        this.allowed = Set.copyOf(allowed);
    }

    public Action action() {
        return action;
    }

    public Set<Action> allowed() {
        return allowed;
    }
}
