package gov.yuancheng.supervision.task.plan;

import java.io.IOException;

import gov.yuancheng.supervision.task.domain.Roles;
import gov.yuancheng.supervision.task.web.CurrentActor;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Work plan import for the supervision office: a YAML or .xlsx plan becomes tasks and sub-tasks, all or nothing. */
@RestController
@RequestMapping("/api/plans")
class PlanController {

    static final long MAX_PLAN_BYTES = 2 * 1024 * 1024;

    private final PlanImport plans;
    private final CurrentActor current;

    PlanController(PlanImport plans, CurrentActor current) {
        this.plans = plans;
        this.current = current;
    }

    @PostMapping("/import")
    @PreAuthorize("hasRole('" + Roles.SUPERVISOR + "')")
    ResponseEntity<PlanImport.Result> importPlan(@RequestParam("file") MultipartFile file,
            @AuthenticationPrincipal Jwt jwt, HttpServletRequest request) throws IOException {
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase();
        if (file.getSize() > MAX_PLAN_BYTES) {
            throw new IllegalArgumentException("A work plan file may be at most 2 MB.");
        }
        var actor = CurrentActor.of(jwt);
        var origin = current.origin(request);
        PlanImport.Result result;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            result = plans.importYaml(file.getBytes(), actor, origin);
        }
        else if (name.endsWith(".xlsx")) {
            result = plans.importXlsx(file.getBytes(), actor, origin);
        }
        else {
            throw new IllegalArgumentException("A work plan is imported from a .yaml or .xlsx file.");
        }
        return ResponseEntity.status(result.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(result);
    }

    @ExceptionHandler(PlanImport.InvalidPlanException.class)
    ProblemDetail invalid(PlanImport.InvalidPlanException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("The work plan is not valid");
        problem.setProperty("errors", e.problems());
        return problem;
    }
}
