package gov.yuancheng.supervision.notify.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import gov.yuancheng.supervision.notify.directory.Person;
import gov.yuancheng.supervision.notify.directory.UnitDirectory;
import gov.yuancheng.supervision.notify.preference.Preference;
import gov.yuancheng.supervision.notify.preference.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Works the delivery queue: expands a unit into its members (Keycloak), applies each user's preferences,
 * sends mail and webhooks, and retries a failed send with exponential backoff. A job is finished (logged,
 * then removed) only after its channel accepted it; every send and failure becomes a notification event.
 */
@Component
public class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryQueue queue;
    private final EventOutbox events;
    private final MailChannel mail;
    private final WebhookChannel webhook;
    private final UnitDirectory directory;
    private final Preferences preferences;
    private final Templates templates;
    private final Clock clock;
    private final ZoneId zone;
    private final LocalTime digestTime;
    private final Duration lease;
    private final Duration retryBase;
    private final Duration retryMax;
    private final int maxAttempts;

    DeliveryWorker(DeliveryQueue queue, EventOutbox events, MailChannel mail, WebhookChannel webhook,
            UnitDirectory directory, Preferences preferences, Templates templates, Clock clock,
            @Value("${supervision.notify.schedule.zone:Asia/Shanghai}") ZoneId zone,
            @Value("${supervision.notify.delivery.digest-time:17:30}") LocalTime digestTime,
            @Value("${supervision.notify.delivery.lease:60s}") Duration lease,
            @Value("${supervision.notify.delivery.retry-base:10s}") Duration retryBase,
            @Value("${supervision.notify.delivery.retry-max:15m}") Duration retryMax,
            @Value("${supervision.notify.delivery.max-attempts:40}") int maxAttempts) {
        this.queue = queue;
        this.events = events;
        this.mail = mail;
        this.webhook = webhook;
        this.directory = directory;
        this.preferences = preferences;
        this.templates = templates;
        this.clock = clock;
        this.zone = zone;
        this.digestTime = digestTime;
        this.lease = lease;
        this.retryBase = retryBase;
        this.retryMax = retryMax;
        this.maxAttempts = maxAttempts;
    }

    @Scheduled(fixedDelayString = "${supervision.notify.delivery.poll-interval:500ms}")
    public void work() {
        for (int i = 0; i < 100; i++) {
            Optional<DeliveryJob> job = queue.claim(clock.instant(), lease);
            if (job.isEmpty()) {
                return;
            }
            handle(job.get());
        }
    }

    void handle(DeliveryJob job) {
        if (queue.finished(job.id())) {
            queue.finish(job, "DUPLICATE", clock.instant(), null);
            return;
        }
        try {
            switch (job.channel()) {
                case EMAIL -> email(job);
                case WEBHOOK -> {
                    webhook.send(job, deliveryId(job.id()));
                    queue.finish(job, "SENT", clock.instant(), null);
                    events.sent(job, job.recipient());
                }
            }
        }
        catch (Exception e) {
            fail(job, e);
        }
    }

    private void email(DeliveryJob job) throws Exception {
        Addressee to = Addressee.parse(job.recipient());
        Instant now = clock.instant();
        if (to.type() == Addressee.Type.UNIT) {
            List<DeliveryJob> perMember = new ArrayList<>();
            for (Person member : directory.members(to.id())) {
                String recipient = Addressee.user(member.username()).toString();
                perMember.add(new DeliveryJob(DeliveryJob.id(job.notificationKey(), DeliveryJob.Channel.EMAIL, recipient),
                        DeliveryJob.Channel.EMAIL, recipient, job.notificationKey(), job.kind(), job.taskId(),
                        job.assignmentId(), job.subject(), job.body(), job.dueAt(), job.late(), 0, now, Instant.EPOCH,
                        false));
            }
            queue.enqueue(perMember);
            queue.finish(job, "EXPANDED", now, null);
            return;
        }
        Preference preference = preferences.of(to.id());
        if (!preference.email()) {
            queue.finish(job, "SKIPPED", now, "e-mail switched off by the user");
            return;
        }
        Instant quietEnd = preference.quietUntil(now, zone);
        if (quietEnd != null) {
            queue.retryAt(job, quietEnd, false, job.digest());
            return;
        }
        if (preference.digest() && !job.digest()) {
            queue.retryAt(job, nextDigest(now), false, true);
            return;
        }
        Optional<Person> person = directory.user(to.id());
        if (person.isEmpty() || person.get().email() == null) {
            queue.finish(job, "NO_ADDRESS", now, "no e-mail address in Keycloak");
            return;
        }
        if (job.digest()) {
            List<DeliveryJob> batch = queue.dueDigest(job.recipient(), now);
            if (batch.stream().noneMatch(j -> j.id().equals(job.id()))) {
                batch = new ArrayList<>(batch);
                batch.add(job);
            }
            String items = batch.stream().map(j -> "· " + j.subject()).collect(Collectors.joining("\n"));
            Templates.Text digest = templates.render("DIGEST", Map.of("count", String.valueOf(batch.size()), "items", items));
            mail.send(person.get().email(), digest.subject(), digest.body());
            for (DeliveryJob sent : batch) {
                queue.finish(sent, "SENT", now, "digest");
                events.sent(sent, sent.recipient());
            }
            return;
        }
        mail.send(person.get().email(), job.subject(), job.body());
        queue.finish(job, "SENT", now, null);
        events.sent(job, job.recipient());
    }

    private void fail(DeliveryJob job, Exception e) {
        Instant now = clock.instant();
        boolean giveUp = job.attempts() + 1 >= maxAttempts;
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn("Delivery {} failed (attempt {}{}): {}", job.id(), job.attempts() + 1, giveUp ? ", giving up" : "", error);
        events.failed(job, error, giveUp);
        if (giveUp) {
            queue.finish(job, "FAILED", now, error);
        }
        else {
            queue.retryAt(job, now.plus(backoff(job.attempts())), true, job.digest());
        }
    }

    /** 10 s, 20 s, 40 s ... up to the cap: a channel that is down is not hammered, one that is back is used soon. */
    Duration backoff(int attemptsSoFar) {
        Duration delay = retryBase.multipliedBy(1L << Math.min(attemptsSoFar, 20));
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }

    private Instant nextDigest(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime at = local.with(digestTime);
        return (at.isAfter(local) ? at : at.plusDays(1)).toInstant();
    }

    static String deliveryId(String jobId) {
        return UUID.nameUUIDFromBytes(jobId.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
