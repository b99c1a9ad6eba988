package gov.yuancheng.supervision.task.domain;

/** The caller's role may not do this to a task they can see; answered with 403. */
public class NotPermittedException extends RuntimeException {

    public NotPermittedException(String message) {
        super(message);
    }
}
