package gov.yuancheng.supervision.notify.preference;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One user's choices. The inbox is always on: it is the record of what the user was told. Quiet hours
 * hold e-mail back until they end; a daily digest replaces single mails by one mail at the digest time.
 */
@Document("preferences")
public record Preference(@Id String username, boolean email, boolean push, LocalTime quietFrom, LocalTime quietUntil,
        boolean digest) {

    public static Preference defaults(String username) {
        return new Preference(username, true, true, null, null, false);
    }

    /** When quiet hours are on at {@code now}, the instant they end; else null. Hours may span midnight. */
    public Instant quietUntil(Instant now, ZoneId zone) {
        if (quietFrom == null || quietUntil == null || quietFrom.equals(quietUntil)) {
            return null;
        }
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean spansMidnight = quietFrom.isAfter(quietUntil);
        boolean quiet = spansMidnight ? !time.isBefore(quietFrom) || time.isBefore(quietUntil)
                : !time.isBefore(quietFrom) && time.isBefore(quietUntil);
        if (!quiet) {
            return null;
        }
        ZonedDateTime end = local.with(quietUntil);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
