package org.homecoming.local.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time and memory of the two processes of the embedded stack: this JVM (broker, registry, streams,
 * sink, gateway and the bench harness itself, its load generators and pre-serialised records included) and
 * PostgreSQL (its postmaster and backends).
 *
 * <p>JVM CPU comes from the platform MXBean, its peak RSS from {@code VmHWM}. PostgreSQL forks a process
 * per connection and shares its buffers between them, so its resident size is sampled: the sum of every
 * process's private memory (anonymous and file pages) plus the largest shared part once; its CPU is the
 * postmaster's own, its reaped children's and its live backends'.
 */
public final class ResourceMeter implements AutoCloseable {

    private final Path postmasterPidFile;
    private final AtomicLong postgresPeakRss = new AtomicLong(-1);
    private final Thread sampler;
    private volatile boolean running = true;

    /**
     * Starts sampling.
     *
     * @param postgresDataDir PostgreSQL's data folder (holding {@code postmaster.pid})
     */
    public ResourceMeter(Path postgresDataDir) {
        this.postmasterPidFile = postgresDataDir.resolve("postmaster.pid");
        this.sampler = new Thread(this::sample, "bench-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** CPU used so far, in nanoseconds, by this JVM and by PostgreSQL (-1 when unknown). */
    public record Cpu(long jvmNanos, long postgresNanos) {

        /** CPU used between an earlier reading and this one. */
        public Cpu since(Cpu earlier) {
            return new Cpu(jvmNanos - earlier.jvmNanos,
                    postgresNanos < 0 || earlier.postgresNanos < 0 ? -1 : postgresNanos - earlier.postgresNanos);
        }

        /** Both processes; -1 when PostgreSQL's share is unknown. */
        public long totalNanos() {
            return postgresNanos < 0 ? -1 : jvmNanos + postgresNanos;
        }
    }

    /** CPU time used so far. */
    public Cpu cpu() {
        return new Cpu(jvmCpuNanos(), postgresCpuNanos());
    }

    static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The JVM's peak resident set size in bytes ({@code VmHWM}), -1 when unknown. */
    public long jvmPeakRssBytes() {
        return ProcFs.statusBytes("self", "VmHWM").orElse(-1);
    }

    /** PostgreSQL's largest sampled resident size in bytes, -1 when never sampled. */
    public long postgresPeakRssBytes() {
        sampleOnce();
        return postgresPeakRss.get();
    }

    private void sample() {
        while (running) {
            sampleOnce();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void sampleOnce() {
        OptionalLong pid = postmasterPid();
        if (pid.isEmpty()) {
            return;
        }
        List<ProcessHandle> processes = ProcessHandle.of(pid.getAsLong())
                .map(postmaster -> java.util.stream.Stream.concat(java.util.stream.Stream.of(postmaster),
                        postmaster.descendants()).toList())
                .orElse(List.of());
        long privateBytes = 0;
        long sharedBytes = 0;
        for (ProcessHandle process : processes) {
            String id = Long.toString(process.pid());
            privateBytes += ProcFs.statusBytes(id, "RssAnon").orElse(0) + ProcFs.statusBytes(id, "RssFile").orElse(0);
            sharedBytes = Math.max(sharedBytes, ProcFs.statusBytes(id, "RssShmem").orElse(0));
        }
        if (!processes.isEmpty()) {
            long total = privateBytes + sharedBytes;
            postgresPeakRss.accumulateAndGet(total, Math::max);
        }
    }

    private long postgresCpuNanos() {
        OptionalLong pid = postmasterPid();
        if (pid.isEmpty()) {
            return -1;
        }
        OptionalLong own = ProcFs.cpuNanos(pid.getAsLong(), true);
        if (own.isEmpty()) {
            return -1;
        }
        long total = own.getAsLong();
        for (ProcessHandle child : ProcessHandle.of(pid.getAsLong()).map(p -> p.children().toList()).orElse(List.of())) {
            total += ProcFs.cpuNanos(child.pid(), false).orElse(0);
        }
        return total;
    }

    private OptionalLong postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(postmasterPidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
