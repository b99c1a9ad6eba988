package gov.yuancheng.supervision.task.web;

class TaskNotFoundException extends RuntimeException {

    TaskNotFoundException(String id) {
        super("No task " + id + " that you may see.");
    }
}
