package gov.yuancheng.supervision.notify.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import gov.yuancheng.supervision.notify.inbox.Inbox;
import gov.yuancheng.supervision.notify.inbox.Notice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fans a notification out to every channel. The inbox is written at once (it is this service's own store,
 * so it needs neither Keycloak nor SMTP); e-mail and webhook go through the queue, where a failing channel
 * waits and retries without holding up the others. Each write is keyed by notification, channel and
 * recipient, so dispatching the same notification again adds nothing.
 */
@Component
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final DateTimeFormatter CHINESE_DATE = DateTimeFormatter.ofPattern("yyyy年M月d日");
    private static final DateTimeFormatter CHINESE_TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm");

    private final Inbox inbox;
    private final DeliveryQueue queue;
    private final EventOutbox events;
    private final Templates templates;
    private final Clock clock;
    private final ZoneId zone;
    private final String webhookUrl;

    public Dispatcher(Inbox inbox, DeliveryQueue queue, EventOutbox events, Templates templates, Clock clock,
            @Value("${supervision.notify.schedule.zone:Asia/Shanghai}") ZoneId zone,
            @Value("${supervision.notify.webhook.url:}") String webhookUrl) {
        this.inbox = inbox;
        this.queue = queue;
        this.events = events;
        this.templates = templates;
        this.clock = clock;
        this.zone = zone;
        this.webhookUrl = webhookUrl;
    }

    public Templates.Text render(Notification n) {
        Map<String, String> values = new HashMap<>(n.values());
        if (n.dueAt() != null) {
            values.put("dueAt", CHINESE_TIME.format(n.dueAt().atZone(zone)));
        }
        Templates.Text text = templates.render(n.kind(), values);
        if (n.late()) {
            return new Templates.Text(text.subject(), text.body() + "\n" + templates.fill(templates.load("LATE").strip(), values));
        }
        return text;
    }

    public static String chineseDate(LocalDate date) {
        return date == null ? "" : CHINESE_DATE.format(date);
    }

    /**
     * Delivers the notifications: their inbox notices, the events that report them and their queued sends, each
     * kind in one write, so that a burst of reminders costs a few writes per hundred rather than several each.
     */
    public void dispatch(List<Notification> notifications) {
        Instant now = clock.instant();
        List<Notice> notices = new ArrayList<>();
        List<PendingEvent> reported = new ArrayList<>();
        List<DeliveryJob> jobs = new ArrayList<>();
        for (Notification n : notifications) {
            Templates.Text text = render(n);
            for (Addressee to : n.to()) {
                String noticeId = noticeId(n.key(), to);
                notices.add(new Notice(noticeId, to.type() == Addressee.Type.UNIT ? to.id() : null,
                        to.type() == Addressee.Type.USER ? to.id() : null, n.kind(), n.taskId(), text.subject(),
                        text.body(), now, List.of(), n.dueAt(), n.late()));
                reported.add(events.sent(n.key() + "|INBOX|" + to, "INBOX", to.toString(), n, noticeId, text.subject()));
                jobs.add(job(n, text, DeliveryJob.Channel.EMAIL, to.toString(), now));
            }
            if (webhookUrl != null && !webhookUrl.isBlank()) {
                jobs.add(job(n, text, DeliveryJob.Channel.WEBHOOK, webhookUrl, now));
            }
        }
        int fresh = inbox.deliver(notices);
        events.add(reported);
        queue.enqueue(jobs);
        log.debug("{} notifications: {} of {} inbox notices new", notifications.size(), fresh, notices.size());
    }

    public static String noticeId(String key, Addressee to) {
        return UUID.nameUUIDFromBytes((key + "|INBOX|" + to).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static DeliveryJob job(Notification n, Templates.Text text, DeliveryJob.Channel channel, String recipient,
            Instant now) {
        return new DeliveryJob(DeliveryJob.id(n.key(), channel, recipient), channel, recipient, n.key(), n.kind(),
                n.taskId(), n.assignmentId(), text.subject(), text.body(), n.dueAt(), n.late(), 0, now, Instant.EPOCH,
                false);
    }
}
