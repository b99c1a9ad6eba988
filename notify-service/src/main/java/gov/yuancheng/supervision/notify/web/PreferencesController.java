package gov.yuancheng.supervision.notify.web;

import java.time.LocalTime;

import gov.yuancheng.supervision.notify.preference.Preference;
import gov.yuancheng.supervision.notify.preference.Preferences;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own notification preferences; nobody reads or sets another user's. */
@RestController
@RequestMapping("/api/notifications/preferences")
class PreferencesController {

    private static final String TIME = "([01]\\d|2[0-3]):[0-5]\\d";

    private final Preferences preferences;

    PreferencesController(Preferences preferences) {
        this.preferences = preferences;
    }

    record PreferenceView(boolean email, boolean push, String quietFrom, String quietUntil, boolean digest) {

        static PreferenceView of(Preference p) {
            return new PreferenceView(p.email(), p.push(), p.quietFrom() == null ? null : p.quietFrom().toString(),
                    p.quietUntil() == null ? null : p.quietUntil().toString(), p.digest());
        }
    }

    record PreferenceRequest(@NotNull Boolean email, @NotNull Boolean push,
            @Pattern(regexp = TIME, message = "must be a time HH:mm") String quietFrom,
            @Pattern(regexp = TIME, message = "must be a time HH:mm") String quietUntil, @NotNull Boolean digest) {
    }

    @GetMapping
    PreferenceView get(@AuthenticationPrincipal Jwt jwt) {
        return PreferenceView.of(preferences.of(username(jwt)));
    }

    @PutMapping
    PreferenceView put(@Valid @RequestBody PreferenceRequest request, @AuthenticationPrincipal Jwt jwt) {
        if ((request.quietFrom() == null) != (request.quietUntil() == null)) {
            throw new IllegalArgumentException("Quiet hours need both quietFrom and quietUntil, or neither.");
        }
        Preference saved = preferences.save(new Preference(username(jwt), request.email(), request.push(),
                request.quietFrom() == null ? null : LocalTime.parse(request.quietFrom()),
                request.quietUntil() == null ? null : LocalTime.parse(request.quietUntil()), request.digest()));
        return PreferenceView.of(saved);
    }

    private static String username(Jwt jwt) {
        return jwt.getClaimAsString("preferred_username");
    }
}
