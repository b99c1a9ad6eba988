package gov.yuancheng.supervision.task.web;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import gov.yuancheng.supervision.task.app.LightSweep;
import gov.yuancheng.supervision.task.calendar.CalendarStore;
import gov.yuancheng.supervision.task.calendar.CalendarYear;
import gov.yuancheng.supervision.task.calendar.Calendars;
import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Roles;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The working-day calendar: everyone reads it; administrators replace a year when a new notice appears. */
@RestController
@RequestMapping("/api/calendar")
@Validated
class CalendarController {

    private final CalendarStore store;
    private final Calendars calendars;
    private final CurrentActor current;
    private final LightSweep sweep;

    CalendarController(CalendarStore store, Calendars calendars, CurrentActor current, LightSweep sweep) {
        this.store = store;
        this.calendars = calendars;
        this.current = current;
        this.sweep = sweep;
    }

    record YearBody(@NotNull @Size(max = 60) List<@NotNull LocalDate> holidays,
            @NotNull @Size(max = 30) List<@NotNull LocalDate> workdays, @NotBlank @Size(max = 300) String source) {
    }

    record YearView(int year, long version, List<LocalDate> holidays, List<LocalDate> workdays, String source) {

        static YearView of(CalendarYear year) {
            return new YearView(year.year(), year.version() == null ? 0 : year.version(), year.holidays(),
                    year.workdays(), year.source());
        }
    }

    @GetMapping("/{year}")
    ResponseEntity<?> year(@PathVariable @Min(2000) @Max(2100) int year) {
        return store.year(year).<ResponseEntity<?>>map(y -> ResponseEntity.ok(YearView.of(y)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(
                        HttpStatus.NOT_FOUND, "No calendar for " + year + " yet: Monday to Friday count as working days.")));
    }

    @PutMapping("/{year}")
    @PreAuthorize("hasRole('" + Roles.ADMIN + "')")
    YearView replace(@PathVariable @Min(2000) @Max(2100) int year, @Valid @RequestBody YearBody body,
            @AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
        Actor actor = CurrentActor.of(jwt);
        CalendarYear stored = store.replace(year, body.holidays(), body.workdays(), body.source().strip(), actor,
                current.origin(request));
        calendars.reload();
        sweep.sweep();
        return YearView.of(stored);
    }

    /** The date N working days after a date, as deadlines given in working days are computed. */
    @GetMapping("/working-days")
    Map<String, Object> addWorkingDays(@RequestParam LocalDate from, @RequestParam @Min(0) @Max(750) int days) {
        return Map.of("from", from, "days", days, "date", calendars.current().addWorkingDays(from, days));
    }
}
