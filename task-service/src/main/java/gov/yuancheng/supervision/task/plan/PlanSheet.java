package gov.yuancheng.supervision.task.plan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Reads a work plan from a spreadsheet, one task per row, in the columns an office keeps
 * (序号, 上级序号, 事项名称, 类别, 来源, 来源文号, 优先级, 责任领导, 牵头单位, 配合单位, 期限, 工作日数,
 * 报送周期, 报送日), into the same shape as a YAML plan; a row names its parent by 上级序号.
 */
final class PlanSheet {

    static final List<String> COLUMNS = List.of("序号", "上级序号", "事项名称", "类别", "来源", "来源文号", "优先级",
            "责任领导", "牵头单位", "配合单位", "期限", "工作日数", "报送周期", "报送日");

    private static final Map<String, String> SOURCES = Map.of("党代会报告", "PARTY_CONGRESS_REPORT", "领导批示",
            "LEADERSHIP_INSTRUCTION", "会议决定", "MEETING_DECISION", "建议提案", "PROPOSAL");
    private static final Map<String, String> PRIORITIES = Map.of("高", "HIGH", "中", "NORMAL", "低", "LOW");
    private static final Map<String, String> CYCLES = Map.of("无", "NONE", "每周", "WEEKLY", "每半月", "HALF_MONTHLY",
            "每月", "MONTHLY", "每季度", "QUARTERLY");

    private PlanSheet() {
    }

    /** The plan as a YAML-shaped map; each task carries the label of its row for error messages. */
    static Map<String, Object> read(byte[] xlsx, List<PlanImport.Problem> problems) {
        Map<String, Object> plan = new LinkedHashMap<>();
        List<Object> roots = new ArrayList<>();
        plan.put("tasks", roots);
        try (var workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet sheet = workbook.getSheetAt(0);
            plan.put("plan", sheet.getSheetName());
            DataFormatter format = new DataFormatter();
            Row header = sheet.getRow(0);
            Map<String, Integer> column = new HashMap<>();
            for (Cell cell : header) {
                column.put(format.formatCellValue(cell).strip(), cell.getColumnIndex());
            }
            for (String required : List.of("序号", "事项名称", "类别", "牵头单位")) {
                if (!column.containsKey(required)) {
                    problems.add(new PlanImport.Problem("第 1 行", "The column " + required + " is missing."));
                }
            }
            if (!problems.isEmpty()) {
                return plan;
            }
            Map<String, Map<String, Object>> byNumber = new HashMap<>();
            for (int r = 1; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null || text(row, column, "事项名称", format).isEmpty()) {
                    continue;
                }
                String label = "第 " + (r + 1) + " 行";
                try {
                    Map<String, Object> task = task(row, column, format, label);
                    byNumber.put(text(row, column, "序号", format), task);
                    String parent = text(row, column, "上级序号", format);
                    if (parent.isEmpty()) {
                        roots.add(task);
                    }
                    else if (byNumber.containsKey(parent)) {
                        @SuppressWarnings("unchecked")
                        List<Object> children = (List<Object>) byNumber.get(parent)
                                .computeIfAbsent("subtasks", k -> new ArrayList<>());
                        children.add(task);
                    }
                    else {
                        problems.add(new PlanImport.Problem(label, "上级序号 " + parent + " names no earlier row."));
                    }
                }
                catch (IllegalArgumentException e) {
                    problems.add(new PlanImport.Problem(label, e.getMessage()));
                }
            }
        }
        catch (IOException | RuntimeException e) {
            if (problems.isEmpty()) {
                problems.add(new PlanImport.Problem("file", "Not a readable .xlsx workbook."));
            }
        }
        return plan;
    }

    private static Map<String, Object> task(Row row, Map<String, Integer> column, DataFormatter format, String label) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("_label", label);
        task.put("title", text(row, column, "事项名称", format));
        task.put("category", text(row, column, "类别", format));
        String source = text(row, column, "来源", format);
        if (!source.isEmpty()) {
            task.put("source", Map.of("kind", lookup(SOURCES, source, "来源"), "reference",
                    text(row, column, "来源文号", format)));
        }
        putIfPresent(task, "priority", lookupOrEmpty(PRIORITIES, text(row, column, "优先级", format), "优先级"));
        putIfPresent(task, "responsibleLeader", text(row, column, "责任领导", format));
        task.put("leadUnit", text(row, column, "牵头单位", format));
        String coUnits = text(row, column, "配合单位", format);
        task.put("coUnits", coUnits.isEmpty() ? List.of() : List.of(coUnits.split("\\s*[、,，;；]\\s*")));
        Cell deadline = cell(row, column, "期限");
        if (deadline != null && deadline.getCellType() == CellType.NUMERIC && DateUtil.isCellDateFormatted(deadline)) {
            task.put("deadline", deadline.getLocalDateTimeCellValue().toLocalDate().toString());
        }
        else {
            putIfPresent(task, "deadline", text(row, column, "期限", format));
        }
        String days = text(row, column, "工作日数", format);
        if (!days.isEmpty()) {
            task.put("deadlineWorkingDays", Integer.parseInt(days));
        }
        String cycle = text(row, column, "报送周期", format);
        if (!cycle.isEmpty()) {
            String day = text(row, column, "报送日", format);
            task.put("reportingCycle", Map.of("kind", lookup(CYCLES, cycle, "报送周期"), "dueDay",
                    day.isEmpty() ? 0 : Integer.parseInt(day)));
        }
        return task;
    }

    private static String lookup(Map<String, String> words, String value, String column) {
        String code = words.get(value);
        if (code == null) {
            throw new IllegalArgumentException(column + " '" + value + "' is not one of " + words.keySet() + ".");
        }
        return code;
    }

    private static String lookupOrEmpty(Map<String, String> words, String value, String column) {
        return value.isEmpty() ? "" : lookup(words, value, column);
    }

    private static void putIfPresent(Map<String, Object> task, String key, String value) {
        if (value != null && !value.isEmpty()) {
            task.put(key, value);
        }
    }

    private static Cell cell(Row row, Map<String, Integer> column, String name) {
        Integer index = column.get(name);
        return index == null ? null : row.getCell(index);
    }

    private static String text(Row row, Map<String, Integer> column, String name, DataFormatter format) {
        Cell cell = cell(row, column, name);
        return cell == null ? "" : format.formatCellValue(cell).strip();
    }
}
