package gov.yuancheng.supervision.gateway.me;

import java.util.List;

import org.springframework.security.oauth2.core.ClaimAccessor;

/** The signed-in user as the UI shows them; {@code unit} is the org_unit claim, e.g. {@code dept-fgj}. */
public record CurrentUser(String username, String name, String unit, List<String> roles) {

    /** Works for both ways in: an OIDC user's claims (session) and an access token's claims (bearer). */
    public static CurrentUser of(ClaimAccessor claims) {
        List<String> roles = claims.getClaimAsStringList("roles");
        return new CurrentUser(claims.getClaimAsString("preferred_username"), claims.getClaimAsString("name"),
                claims.getClaimAsString("org_unit"), roles == null ? List.of() : roles);
    }
}
