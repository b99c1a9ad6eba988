package gov.yuancheng.supervision.stack;

/** Logging of the Kafka broker and the Mongo-wire store (both log through SLF4J to log4j2). */
final class Log4j {

    static final String CONSOLE_WARN_WITH_STARTUP = """
            status = warn
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n
            rootLogger.level = warn
            rootLogger.appenderRef.console.ref = console
            logger.server.name = kafka.server.KafkaRaftServer
            logger.server.level = info
            logger.broker.name = kafka.server.BrokerServer
            logger.broker.level = info
            logger.mongo.name = de.bwaldvogel
            logger.mongo.level = info
            logger.wire.name = de.bwaldvogel.mongo.wire
            logger.wire.level = warn
            logger.store.name = gov.yuancheng.supervision.mongowire
            logger.store.level = info
            """;

    private Log4j() {
    }
}
