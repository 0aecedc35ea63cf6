package org.homecoming.local.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;

/**
 * End-to-end throughput of the pipeline, not of the load generator: the workload is generated and
 * serialised first, then, with the clock running, its bytes go to the registrations topic through a
 * producer set up like the raw-produce yardstick (1a), and the clock stops when PostgreSQL's all-time
 * province totals equal the expected ones.
 */
public final class EndToEnd {

    private final String bootstrapServers;
    private final RegistrationWire wire;
    private final PostgresTotals postgres;
    private final Duration pollInterval;
    private final Path recordsDirectory;

    /** {@code recordsDirectory} takes the prepared records' temporary file. */
    public EndToEnd(String bootstrapServers, Serializer<RegistrationEvent> valueSerializer, PostgresTotals postgres,
                    Duration pollInterval, Path recordsDirectory) {
        this.bootstrapServers = bootstrapServers;
        this.wire = new RegistrationWire(valueSerializer);
        this.postgres = postgres;
        this.pollInterval = pollInterval;
        this.recordsDirectory = recordsDirectory;
    }

    /**
     * A workload made ready to send; closing it deletes the records' file, sent or not.
     *
     * @param records      the serialised records, in a temporary file; emptied by {@link #run}
     * @param events       how many
     * @param bytes        bytes they take in their file
     * @param expected     province totals the workload must end with
     * @param generateTime generating and serialising them
     */
    record Prepared(PreparedRecords records, long events, long bytes, ProvinceTotals expected, Duration generateTime)
            implements AutoCloseable {

        @Override
        public void close() {
            records.close();
        }
    }

    /**
     * What one run sent and saw.
     *
     * @param events        events sent
     * @param expected      province totals the workload must end with
     * @param stored        province totals PostgreSQL held at the end
     * @param generateTime  generating and serialising the events, before the clock started
     * @param preparedBytes bytes the serialised events took in their temporary file
     * @param sendTime      first send to last acknowledgement
     * @param elapsed       first send to PostgreSQL equal to {@code expected} (or to the timeout)
     */
    public record Result(long events, ProvinceTotals expected, ProvinceTotals stored, Duration generateTime,
                         long preparedBytes, Duration sendTime, Duration elapsed) {

        public boolean matched() {
            return expected.equals(stored);
        }

        public double eventsPerSecond() {
            return events / Math.max(elapsed.toNanos() / 1e9, 1e-9);
        }

        public double sendPerSecond() {
            return events / Math.max(sendTime.toNanos() / 1e9, 1e-9);
        }
    }

    /** Generates and serialises every event of the workload. */
    Prepared prepare(Workload workload) {
        long begin = System.nanoTime();
        PreparedRecords records = wire.prepare(workload, System::currentTimeMillis, recordsDirectory);
        return new Prepared(records, records.size(), records.bytes(), workload.expected(),
                Duration.ofNanos(System.nanoTime() - begin));
    }

    /** Sends the prepared events and waits until PostgreSQL holds their totals, or the timeout. */
    Result run(Prepared prepared, Duration timeout) throws SQLException, InterruptedException {
        Map<String, Object> config = new HashMap<>(Yardsticks.producerSettings());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long begin = System.nanoTime();
            prepared.records().drain((key, value, timestamp) -> {
                producer.send(new ProducerRecord<>(RegistrationWire.TOPIC, null, timestamp, key, value), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                });
                sent.incrementAndGet();
            });
            producer.flush();
            Duration sendTime = Duration.ofNanos(System.nanoTime() - begin);
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + sent.get() + " events were not acknowledged",
                        firstFailure.get());
            }
            long deadline = begin + timeout.toNanos();
            ProvinceTotals expected = prepared.expected();
            ProvinceTotals stored = postgres.allTime(Regions.PROVINCE_CODE);
            while (!stored.equals(expected) && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.sleep(pollInterval.toNanos());
                stored = postgres.allTime(Regions.PROVINCE_CODE);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
            return new Result(sent.get(), expected, stored, prepared.generateTime(), prepared.bytes(), sendTime, elapsed);
        }
    }
}
