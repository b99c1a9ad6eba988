package gov.yuancheng.supervision.gateway.edge;

import java.util.concurrent.atomic.AtomicLong;

import gov.yuancheng.supervision.gateway.problem.ProblemResponses;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Bodies are refused at the edge when they are larger than anything a service accepts: uploads (multipart: evidence
 * attachments, work plans) up to {@code supervision.limits.upload}, every other body up to
 * {@code supervision.limits.body}. A declared length is checked before anything is read; a chunked body is counted
 * as it streams and cut off at the limit.
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

    private final ProblemResponses problems;
    private final long upload;
    private final long body;

    RequestSizeLimit(ProblemResponses problems, @Value("${supervision.limits.upload:13MB}") DataSize upload,
            @Value("${supervision.limits.body:1MB}") DataSize body) {
        this.problems = problems;
        this.upload = upload.toBytes();
        this.body = body.toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        MediaType type = request.getHeaders().getContentType();
        long limit = type != null && MediaType.MULTIPART_FORM_DATA.includes(type) ? upload : body;
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            return problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, tooLarge(limit));
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().doOnNext(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, tooLarge(limit));
                    }
                });
            }
        }).build());
    }

    private static String tooLarge(long limit) {
        String size = limit >= 1 << 20 ? (limit >> 20) + " MB" : (limit >> 10) + " KB";
        return "The request body is larger than " + size + ", the most this request may carry.";
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
