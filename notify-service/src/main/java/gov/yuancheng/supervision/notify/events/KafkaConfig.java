package gov.yuancheng.supervision.notify.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.FixedBackOff;

/**
 * At-least-once consumption: offsets are committed after a record is stored. A record that cannot be
 * parsed goes to {@code <topic>.notify-service.dlt} at once and is counted; one that fails otherwise
 * (the store is down, say) is retried before it is dead-lettered, so a poison message never stalls a
 * partition.
 */
@Configuration
class KafkaConfig {

    @Bean
    CommonErrorHandler errorHandler(KafkaOperations<Object, Object> template, MeterRegistry meters,
            @Value("${spring.application.name}") String group) {
        Counter deadLetters = Counter.builder("supervision.events.dead.letters")
                .description("Events that could not be processed and went to a dead-letter topic")
                .tag("consumer", group).register(meters);
        var recoverer = new DeadLetterPublishingRecoverer(template, (record, e) -> {
            deadLetters.increment();
            return new TopicPartition(record.topic() + "." + group + ".dlt", -1);
        });
        var handler = new DefaultErrorHandler(recoverer, new FixedBackOff(2000L, 5));
        handler.addNotRetryableExceptions(InvalidEventException.class, DeserializationException.class);
        // The store being away is no fault of the event: it is retried until the store is back (the partition waits,
        // in order) and never sent to the dead letters. Anything else gets five tries.
        handler.setBackOffFunction((record, e) -> storeUnavailable(e)
                ? new FixedBackOff(2000L, FixedBackOff.UNLIMITED_ATTEMPTS) : null);
        return handler;
    }

    static boolean storeUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof UncategorizedDataAccessException) {
                return true;
            }
        }
        return false;
    }
}
