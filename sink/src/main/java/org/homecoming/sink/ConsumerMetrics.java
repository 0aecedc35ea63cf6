package org.homecoming.sink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Binds each consumer's metrics through Micrometer's {@link KafkaClientMetrics}, as Spring Kafka's
 * {@code MicrometerConsumerListener} does, but looks for new Kafka metrics every few seconds instead of every
 * minute. The per-partition {@code records-lag} metrics only come into being once partitions are assigned and
 * fetched, so with the default refresh the sink's lag per partition would be missing for up to a minute after
 * every start and rebalance, just when an operator looks at it.
 */
final class ConsumerMetrics implements ConsumerFactory.Listener<byte[], byte[]> {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sink-consumer-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, KafkaClientMetrics> bound = new ConcurrentHashMap<>();

    ConsumerMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void consumerAdded(String id, Consumer<byte[], byte[]> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, List.of(Tag.of("spring.id", id)), scheduler,
                REFRESH);
        metrics.bindTo(meters);
        bound.put(id, metrics);
    }

    @Override
    public void consumerRemoved(String id, Consumer<byte[], byte[]> consumer) {
        KafkaClientMetrics metrics = bound.remove(id);
        if (metrics != null) {
            metrics.close();
        }
    }
}
