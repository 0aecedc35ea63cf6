package org.homecoming.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Latency at a steady rate: background events at {@code rate} per second for {@code duration}, with a
 * probe every {@code rate / probesPerSecond} events. Each probe's send time is noted; a watcher per
 * target reads the probe township's count and, when it has grown by k since the start, takes the first
 * k probes as visible at that moment. Probes land on different partitions, so one may overtake another;
 * a probe is then credited to its elder, whose latency is the larger: the figures err high, never low.
 *
 * <p>The sending thread only paces and hands bytes to the producer. A generator thread makes and
 * serialises the events up to a second ahead (so they are still "recorded now" like live intake, and only
 * a second of them is ever in memory); the run counts how often the sender found it behind, and the CPU
 * time the generator used, so the report shows whether the generator could offer the rate.
 */
public final class LatencyRun {

    private final Producer<byte[], byte[]> producer;
    private final SteadyLoad load;
    private final RegistrationWire wire;

    public LatencyRun(Producer<byte[], byte[]> producer, SteadyLoad load, RegistrationWire wire) {
        this.producer = producer;
        this.load = load;
        this.wire = wire;
    }

    /**
     * The run's outcome.
     *
     * @param eventsSent         background events and probes sent
     * @param sendTime           first to last send
     * @param targets            latency per target, in the order given
     * @param generatorBusy      CPU time the generator spent making and serialising events
     * @param generatorBehind    sends that had to wait for the generator
     * @param maxBehindSchedule  the latest any send left after its due time
     */
    public record Result(long eventsSent, Duration sendTime, List<LatencyStats> targets, Duration generatorBusy,
                         long generatorBehind, Duration maxBehindSchedule) {
        public double achievedRate() {
            return eventsSent / Math.max(sendTime.toNanos() / 1e9, 1e-9);
        }

        /** Events per second the generator could make on its own. */
        public double generatorCapacity() {
            return eventsSent / Math.max(generatorBusy.toNanos() / 1e9, 1e-9);
        }
    }

    /** One serialised event of the load. */
    private record Outgoing(byte[] key, byte[] value, boolean probe) {
    }

    /** The probes sent so far and when. */
    static final class Probes {
        private final AtomicLongArray sentAt;
        private volatile int sent;

        Probes(int capacity) {
            sentAt = new AtomicLongArray(capacity);
        }

        void sent(long nanos) {
            sentAt.set(sent, nanos);
            sent = sent + 1; // one sending thread
        }

        int count() {
            return sent;
        }

        long sentAt(int probe) {
            return sentAt.get(probe);
        }
    }

    /** Turns a target's growing count into one latency per probe. */
    static final class Tracker {
        private final Probes probes;
        private final long baseline;
        private final Histogram micros = new Histogram(3);
        private int seen;

        Tracker(Probes probes, long baseline) {
            this.probes = probes;
            this.baseline = baseline;
        }

        void observe(long value, long atNanos) {
            long visible = Math.min(value - baseline, probes.count());
            for (; seen < visible; seen++) {
                micros.recordValue(Math.max(0, (atNanos - probes.sentAt(seen)) / 1000));
            }
        }

        int seen() {
            return seen;
        }

        Histogram histogram() {
            return micros;
        }
    }

