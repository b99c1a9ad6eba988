package gov.yuancheng.supervision.task.web;

import java.time.LocalDate;
import java.util.List;

import gov.yuancheng.supervision.task.domain.NewTask;
import jakarta.validation.constraints.FutureOrPresent;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record CreateTaskRequest(
        @NotBlank @Size(max = 200) String title,
        @Size(max = 5000) String description,
        @NotBlank @Pattern(regexp = UNIT_CODE, message = "must be a unit code such as dept-fgj or town-yuannan") String leadUnit,
        @Size(max = 30) List<@NotBlank @Pattern(regexp = UNIT_CODE, message = "must be a unit code such as dept-fgj or town-yuannan") String> coUnits,
        @NotNull @FutureOrPresent LocalDate deadline,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a user name") String responsibleLeader) {

    static final String UNIT_CODE = "[a-z][a-z0-9]*(-[a-z0-9]+)+";

    NewTask toCommand() {
        return new NewTask(title.strip(), description == null ? null : description.strip(), leadUnit, coUnits,
                deadline, responsibleLeader);
    }
}
