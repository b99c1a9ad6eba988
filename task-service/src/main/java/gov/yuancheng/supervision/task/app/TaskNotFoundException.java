package gov.yuancheng.supervision.task.app;

/** No such task, or one the caller may not see: both answer 404, so ids reveal nothing. */
public class TaskNotFoundException extends RuntimeException {

    public TaskNotFoundException(String id) {
        super("No task " + id + " that you may see.");
    }
}
