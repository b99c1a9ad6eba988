package gov.yuancheng.supervision.task.events;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.config.TopicBuilder;

@Configuration
class KafkaTopics {

    @Bean
    NewTopic taskEventsTopic(@Value("${supervision.topics.task-events}") String name,
            @Value("${supervision.topics.partitions}") int partitions,
            @Value("${supervision.topics.replicas}") short replicas) {
        return TopicBuilder.name(name).partitions(partitions).replicas(replicas).build();
    }
}
