package gov.yuancheng.supervision.task.config;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * A stateless resource server: Keycloak's signature, issuer, audience and expiry are checked on every
 * request (see spring.security.oauth2.resourceserver in application.yml); the {@code roles} claim
 * becomes the authorities.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemSecurityHandlers problems) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus",
                                "/v3/api-docs/**", "/error")
                        .permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            // By default a token that cannot be checked (Keycloak's keys unreachable) is rethrown
                            // and becomes a 500 with Spring's own error body.
                            @Override
                            public <F extends BearerTokenAuthenticationFilter> F postProcess(F filter) {
                                filter.setAuthenticationFailureHandler(problems);
                                return filter;
                            }
                        }))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /**
     * Spring Security's strict firewall with the same rule for header names and values (assigned characters, no
     * control characters) checked character by character instead of by a regular expression: the firewall checks the
     * 1-2 KB bearer token each time a filter reads the header, which took an eighth of a request's CPU.
     */
    @Bean
    HttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(SecurityConfig::assignedAndNotControl);
        firewall.setAllowedHeaderValues(SecurityConfig::assignedAndNotControl);
        return firewall;
    }

    /** The firewall's {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, without the regular expression's machinery. */
    static boolean assignedAndNotControl(String text) {
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            if (c < 0x20 || c > 0x7e) {
                int type = Character.getType(c);
                if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                    return false;
                }
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * The service's time, to the millisecond: the store keeps instants to the millisecond, and an event the relay
     * publishes from memory must be the same as that event read back from the outbox and published again after a
     * restart (a consumer keys an urge by its time).
     */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }
}
