package gov.yuancheng.supervision.task.domain;

/** 红黄绿灯. GREEN on track, YELLOW due soon / report missed / unacknowledged too long, RED overdue; NONE when closed. */
public enum Light {
    NONE, GREEN, YELLOW, RED;

    Light worse(Light other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
