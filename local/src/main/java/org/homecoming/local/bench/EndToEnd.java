package org.homecoming.local.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.schemas.region.Regions;

/**
 * End-to-end throughput: a workload sent straight to the registrations topic as fast as it is generated,
 * timed from the first record produced until PostgreSQL's all-time province totals equal the expected ones.
 */
public final class EndToEnd {

    private final RegistrationPublisher publisher;
    private final PostgresTotals postgres;
    private final Duration pollInterval;

    public EndToEnd(RegistrationPublisher publisher, PostgresTotals postgres, Duration pollInterval) {
        this.publisher = publisher;
        this.postgres = postgres;
        this.pollInterval = pollInterval;
    }

    /**
     * What one run sent and saw.
     *
     * @param events   events sent
     * @param expected province totals the workload must end with
     * @param stored   province totals PostgreSQL held at the end
     * @param sendTime first send to last acknowledgement
     * @param elapsed  first send to PostgreSQL equal to {@code expected} (or to the timeout)
     */
    public record Result(long events, ProvinceTotals expected, ProvinceTotals stored, Duration sendTime, Duration elapsed) {

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

    /** Sends every event of the workload and waits until PostgreSQL holds its totals, or the timeout. */
    public Result run(Workload workload, Duration timeout) throws SQLException, InterruptedException {
        ProvinceTotals expected = workload.expected();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Iterator<RegistrationEvent> events = workload.events();
        long sent = 0;
        long begin = System.nanoTime();
        while (events.hasNext()) {
            publisher.publish(events.next()).whenComplete((metadata, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
            });
            sent++;
        }
        publisher.flush();
        Duration sendTime = Duration.ofNanos(System.nanoTime() - begin);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + sent + " events were not acknowledged",
                    firstFailure.get());
        }
        long deadline = begin + timeout.toNanos();
        ProvinceTotals stored = postgres.allTime(Regions.PROVINCE_CODE);
        while (!stored.equals(expected) && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.sleep(pollInterval.toNanos());
            stored = postgres.allTime(Regions.PROVINCE_CODE);
        }
        return new Result(sent, expected, stored, sendTime, Duration.ofNanos(System.nanoTime() - begin));
    }
}
