package gov.yuancheng.supervision.task.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Reads a {@link ChangeRequest} from the verified token and the headers, refusing malformed ones. */
@Configuration
class ChangeRequestResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    private static final String KEY = "[A-Za-z0-9._:-]{1,100}";

    private final CurrentActor current;

    ChangeRequestResolver(CurrentActor current) {
        this.current = current;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ChangeRequest.class;
    }

    @Override
    public ChangeRequest resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Jwt jwt = (Jwt) SecurityContextHolder.getContext().getAuthentication().getPrincipal();
        String key = request.getHeader("Idempotency-Key");
        if (key != null && !key.matches(KEY)) {
            throw new IllegalArgumentException(
                    "Idempotency-Key must be 1 to 100 letters, digits or . _ : - characters.");
        }
        return new ChangeRequest(CurrentActor.of(jwt), current.origin(request), version(request.getHeader("If-Match")),
                key);
    }

    /** If-Match as the ETag was sent ("3", W/"3" or 3); anything else is a bad request. */
    static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String value = ifMatch.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        if (!value.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("If-Match must carry the task's ETag, such as \"3\".");
        }
        return Long.parseLong(value);
    }
}
