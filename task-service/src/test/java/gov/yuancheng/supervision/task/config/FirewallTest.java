package gov.yuancheng.supervision.task.config;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FirewallTest {

    /** Spring Security's own rule for header names and values. */
    private static final Pattern STRICT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void headersAreJudgedAsTheStrictFirewallsRegularExpressionJudgesThem() {
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String text = "Bearer a" + new String(Character.toChars(c)) + "z";
            assertThat(SecurityConfig.assignedAndNotControl(text)).as("U+%04X", c)
                    .isEqualTo(STRICT.matcher(text).matches());
        }
        for (String text : new String[] {"", "\ud800", "a\udc00b", "\ud800\udc00", "督查督办", "x\u0000", "\u007f",
                "\u0085", "\u00a0", "\ufffe"}) {
            assertThat(SecurityConfig.assignedAndNotControl(text)).as(text).isEqualTo(STRICT.matcher(text).matches());
        }
    }
}
