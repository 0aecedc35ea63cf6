package org.homecoming.streams.view;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.streams.StreamsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Wires what the dashboard reads beside the totals: the rejections, counted by a listener container that every
 * instance runs over every partition of the rejected topic from its beginning, and the freshness, asked of Kafka.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardConfiguration {

    @Bean
    RejectionCounts rejectionCounts() {
        return new RejectionCounts();
    }

    /**
     * The whole rejected topic, read again from its beginning at every start: no consumer group and nothing committed,
     * so every instance answers for all of it. Only committed transactions of the counting application count, and a
     * record that cannot be dated yet (the registry not answering) is tried again, never skipped.
     */
    @Bean
    KafkaMessageListenerContainer<byte[], byte[]> rejectionsContainer(StreamsProperties streams, TotalsViewProperties view,
                                                                       RejectionCounts counts, SchemaRegistryClient registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, streams.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // one per instance, also where several share a JVM (the embedded stack's tests)
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "homecoming-rejections-" + view.applicationServer());
        view.kafkaSecurity().applyTo(config);
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartitionOffset[] partitions = IntStream.range(0, Topics.REJECTED.partitions())
                .mapToObj(p -> new TopicPartitionOffset(Topics.REJECTED.name(), p, TopicPartitionOffset.SeekPosition.BEGINNING))
                .toArray(TopicPartitionOffset[]::new);
        ContainerProperties properties = new ContainerProperties(partitions);
        // never acknowledged, so never committed: the position lives in memory with the counts it produced
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
        properties.setMessageListener(new RejectedRecordsReader(counts,
                SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false).deserializer()));
        KafkaMessageListenerContainer<byte[], byte[]> container = new KafkaMessageListenerContainer<>(consumers, properties);
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(1_000, FixedBackOff.UNLIMITED_ATTEMPTS)));
        container.setBeanName("rejectionsContainer");
        return container;
    }

    @Bean(destroyMethod = "close")
    Admin freshnessAdmin(StreamsProperties streams, TotalsViewProperties view) {
        return Admin.create(view.kafkaSecurity().applyTo(new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, streams.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "homecoming-freshness-" + view.applicationServer(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))));
    }

    @Bean
    FreshnessService freshnessService(Admin freshnessAdmin, StreamsProperties streams, TotalsFreshness freshness) {
        return new FreshnessService(freshnessAdmin, streams.applicationId(), freshness, Clock.systemUTC(),
                Duration.ofSeconds(1));
    }
}