    /** Runs the load and watches every target until each saw every probe or the drain timeout passed. */
    public Result run(List<VisibilityTarget> targets, int rate, Duration duration, int probesPerSecond,
                      Duration drainTimeout) throws Exception {
        if (rate < probesPerSecond || probesPerSecond <= 0) {
            throw new IllegalArgumentException("The rate (" + rate + "/s) must be at least the probe rate ("
                    + probesPerSecond + "/s), which must be positive");
        }
        long total = rate * duration.toSeconds();
        long probeEvery = rate / probesPerSecond;
        Probes probes = new Probes((int) (total / probeEvery + 1));

        List<Tracker> trackers = new ArrayList<>();
        List<LatencyStats> unavailable = new ArrayList<>();
        List<VisibilityTarget> measured = new ArrayList<>();
        for (VisibilityTarget target : targets) {
            Optional<String> reason = target.unavailableReason();
            if (reason.isPresent()) {
                unavailable.add(LatencyStats.notAvailable(target.name(), reason.get(), 0));
                trackers.add(null);
            } else {
                trackers.add(new Tracker(probes, target.read()));
                measured.add(target);
            }
        }

        AtomicLong loadDone = new AtomicLong(Long.MAX_VALUE);
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        ExecutorService watchers = Executors.newFixedThreadPool(Math.max(1, measured.size()), r -> {
            Thread thread = new Thread(r, "bench-watcher");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<?>> watching = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            VisibilityTarget target = targets.get(i);
            Tracker tracker = trackers.get(i);
            if (tracker == null) {
                continue;
            }
            watching.add(watchers.submit(() -> {
                while (true) {
                    long value = target.read();
                    tracker.observe(value, System.nanoTime());
                    long done = loadDone.get();
                    boolean allSent = done != Long.MAX_VALUE;
                    if (allSent && tracker.seen() >= probes.count()) {
                        return null;
                    }
                    if (allSent && System.nanoTime() - done > drainTimeout.toNanos()) {
                        return null;
                    }
                }
            }));
        }

        BlockingQueue<Outgoing> ahead = new ArrayBlockingQueue<>(rate);
        CountDownLatch primed = new CountDownLatch(1);
        AtomicLong generatorBusyNanos = new AtomicLong();
        AtomicReference<Throwable> generatorFailure = new AtomicReference<>();
        Thread generator = new Thread(() -> {
            // CPU time where the JVM has it: on a busy machine wall time would count the time others ran
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
            long atStart = cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime();
            try {
                for (long k = 0; k < total; k++) {
                    boolean probe = k % probeEvery == 0;
                    var event = probe ? load.probe() : load.background();
                    ahead.put(new Outgoing(wire.key(event), wire.value(event), probe));
                    if (k + 1 == Math.min(total, rate)) {
                        primed.countDown();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                generatorFailure.set(e);
                primed.countDown();
            } finally {
                generatorBusyNanos.set((cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - atStart);
            }
        }, "bench-latency-load");
        generator.setDaemon(true);
        generator.start();

        long behind = 0;
        long maxLate = 0;
        long sent = 0;
        long begin = System.nanoTime();
        try {
            // the first send would otherwise wait for the topic's metadata, and it is a probe
            producer.partitionsFor(RegistrationWire.TOPIC);
            primed.await();
            begin = System.nanoTime();
            long intervalNanos = 1_000_000_000L / rate;
            for (long k = 0; k < total; k++) {
                long due = begin + k * intervalNanos;
                long now = System.nanoTime();
                while (now < due) {
                    LockSupport.parkNanos(Math.min(due - now, 200_000));
                    now = System.nanoTime();
                }
                Outgoing outgoing = ahead.poll();
                if (outgoing == null) {
                    behind++;
                    while (outgoing == null) {
                        if (generatorFailure.get() != null) {
                            throw new IllegalStateException("The latency load generator failed", generatorFailure.get());
                        }
                        outgoing = ahead.poll(100, TimeUnit.MILLISECONDS);
                    }
                }
                long sendAt = System.nanoTime();
                maxLate = Math.max(maxLate, sendAt - due);
                if (outgoing.probe()) {
                    probes.sent(sendAt);
                }
                producer.send(new ProducerRecord<>(RegistrationWire.TOPIC, outgoing.key(), outgoing.value()),
                        (metadata, error) -> {
                            if (error != null) {
                                sendFailure.compareAndSet(null, error);
                            }
                        });
                sent++;
            }
            producer.flush();
        } finally {
            loadDone.set(System.nanoTime());
            generator.interrupt();
            generator.join(10_000);
        }
        Duration sendTime = Duration.ofNanos(loadDone.get() - begin);
        if (sendFailure.get() != null) {
            watchers.shutdownNow();
            throw new IllegalStateException("An event of the latency phase was not acknowledged", sendFailure.get());
        }
        try {
            for (Future<?> watch : watching) {
                watch.get(drainTimeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
            }
        } finally {
            watchers.shutdownNow();
        }

        List<LatencyStats> stats = new ArrayList<>();
        int unavailableIndex = 0;
        for (int i = 0; i < targets.size(); i++) {
            Tracker tracker = trackers.get(i);
            if (tracker == null) {
                LatencyStats skipped = unavailable.get(unavailableIndex++);
                stats.add(LatencyStats.notAvailable(skipped.target(), skipped.unavailable().orElseThrow(), probes.count()));
            } else {
                stats.add(LatencyStats.of(targets.get(i).name(), probes.count(), tracker.histogram()));
            }
        }
        return new Result(sent, sendTime, stats, Duration.ofNanos(generatorBusyNanos.get()), behind,
                Duration.ofNanos(maxLate));
    }
}
