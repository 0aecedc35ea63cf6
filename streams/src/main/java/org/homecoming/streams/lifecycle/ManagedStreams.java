package org.homecoming.streams.lifecycle;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * The one way this service runs a Kafka Streams application: a {@link StreamsBuilderFactoryBean} whose builder the
 * application's topology class fills, with the failure handling, readiness and metrics every application shares.
 */
public final class ManagedStreams {

    /**
     * The consumer setting that makes a closing consumer leave its group. Kafka Streams turns it off, and in
     * Kafka 4.1 {@code KafkaStreams.CloseOptions.leaveGroup(true)} only removes static members (with a
     * {@code group.instance.id}, which this service does not set): without it a stopped instance keeps its
     * partitions until its session times out (45 s), and a restart or the other instances wait that long.
     */
    static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    private static final Logger LOG = LoggerFactory.getLogger(ManagedStreams.class);
    private static final int CLOSE_TIMEOUT_SECONDS = 30;

    private ManagedStreams() {
    }

    /**
     * The configuration an application runs with: its own settings plus the processing exception handler that
     * notes failing records for {@code failures}, and leaving the group on close.
     */
    public static Map<String, Object> config(Map<String, Object> settings, StreamsFailureHandler failures) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, FailedRecordHandler.class);
        config.put(FailedRecords.CONFIG, failures.failedRecords());
        config.put(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), true);
        return config;
    }

    /**
     * A factory bean running one application.
     *
     * @param name     the application's name in log lines
     * @param config   the Kafka Streams configuration, from {@link #config}
     * @param topology adds the application's topology to the factory bean's builder
     * @param failures the application's uncaught-exception handler
     * @param running  learns the running client, for queries and health
     * @param meters   where the client's metrics are bound
     */
    public static StreamsBuilderFactoryBean factoryBean(String name, Map<String, Object> config,
                                                        Consumer<StreamsBuilder> topology, StreamsFailureHandler failures,
                                                        RunningStreams running, MeterRegistry meters) {
        StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config));
        factory.setInfrastructureCustomizer(new KafkaStreamsInfrastructureCustomizer() {
            @Override
            public void configureBuilder(StreamsBuilder builder) {
                topology.accept(builder);
            }
        });
        factory.setStreamsUncaughtExceptionHandler(failures);
        factory.setStateListener((now, before) -> LOG.info("{}: Kafka Streams {} -> {}", name, before, now));
        // Effective for static members only in Kafka 4.1; dynamic members leave through LEAVE_GROUP_ON_CLOSE.
        factory.setLeaveGroupOnClose(true);
        factory.setCloseTimeout(CLOSE_TIMEOUT_SECONDS);
        factory.addListener(running);
        factory.addListener(new KafkaStreamsMicrometerListener(meters));
        return factory;
    }
}
