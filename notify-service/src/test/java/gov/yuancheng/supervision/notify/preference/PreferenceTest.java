package gov.yuancheng.supervision.notify.preference;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreferenceTest {

    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    final Preference nights = new Preference("fgj-li", true, true, LocalTime.of(22, 0), LocalTime.of(7, 0), false);

    @Test
    void quietHoursOverMidnightHoldMailUntilTheMorning() {
        assertThat(nights.quietUntil(Instant.parse("2026-09-28T15:30:00Z"), BEIJING)).as("23:30")
                .isEqualTo("2026-09-28T23:00:00Z");
        assertThat(nights.quietUntil(Instant.parse("2026-09-28T20:00:00Z"), BEIJING)).as("04:00 next day")
                .isEqualTo("2026-09-28T23:00:00Z");
    }

    @Test
    void outsideQuietHoursOrWithoutThemNothingWaits() {
        assertThat(nights.quietUntil(Instant.parse("2026-09-28T01:00:00Z"), BEIJING)).as("09:00").isNull();
        assertThat(Preference.defaults("fgj-li").quietUntil(Instant.parse("2026-09-28T15:30:00Z"), BEIJING)).isNull();
    }
}
