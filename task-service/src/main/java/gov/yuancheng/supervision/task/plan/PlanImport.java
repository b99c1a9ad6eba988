package gov.yuancheng.supervision.task.plan;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gov.yuancheng.supervision.task.app.TaskWorkflow;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Context;
import gov.yuancheng.supervision.task.domain.Milestone;
import gov.yuancheng.supervision.task.domain.NewTask;
import gov.yuancheng.supervision.task.domain.Priority;
import gov.yuancheng.supervision.task.domain.ReportingCycle;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.Task;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import org.springframework.stereotype.Component;

/**
 * Turns a work plan (YAML) into tasks and sub-tasks. Every item is checked first, with the same rules
 * as a single registration; one bad item refuses the whole plan, with every problem named by its
 * item. Each item's task carries a key derived from the plan and the item's place in it, so an
 * import interrupted midway and run again completes the plan without duplicating a task.
 */
@Component
public class PlanImport {

    private final TaskWorkflow workflow;

    public PlanImport(TaskWorkflow workflow) {
        this.workflow = workflow;
    }

    public record Problem(String item, String message) {
    }

    public static class InvalidPlanException extends RuntimeException {

        private final List<Problem> problems;

        InvalidPlanException(List<Problem> problems) {
            super("The plan has " + problems.size() + " problem(s); nothing was imported.");
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    public record Result(String plan, int tasks, int created, List<String> taskIds) {
    }

    private record Item(String label, String path, NewTask task, List<Item> children) {
    }

    /** A plan kept as a spreadsheet (see {@link PlanSheet} for the columns). */
    public Result importXlsx(byte[] xlsx, Actor actor, RequestOrigin origin) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> root = PlanSheet.read(xlsx, problems);
        return importPlan(root, xlsx, actor, origin, problems);
    }

    public Result importYaml(byte[] yaml, Actor actor, RequestOrigin origin) {
        Map<String, Object> root;
        try {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new InvalidPlanException(List.of(new Problem("plan", "The file is not a plan (a YAML mapping).")));
            }
            root = cast(map);
        }
        catch (YAMLException e) {
            throw new InvalidPlanException(List.of(new Problem("plan", "Not readable as YAML: " + e.getMessage())));
        }
        return importPlan(root, yaml, actor, origin, new ArrayList<>());
    }

