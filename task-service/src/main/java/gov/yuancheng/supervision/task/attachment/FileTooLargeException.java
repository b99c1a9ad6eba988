package gov.yuancheng.supervision.task.attachment;

/** Answered with 413. */
public class FileTooLargeException extends RefusedFileException {

    public FileTooLargeException(String message) {
        super(message);
    }
}
