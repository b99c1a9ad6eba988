package gov.yuancheng.supervision.task.attachment;

/** A file that is not accepted as evidence; answered with 400 (or 413 when too large). */
public class RefusedFileException extends RuntimeException {

    public RefusedFileException(String message) {
        super(message);
    }
}
