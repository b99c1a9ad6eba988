package gov.yuancheng.supervision.notify.directory;

/** A member of a unit as Keycloak knows them; {@code email} may be missing. */
public record Person(String username, String email, String name) {
}
