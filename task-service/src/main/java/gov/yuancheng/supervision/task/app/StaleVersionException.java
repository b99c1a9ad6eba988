package gov.yuancheng.supervision.task.app;

/** The client's If-Match names a version that is no longer current; answered with 412. */
public class StaleVersionException extends RuntimeException {

    public StaleVersionException(long expected, long current) {
        super("The task changed meanwhile: you sent version " + expected + ", the current one is " + current
                + ". Reload it and try again.");
    }
}
