package org.homecoming.sink;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Builds the sink's Spring Kafka parts from its typed settings, for the service's configuration and for the
 * tests and the crash-test process that run the sink without a Spring context.
 */
public final class SinkContainers {

    /** The container's id: its consumer thread names and its metrics carry it. */
    public static final String LISTENER_ID = "homecoming-sink";

    private static final Logger LOG = LoggerFactory.getLogger(SinkContainers.class);

    private SinkContainers() {
    }

    public static DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(SinkProperties properties,
                                                                             MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        // PostgreSQL holds the positions; Kafka's committed offsets only show the lag
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) properties.maxPollInterval().toMillis());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis());
        if (!properties.instanceId().isBlank()) {
            // static membership: a restarted instance takes its partitions back at once, without a rebalance
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId());
        }
        properties.kafkaSecurity().applyTo(config);
        DefaultKafkaConsumerFactory<byte[], byte[]> factory = new DefaultKafkaConsumerFactory<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        factory.addListener(new ConsumerMetrics(meters));
        return factory;
    }

    public static DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducerFactory(SinkProperties properties,
                                                                                       MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.kafkaSecurity().applyTo(config);
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                new ByteArraySerializer(), new ByteArraySerializer());
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    /**
     * Publishes a record the sink can never write to the sink dead-letter topic, with Spring Kafka's
     * {@code kafka_dlt-*} headers and the ones operators and {@code SinkDeadLetterIT} read: the source topic,
     * partition and offset, and the reason (an SQLSTATE, or {@code UNDESERIALIZABLE}). It waits for the
     * broker's acknowledgement and throws when there is none, so the transaction that moves past the record
     * rolls back.
     */
    public static DeadLetterPublishingRecoverer deadLetterRecoverer(KafkaOperations<byte[], byte[]> template) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.SINK_DEAD_LETTER.name(), -1));
        recoverer.setHeadersFunction(SinkContainers::sourceHeaders);
        // the trace says where in the sink, which every letter shares; the reason header says why
        recoverer.excludeHeader(DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
        return recoverer;
    }

    private static Headers sourceHeaders(ConsumerRecord<?, ?> record, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(org.homecoming.schemas.Headers.SINK_ERROR, utf8(reason(exception)));
        headers.add(org.homecoming.schemas.Headers.SOURCE_TOPIC, utf8(record.topic()));
        headers.add(org.homecoming.schemas.Headers.SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(org.homecoming.schemas.Headers.SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        return headers;
    }

    private static String reason(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SinkListener.RefusedRecordException refused) {
                return refused.getMessage();
            }
        }
        return exception.getClass().getSimpleName();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Retries a batch the sink could not write, for as long as it takes, with exponential back-off between
     * {@code retryInitial} and {@code retryMax}. Spring Kafka pauses the consumer and keeps polling it while it
     * waits, so the group keeps the member however long PostgreSQL is away; skipping data is never an option,
     * so the retries never run out.
     */
    public static DefaultErrorHandler errorHandler(SinkProperties properties) {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            throw new IllegalStateException("The sink never skips a record it could not write", exception);
        }, backOff);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
                LOG.warn("Attempt {} failed: {}", deliveryAttempt, ex == null ? null : ex.getMessage());
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
                LOG.warn("Attempt {} at a batch of {} records failed ({}); retrying", deliveryAttempt, records.count(),
                        cause(ex));
            }
        });
        return handler;
    }

    private static String cause(Exception ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SinkUnavailableException unavailable) {
                return unavailable.getMessage();
            }
        }
        return ex.getClass().getSimpleName();
    }

    /**
     * The listener container: one batch per poll, acknowledged to Kafka only after PostgreSQL committed it.
     * Not started; as a bean the application context starts and stops it.
     */
    public static ConcurrentMessageListenerContainer<byte[], byte[]> container(
            ConsumerFactory<byte[], byte[]> consumers, SinkListener listener, CommonErrorHandler errorHandler,
            SinkProperties properties) {
        ContainerProperties container = new ContainerProperties(SinkListener.TOPICS.toArray(String[]::new));
        container.setMessageListener(listener);
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        container.setSyncCommits(false);
        container.setPollTimeout(properties.pollTimeout().toMillis());
        ConcurrentMessageListenerContainer<byte[], byte[]> created =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        created.setBeanName(LISTENER_ID);
        created.setCommonErrorHandler(errorHandler);
        return created;
    }
}
