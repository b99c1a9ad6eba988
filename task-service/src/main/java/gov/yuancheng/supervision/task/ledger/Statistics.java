package gov.yuancheng.supervision.task.ledger;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.Assignment;
import gov.yuancheng.supervision.task.domain.LightRules;
import gov.yuancheng.supervision.task.domain.Task;
import gov.yuancheng.supervision.task.domain.WorkdayCalendar;

/**
 * Figures per unit or per category for the assignments made in a period, for the annual assessment:
 * lateness is measured against the current (extended) deadline and against the original one.
 */
final class Statistics {

    enum GroupBy {
        UNIT, CATEGORY
    }

    record Figures(String key, String label, int assigned, int acknowledgedOnTime, int completed,
            int completedOnTime, int completedByOriginalDeadline, int overdueNow, double averageDaysLate,
            double evaluationAverage) {
    }

    private static final class Tally {

        int assigned;
        int acknowledgedOnTime;
        int completed;
        int completedOnTime;
        int completedByOriginal;
        int overdueNow;
        long daysLate;
        int late;
        double evaluationSum;
        int evaluated;

        Figures figures(String key, String label) {
            return new Figures(key, label, assigned, acknowledgedOnTime, completed, completedOnTime,
                    completedByOriginal, overdueNow, late == 0 ? 0 : round((double) daysLate / late),
                    evaluated == 0 ? 0 : round(evaluationSum / evaluated));
        }

        private static double round(double value) {
            return Math.round(value * 10) / 10.0;
        }
    }

    private Statistics() {
    }

    static Map<String, Figures> compute(Stream<Task> tasks, Actor actor, GroupBy groupBy, LocalDate from,
            LocalDate to, LocalDate today, ZoneId zone, WorkdayCalendar calendar, LightRules rules) {
        Map<String, Tally> tallies = new TreeMap<>();
        tasks.forEach(task -> {
            for (Assignment a : task.assignmentsVisibleTo(actor)) {
                LocalDate assignedDay = a.assignedAt().atZone(zone).toLocalDate();
                if (assignedDay.isBefore(from) || assignedDay.isAfter(to)) {
                    continue;
                }
                String key = groupBy == GroupBy.UNIT ? a.unit() : task.category();
                Tally t = tallies.computeIfAbsent(key, k -> new Tally());
                t.assigned++;
                if (a.acknowledgedAt() != null && calendar.workingDaysBetween(assignedDay,
                        a.acknowledgedAt().atZone(zone).toLocalDate()) <= rules.acknowledgeWithinWorkingDays()) {
                    t.acknowledgedOnTime++;
                }
                if (a.completedAt() != null) {
                    t.completed++;
                    // The same day as the review event's onTime: the approved request's day, not the review's.
                    LocalDate done = a.completionDay(zone);
                    if (!done.isAfter(a.deadline())) {
                        t.completedOnTime++;
                    }
                    else {
                        t.late++;
                        t.daysLate += ChronoUnit.DAYS.between(a.deadline(), done);
                    }
                    if (!done.isAfter(a.originalDeadline())) {
                        t.completedByOriginal++;
                    }
                }
                else if (a.state() != gov.yuancheng.supervision.task.domain.AssignmentState.CLOSED
                        && today.isAfter(a.deadline())) {
                    t.overdueNow++;
                }
                if (task.evaluation() != null) {
                    t.evaluationSum += task.evaluation().score();
                    t.evaluated++;
                }
            }
        });
        Map<String, Figures> figures = new TreeMap<>();
        tallies.forEach((key, tally) -> figures.put(key,
                tally.figures(key, groupBy == GroupBy.CATEGORY ? Labels.category(key) : key)));
        return figures;
    }
}
