package gov.yuancheng.supervision.task.domain;

/** 牵头单位 answers for completion; 配合单位 reports its part. */
public enum AssignmentRole {
    LEAD, CO
}
