package gov.yuancheng.supervision.notify.events;

/** A message that is not an event we can read: retrying cannot help, so it goes to the dead-letter topic. */
class InvalidEventException extends RuntimeException {

    InvalidEventException(String message) {
        super(message);
    }
}
