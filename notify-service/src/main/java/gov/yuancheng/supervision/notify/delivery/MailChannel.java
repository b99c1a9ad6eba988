package gov.yuancheng.supervision.notify.delivery;

import java.io.UnsupportedEncodingException;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** E-mail over SMTP with Spring's mail support; UTF-8 so that Chinese subjects and bodies arrive intact. */
@Component
class MailChannel {

    private final ObjectProvider<JavaMailSender> sender;
    private final String from;
    private final String fromName;

    MailChannel(ObjectProvider<JavaMailSender> sender,
            @Value("${supervision.notify.mail.from:noreply@supervision.local}") String from,
            @Value("${supervision.notify.mail.from-name:督查督办系统}") String fromName) {
        this.sender = sender;
        this.from = from;
        this.fromName = fromName;
    }

    void send(String to, String subject, String body) throws MessagingException {
        JavaMailSender mail = sender.getIfAvailable();
        if (mail == null) {
            throw new MessagingException("No SMTP server is configured (spring.mail.host).");
        }
        MimeMessage message = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
        try {
            helper.setFrom(from, fromName);
        }
        catch (UnsupportedEncodingException e) {
            helper.setFrom(from);
        }
        helper.setTo(to);
        helper.setSubject(subject);
        helper.setText(body, false);
        mail.send(message);
    }
}
