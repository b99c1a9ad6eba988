package gov.yuancheng.supervision.gateway.routing;

import java.net.ConnectException;
import java.net.UnknownHostException;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import gov.yuancheng.supervision.gateway.problem.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Problem details for every error the gateway itself answers: a service that is down or too slow, a path that no
 * route or handler serves, a session whose tokens can no longer be refreshed. WebFlux's problem-details support
 * covers only exceptions from handlers, not from routing; Boot's error handler would answer a refused connection
 * with a 500 and its own JSON error map.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler
class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final ProblemResponses problems;

    GatewayErrorHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        if (causedBy(error, DataAccessResourceFailureException.class) || causedBy(error, MongoTimeoutException.class)
                || causedBy(error, MongoSocketException.class)) {
            log.warn("The gateway's store is not reachable: {}", error.toString());
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
            return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
                    "Sessions cannot be read right now; nothing was changed. Try again in a few seconds.");
        }
        String service = service(exchange);
        if (causedBy(error, ConnectException.class) || causedBy(error, UnknownHostException.class)) {
            log.warn("{} is not reachable: {}", service, error.toString());
            return problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE,
                    service + " is not reachable right now; try again later.");
        }
        if (causedBy(error, PrematureCloseException.class)) {
            log.warn("{} closed the connection early: {}", service, error.toString());
            return problems.write(exchange, HttpStatus.BAD_GATEWAY, service + " closed the connection before answering.");
        }
        if (error instanceof ClientAuthorizationException) {
            return problems.write(exchange, HttpStatus.UNAUTHORIZED, "Your sign-in has expired; sign in again.");
        }
        if (error instanceof ErrorResponse response) {
            exchange.getResponse().getHeaders().addAll(response.getHeaders());
            return problems.write(exchange, response.getStatusCode(), detail(response.getStatusCode(), response));
        }
        log.error("Unexpected error for {}", exchange.getRequest().getPath(), error);
        return problems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "The gateway failed unexpectedly.");
    }

    private static String detail(HttpStatusCode status, ErrorResponse response) {
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            return "Nothing is served at this path.";
        }
        String detail = response.getBody().getDetail();
        return detail == null ? "The request could not be handled." : detail;
    }

    private static String service(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        // Before a route is chosen the only calls out are to Keycloak: its keys, to check a bearer token.
        return route == null ? "Keycloak" : route.getId();
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
