package gov.yuancheng.supervision.stack;

/** A failure to start the stack, with a message meant for the person who ran it. */
final class StackException extends RuntimeException {

    StackException(String message) {
        super(message);
    }
}