    private Result importPlan(Map<String, Object> root, byte[] content, Actor actor, RequestOrigin origin,
            List<Problem> problems) {
        String name = text(root.get("plan"));
        Source defaultSource = source(root.get("source"));
        List<Item> items = items(root.get("tasks"), "", null, defaultSource, problems);
        if (items.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem("tasks", "The plan lists no tasks."));
        }
        Context context = workflow.context(actor, origin);
        for (Item item : items) {
            dryRun(item, Optional.empty(), context, problems);
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparing(Problem::item, PlanImport::byNumber));
            throw new InvalidPlanException(problems);
        }
        String planKey = "plan:" + digest(content);
        List<String> ids = new ArrayList<>();
        int[] created = {0};
        for (Item item : items) {
            register(item, null, planKey, actor, origin, ids, created);
        }
        return new Result(name, ids.size(), created[0], ids);
    }

    /** Orders "第 4 行" before "第 10 行". */
    private static int byNumber(String a, String b) {
        String da = a.replaceAll("\\D+", " ").strip();
        String db = b.replaceAll("\\D+", " ").strip();
        if (da.isEmpty() || db.isEmpty()) {
            return a.compareTo(b);
        }
        String[] pa = da.split(" ");
        String[] pb = db.split(" ");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = Long.compare(Long.parseLong(pa[i]), Long.parseLong(pb[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    private void register(Item item, String parentId, String planKey, Actor actor, RequestOrigin origin,
            List<String> ids, int[] created) {
        NewTask task = item.task();
        NewTask withParent = new NewTask(parentId, task.title(), task.description(), task.source(), task.category(),
                task.priority(), task.responsibleLeader(), task.leadUnit(), task.coUnits(), task.deadline(),
                task.deadlineWorkingDays(), task.reportingCycle(), task.milestones());
        TaskWorkflow.Registered registered = workflow.register(withParent, planKey + ":" + item.path(), actor, origin);
        ids.add(registered.task().id());
        if (registered.created()) {
            created[0]++;
        }
        for (Item child : item.children()) {
            register(child, registered.task().id(), planKey, actor, origin, ids, created);
        }
    }

    private void dryRun(Item item, Optional<Task> parent, Context context, List<Problem> problems) {
        NewTask task = item.task();
        NewTask checked = parent.isEmpty() ? task : new NewTask(parent.get().id(), task.title(), task.description(),
                task.source(), task.category(), task.priority(), task.responsibleLeader(), task.leadUnit(),
                task.coUnits(), task.deadline(), task.deadlineWorkingDays(), task.reportingCycle(), task.milestones());
        try {
            Task dry = Task.register(checked, parent, null, context);
            for (Item child : item.children()) {
                dryRun(child, Optional.of(dry), context, problems);
            }
        }
        catch (RuntimeException e) {
            problems.add(new Problem(item.label(), e.getMessage()));
        }
    }

    private List<Item> items(Object list, String prefix, String parentCategory, Source defaultSource,
            List<Problem> problems) {
        List<Item> items = new ArrayList<>();
        if (list == null) {
            return items;
        }
        if (!(list instanceof List<?> entries)) {
            problems.add(new Problem(prefix.isEmpty() ? "tasks" : prefix, "Expected a list of tasks."));
            return items;
        }
        for (int i = 0; i < entries.size(); i++) {
            String path = prefix.isEmpty() ? String.valueOf(i + 1) : prefix + "." + (i + 1);
            if (!(entries.get(i) instanceof Map<?, ?> raw)) {
                problems.add(new Problem("第 " + path + " 项", "Expected the fields of a task."));
                continue;
            }
            Map<String, Object> fields = cast(raw);
            String label = fields.containsKey("_label") ? text(fields.get("_label")) : "第 " + path + " 项";
            try {
                String category = fields.containsKey("category") ? text(fields.get("category")) : parentCategory;
                Source source = fields.containsKey("source") ? source(fields.get("source")) : defaultSource;
                NewTask task = new NewTask(null, required(fields, "title"), text(fields.get("description")), source,
                        category, fields.containsKey("priority") ? Priority.valueOf(text(fields.get("priority"))) : null,
                        text(fields.get("responsibleLeader")), required(fields, "leadUnit"), strings(fields.get("coUnits")),
                        date(fields.get("deadline")), fields.containsKey("deadlineWorkingDays")
                                ? ((Number) fields.get("deadlineWorkingDays")).intValue() : null,
                        cycle(fields.get("reportingCycle")), milestones(fields.get("milestones")));
                if (category == null || !category.matches("[a-z][a-z0-9-]{0,39}")) {
                    throw new IllegalArgumentException("The category must be a code such as urban-economy.");
                }
                for (String unit : concat(task.leadUnit(), task.coUnits())) {
                    if (!unit.matches("[a-z][a-z0-9]*(-[a-z0-9]+)+")) {
                        throw new IllegalArgumentException(unit + " is not a unit code such as dept-fgj.");
                    }
                }
                items.add(new Item(label, path, task, items(fields.get("subtasks"), path, category, source, problems)));
            }
            catch (IllegalArgumentException | ClassCastException | DateTimeParseException e) {
                problems.add(new Problem(label, e.getMessage()));
            }
        }
        return items;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    private static String required(Map<String, Object> fields, String name) {
        String value = text(fields.get(name));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The field '" + name + "' is missing.");
        }
        if (value.length() > 200) {
            throw new IllegalArgumentException("The field '" + name + "' is longer than 200 characters.");
        }
        return value.strip();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static LocalDate date(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        }
        return LocalDate.parse(value.toString());
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        return ((List<?>) value).stream().map(Object::toString).toList();
    }

    private static Source source(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> fields = cast((Map<?, ?>) value);
        return new Source(Source.Kind.valueOf(text(fields.get("kind"))), text(fields.get("reference")));
    }

    private static ReportingCycle cycle(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> fields = cast((Map<?, ?>) value);
        Object day = fields.get("dueDay");
        return new ReportingCycle(ReportingCycle.Kind.valueOf(text(fields.get("kind"))),
                day == null ? 0 : ((Number) day).intValue());
    }

    private static List<Milestone> milestones(Object value) {
        if (value == null) {
            return List.of();
        }
        List<Milestone> milestones = new ArrayList<>();
        List<?> list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> fields = cast((Map<?, ?>) list.get(i));
            milestones.add(new Milestone("m" + (i + 1), required(fields, "title"), date(fields.get("date"))));
        }
        return milestones;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
