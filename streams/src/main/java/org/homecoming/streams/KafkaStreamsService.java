package org.homecoming.streams;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.homecoming.streams.rocksdb.BoundedRocksDbMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the totals topology under exactly-once (v2) for the life of the application context.
 */
@Component
public class KafkaStreamsService implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStreamsService.class);

    private final Topology topology;
    private final StreamsProperties properties;
    private volatile KafkaStreams streams;

    public KafkaStreamsService(Topology topology, StreamsProperties properties) {
        this.topology = topology;
        this.properties = properties;
    }

    /** The Kafka Streams configuration this service runs with. */
    static Properties streamsConfig(StreamsProperties properties) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir().toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, properties.replicationFactor());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.threads());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        return config;
    }

    @Override
    public void start() {
        KafkaStreams created = new KafkaStreams(topology, streamsConfig(properties));
        created.setUncaughtExceptionHandler(e -> {
            // Bad records never reach here (they are rejected in the topology); this is an infrastructure
            // fault, and a fresh thread resumes from the last committed transaction.
            LOG.error("Stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
        created.start();
        streams = created;
        LOG.info("Kafka Streams {} started against {}", properties.applicationId(), properties.bootstrapServers());
    }

    @Override
    public void stop() {
        KafkaStreams running = streams;
        if (running != null) {
            running.close(Duration.ofSeconds(30));
            streams = null;
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The running instance, for queries and health; {@code null} before start. */
    public KafkaStreams streams() {
        return streams;
    }
}
