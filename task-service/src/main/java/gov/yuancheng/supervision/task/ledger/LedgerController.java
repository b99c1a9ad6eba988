package gov.yuancheng.supervision.task.ledger;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

import gov.yuancheng.supervision.task.app.TaskWorkflow;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Light;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Source;
import gov.yuancheng.supervision.task.domain.TaskStatus;
import gov.yuancheng.supervision.task.store.TaskQuery;
import gov.yuancheng.supervision.task.store.TaskStore;
import gov.yuancheng.supervision.task.web.CurrentActor;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** 督办台账 and statistics, filtered like the search; a unit gets its own assignments only. */
@RestController
@RequestMapping("/api")
@Validated
class LedgerController {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final TaskStore store;
    private final TaskWorkflow workflow;

    LedgerController(TaskStore store, TaskWorkflow workflow) {
        this.store = store;
        this.workflow = workflow;
    }

    @GetMapping("/ledger.xlsx")
    void xlsx(@RequestParam(required = false) TaskStatus status,
            @RequestParam(required = false) @Size(max = 40) @Pattern(regexp = "[a-z][a-z0-9-]*") String category,
            @RequestParam(required = false) @Pattern(regexp = "[a-z][a-z0-9]*(-[a-z0-9]+)+") String unit,
            @RequestParam(required = false) Light light, @RequestParam(required = false) Source.Kind source,
            @RequestParam(required = false) LocalDate deadlineFrom, @RequestParam(required = false) LocalDate deadlineTo,
            @AuthenticationPrincipal Jwt jwt, HttpServletResponse response) throws IOException {
        Actor actor = CurrentActor.of(jwt);
        TaskQuery query = new TaskQuery(status, category, unit, light, source, null, deadlineFrom, deadlineTo, null,
                null);
        download(response, XLSX, "xlsx");
        try (var tasks = store.stream(query, actor)) {
            LedgerExport.xlsx(tasks.flatMap(t -> LedgerRow.of(t, actor, zone())).iterator(),
                    response.getOutputStream());
        }
    }

    @GetMapping("/ledger.csv")
    void csv(@RequestParam(required = false) TaskStatus status,
            @RequestParam(required = false) @Size(max = 40) @Pattern(regexp = "[a-z][a-z0-9-]*") String category,
            @RequestParam(required = false) @Pattern(regexp = "[a-z][a-z0-9]*(-[a-z0-9]+)+") String unit,
            @RequestParam(required = false) Light light, @RequestParam(required = false) Source.Kind source,
            @RequestParam(required = false) LocalDate deadlineFrom, @RequestParam(required = false) LocalDate deadlineTo,
            @AuthenticationPrincipal Jwt jwt, HttpServletResponse response) throws IOException {
        Actor actor = CurrentActor.of(jwt);
        TaskQuery query = new TaskQuery(status, category, unit, light, source, null, deadlineFrom, deadlineTo, null,
                null);
        download(response, "text/csv;charset=UTF-8", "csv");
        try (var tasks = store.stream(query, actor)) {
            LedgerExport.csv(tasks.flatMap(t -> LedgerRow.of(t, actor, zone())).iterator(), response.getOutputStream());
        }
    }

    /** Figures per unit or per category for the assignments made between {@code from} and {@code to}. */
    @GetMapping("/statistics")
    Collection<Statistics.Figures> statistics(@RequestParam LocalDate from, @RequestParam LocalDate to,
            @RequestParam(defaultValue = "UNIT") Statistics.GroupBy by, @AuthenticationPrincipal Jwt jwt) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("The period ends before it begins.");
        }
        Actor actor = CurrentActor.of(jwt);
        var context = workflow.context(actor, RequestOrigin.NONE);
        try (var tasks = store.assignedBetween(from.atStartOfDay(context.zone()).toInstant(),
                to.plusDays(1).atStartOfDay(context.zone()).toInstant(), actor)) {
            return Statistics.compute(tasks, actor, by, from, to, context.today(), context.zone(), context.calendar(),
                    context.rules()).values();
        }
    }

    private java.time.ZoneId zone() {
        return workflow.zone();
    }

    private static void download(HttpServletResponse response, String type, String extension) {
        String name = "督办台账-" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now()) + "." + extension;
        response.setContentType(type);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(name, java.nio.charset.StandardCharsets.UTF_8).build().toString());
    }

}
