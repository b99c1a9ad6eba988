package gov.yuancheng.supervision.task.ledger;

import java.util.Map;

import gov.yuancheng.supervision.task.domain.AssignmentRole;
import gov.yuancheng.supervision.task.domain.AssignmentState;
import gov.yuancheng.supervision.task.domain.Light;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.TaskStatus;

/** The Chinese words of the ledger (督办台账), as a supervision office writes them. */
final class Labels {

    /** The key areas of the district's work plan (源城区第八次党代会), the demo categories. */
    static final Map<String, String> CATEGORIES = Map.of(
            "urban-economy", "大力发展都市经济，构建现代产业体系",
            "reform-opening", "深化改革扩大开放",
            "livelihood", "着力改善人民生活品质",
            "city-quality", "建设宜居宜业宜游城市",
            "rural-revitalization", "深入实施乡村振兴战略",
            "party-building", "加强党的全面领导");

    private Labels() {
    }

    static String category(String code) {
        return code == null ? "" : CATEGORIES.getOrDefault(code, code);
    }

    static String source(Source source) {
        if (source == null) {
            return "";
        }
        String kind = switch (source.kind()) {
            case PARTY_CONGRESS_REPORT -> "党代会报告";
            case LEADERSHIP_INSTRUCTION -> "领导批示";
            case MEETING_DECISION -> "会议决定";
            case PROPOSAL -> "建议提案";
        };
        return source.reference() == null ? kind : kind + "（" + source.reference() + "）";
    }

    static String role(AssignmentRole role) {
        return role == AssignmentRole.LEAD ? "牵头单位" : "配合单位";
    }

    static String state(AssignmentState state) {
        return switch (state) {
            case ASSIGNED -> "待签收";
            case ACKNOWLEDGED -> "办理中";
            case COMPLETION_REQUESTED -> "待审核";
            case COMPLETED -> "已办结";
            case CLOSED -> "已关闭";
        };
    }

    static String status(TaskStatus status) {
        return switch (status) {
            case ACTIVE -> "推进中";
            case SUSPENDED -> "已暂停";
            case COMPLETED -> "已办结";
            case CANCELLED -> "已撤销";
        };
    }

    static String light(Light light) {
        return switch (light) {
            case RED -> "红灯";
            case YELLOW -> "黄灯";
            case GREEN -> "绿灯";
            case NONE -> "—";
        };
    }

    static String priority(Priority priority) {
        return priority == null ? "" : switch (priority) {
            case HIGH -> "高";
            case NORMAL -> "中";
            case LOW -> "低";
        };
    }
}
