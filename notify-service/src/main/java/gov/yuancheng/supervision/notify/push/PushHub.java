package gov.yuancheng.supervision.notify.push;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import gov.yuancheng.supervision.notify.preference.Preferences;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The browsers connected to this replica by server-sent events, each with the user and unit from its
 * token. A notice for a unit goes to every connected member, one for a user to that user; a user who
 * switched push off gets nothing live (the inbox still has it).
 */
@Component
public class PushHub implements SmartLifecycle {

    private record Subscriber(String username, String unit, SseEmitter emitter) {
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private final Preferences preferences;
    private final Duration timeout;

    public PushHub(Preferences preferences, @Value("${supervision.notify.push.timeout:30m}") Duration timeout) {
        this.preferences = preferences;
        this.timeout = timeout;
    }

    public SseEmitter subscribe(String username, String unit) {
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Subscriber subscriber = new Subscriber(username, unit, emitter);
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        try {
            // flushes the response headers at once, so that the browser (and the gateway) see the stream open
            emitter.send(SseEmitter.event().name("ready").data(Map.of("user", username), MediaType.APPLICATION_JSON));
        }
        catch (IOException e) {
            subscribers.remove(subscriber);
        }
        return emitter;
    }

    /** Pushes to the subscribers that {@code recipient} ({@code unit:<code>} or {@code user:<name>}) covers. */
    public int push(String recipient, String eventId, Map<String, Object> payload) {
        int pushed = 0;
        for (Subscriber s : subscribers) {
            boolean addressed = recipient.equals("user:" + s.username())
                    || (s.unit() != null && recipient.equals("unit:" + s.unit()));
            if (!addressed || !preferences.of(s.username()).push()) {
                continue;
            }
            try {
                s.emitter().send(SseEmitter.event().id(eventId).name("notification").data(payload,
                        MediaType.APPLICATION_JSON));
                pushed++;
            }
            catch (IOException | IllegalStateException e) {
                subscribers.remove(s);
            }
        }
        return pushed;
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown, which would otherwise wait for these
     * never-ending requests; browsers reconnect (to another replica) by themselves.
     */
    @Override
    public void stop() {
        running = false;
        for (Subscriber s : subscribers) {
            s.emitter().complete();
        }
        subscribers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** A comment every 20 s keeps idle connections open through proxies and finds the dead ones. */
    @Scheduled(fixedDelay = 20_000)
    void heartbeat() {
        for (Subscriber s : subscribers) {
            try {
                s.emitter().send(SseEmitter.event().comment("keep-alive"));
            }
            catch (IOException | IllegalStateException e) {
                subscribers.remove(s);
            }
        }
    }
}
