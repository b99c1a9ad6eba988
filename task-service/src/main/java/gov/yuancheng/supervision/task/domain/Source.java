package gov.yuancheng.supervision.task.domain;

/** 来源: where a task comes from, with its reference (document number, meeting, proposal number). */
public record Source(Kind kind, String reference) {

    public enum Kind {
        PARTY_CONGRESS_REPORT, LEADERSHIP_INSTRUCTION, MEETING_DECISION, PROPOSAL
    }
}
