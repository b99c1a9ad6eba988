package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A mail server that delivers every message it is given to a mailbox of the recipient and keeps it there to be
 * read: GreenMail with SMTP and IMAP on loopback, as its own process. Any user name and password is accepted
 * (a mailbox is made for each recipient on first delivery), so notify-service's mails can be read with any mail
 * program: log in over IMAP with the recipient's address as user name and any password. Messages are kept in
 * memory only and are gone after a restart.
 */
final class MailSink {

    private MailSink() {
    }

    static Child start(StackConfig config, String classpath) throws IOException {
        Path home = config.data().resolve("mail");
        Files.createDirectories(home);
        Path log4j = home.resolve("log4j2.properties");
        Files.writeString(log4j, Log4j.CONSOLE_WARN_WITH_STARTUP);
        int smtp = config.port(StackConfig.SMTP);
        int imap = config.port(StackConfig.IMAP);
        // this class lives in the launcher's own classes, beside the dependencies' class path
        String path = config.home().resolve("deploy/local-stack/target/classes") + java.io.File.pathSeparator + classpath;
        var smtpReady = Probes.tcp(smtp);
        var imapReady = Probes.tcp(imap);
        return Child.start("mail", List.of(Java.binary(), "-Xms16m", "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + log4j, "-cp", path,
                MailSink.class.getName(), String.valueOf(smtp), String.valueOf(imap)), Map.of(), home, config.logs(),
                () -> smtpReady.getAsBoolean() && imapReady.getAsBoolean());
    }

    /** {@code MailSink <smtp port> <imap port>}: serves until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: MailSink <smtp port> <imap port>");
            System.exit(2);
        }
        String host = "127.0.0.1";
        GreenMail mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(Integer.parseInt(args[0]), host, ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(Integer.parseInt(args[1]), host, ServerSetup.PROTOCOL_IMAP) })
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        mail.start();
        System.out.println("Mail sink: SMTP on " + host + ":" + args[0] + ", IMAP on " + host + ":" + args[1]
                + "; any user name and password");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mail.stop();
            stopped.countDown();
        }, "mail-sink-shutdown"));
        stopped.await();
    }
}
