package gov.yuancheng.supervision.task.domain;

/** 交办 → 签收 → (进度反馈 …) → 申请办结 → 办结, or back by 退回. */
public enum AssignmentState {
    ASSIGNED, ACKNOWLEDGED, COMPLETION_REQUESTED, COMPLETED, CLOSED
}
