package org.homecoming.streams.view;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.homecoming.streams.StreamsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the totals view application for the life of the application context, and reports readiness:
 * down while Kafka Streams is rebalancing or a store is restoring, up when queries can be answered.
 */
public class TotalsViewService implements SmartLifecycle, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(TotalsViewService.class);

    private final Topology topology;
    private final StreamsProperties streamsProperties;
    private final TotalsViewProperties properties;
    private final RestoreTracker restores = new RestoreTracker();
    private volatile KafkaStreams streams;

    public TotalsViewService(Topology topology, StreamsProperties streamsProperties, TotalsViewProperties properties) {
        this.topology = topology;
        this.streamsProperties = streamsProperties;
        this.properties = properties;
    }

    /** The view's Kafka Streams configuration. */
    Properties config() {
        return TotalsViewTopology.config(properties.applicationId(), streamsProperties.bootstrapServers(),
                properties.stateDir().toString(), properties.applicationServer(), streamsProperties.replicationFactor());
    }

    @Override
    public void start() {
        KafkaStreams created = new KafkaStreams(topology, config());
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("Totals view thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((now, before) -> LOG.info("Totals view {} -> {}", before, now));
        created.setGlobalStateRestoreListener(restores);
        created.start();
        streams = created;
        LOG.info("Totals view {} started against {}, serving as {}", properties.applicationId(),
                streamsProperties.bootstrapServers(), properties.applicationServer());
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

    /** Stops after the web server stops taking requests, starts before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** The running instance; {@code null} before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The settings. */
    public TotalsViewProperties properties() {
        return properties;
    }

    /** Readiness of the view, in the readiness health group. */
    @Override
    public Health health() {
        KafkaStreams running = streams;
        return readiness(running == null ? null : running.state(), restores.restoring(), properties.applicationServer());
    }

    /**
     * Up only when Kafka Streams is RUNNING and no store partition is restoring; out of service while
     * starting, rebalancing, restoring, or stopped.
     */
    static Health readiness(KafkaStreams.State state, int restoringPartitions, String applicationServer) {
        boolean ready = state == KafkaStreams.State.RUNNING && restoringPartitions == 0;
        return (ready ? Health.up() : Health.outOfService())
                .withDetail("state", state == null ? "NOT_STARTED" : state.name())
                .withDetail("restoringPartitions", restoringPartitions)
                .withDetail("applicationServer", applicationServer)
                .build();
    }

    /** Counts store partitions being restored; with the state updater a RUNNING instance may still restore. */
    static final class RestoreTracker implements StateRestoreListener {
        private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            restoring.add(partition);
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
            // progress is not needed: readiness only asks whether any restore is still running
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            restoring.remove(partition);
        }

        @Override
        public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
            restoring.remove(partition);
        }

        int restoring() {
            return restoring.size();
        }
    }
}
