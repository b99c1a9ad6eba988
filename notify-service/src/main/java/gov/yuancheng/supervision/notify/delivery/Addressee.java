package gov.yuancheng.supervision.notify.delivery;

/** Who a notification is for: a unit (every member) or one user. Written {@code unit:<code>} / {@code user:<name>}. */
public record Addressee(Type type, String id) {

    public enum Type {
        UNIT, USER
    }

    public static Addressee unit(String code) {
        return new Addressee(Type.UNIT, code);
    }

    public static Addressee user(String username) {
        return new Addressee(Type.USER, username);
    }

    public static Addressee parse(String text) {
        int colon = text.indexOf(':');
        return new Addressee(Type.valueOf(text.substring(0, colon).toUpperCase()), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type.name().toLowerCase() + ":" + id;
    }
}
