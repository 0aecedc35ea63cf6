package org.homecoming.local;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.homecoming.producer.identity.NationalId;

/**
 * Load benchmark of the intake gateway: single-record and batch posts from concurrent clients, each
 * answered only after Kafka's acknowledgement. Prints requests/s, records/s, p50/p99 latency and the CPU
 * the run used. Without {@code --url} it starts, in this JVM on free ports, the broker, the schema
 * registry and the gateway ({@code --stack intake}, the default) or the whole embedded stack
 * ({@code --stack full}).
 *
 * <pre>java -cp homecoming-local-exec.jar -Dloader.main=org.homecoming.local.GatewayBenchMain
 *     org.springframework.boot.loader.launch.PropertiesLauncher [--singles 100000] [--warm-up 30000]
 *     [--batches 200] [--batch-size 500] [--clients 64] [--stack intake|full]
 *     [--url http://localhost:8080 --token demo-terminal-token]</pre>
 *
 * <p>Each client is one keep-alive HTTP/1.1 connection with one request in flight (a terminal waits for
 * its answer); one selector thread drives them all, so on a small machine the client costs little of the
 * CPU it measures. The warm-up's requests are sent and answered before the measured ones start.
 */
public final class GatewayBenchMain {

    private static final AtomicInteger PEOPLE = new AtomicInteger();

    private GatewayBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int singles = intArg(args, "--singles", 100_000);
        int warmUp = intArg(args, "--warm-up", 30_000);
        int batches = intArg(args, "--batches", 200);
        int batchSize = intArg(args, "--batch-size", 500);
        int clients = intArg(args, "--clients", 64);
        String url = stringArg(args, "--url", null);
        String token = stringArg(args, "--token", "demo-terminal-token");
        String stackKind = stringArg(args, "--stack", "intake");
        if (!stackKind.equals("intake") && !stackKind.equals("full")) {
            throw new IllegalArgumentException("--stack is intake or full, not " + stackKind);
        }
        LocalStack stack = null;
        Path dataDir = null;
        if (url == null) {
            dataDir = Files.createTempDirectory("homecoming-bench");
            System.out.println("Starting the embedded stack (" + stackKind + ") in " + dataDir + " ...");
            stack = stackKind.equals("full") ? LocalStack.start(StackPorts.free(), dataDir)
                    : LocalStack.startIntake(StackPorts.free(), dataDir);
            url = "http://localhost:" + stack.ports().producer();
        }
        try {
            URI single = URI.create(url + "/api/v1/registrations");
            URI batch = URI.create(url + "/api/v1/registrations:batch");
            System.out.printf("Gateway %s (%s), %d concurrent clients, %d cores, load average %.1f%n", url,
                    stack == null ? "running" : stackKind + " stack in this JVM", clients,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            if (warmUp > 0) {
                report("warm-up", run(single, token, warmUp, clients, 1), 1);
            }
            if (singles > 0) {
                report("single", run(single, token, singles, clients, 1), 1);
            }
            if (batches > 0) {
                run(batch, token, Math.min(5, batches), clients, batchSize);
                report("batch of " + batchSize, run(batch, token, batches, clients, batchSize), batchSize);
            }
            System.out.printf("Load average after the runs %.1f%n", loadAverage());
        } finally {
            if (stack != null) {
                stack.close();
                HomecomingCommand.deleteRecursively(dataDir);
            }
        }
    }

    /** A run, the CPU the machine and this JVM spent during it, and this JVM's collections. */
    private record Run(HttpLoad.Result load, long machineBusyNanos, long processCpuNanos, long collections,
                       long collectionMillis) {
    }

    private static Run run(URI uri, String token, int requests, int clients, int records) throws IOException {
        List<byte[]> messages = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            messages.add(HttpLoad.post(uri, token, records == 1 ? record() : batchBody(records)));
        }
        long machineBefore = machineBusyNanos();
        long processBefore = processCpuNanos();
        long[] gcBefore = collections();
        HttpLoad.Result load = HttpLoad.run(uri, messages, clients);
        long[] gcAfter = collections();
        return new Run(load, machineBusyNanos() - machineBefore, processCpuNanos() - processBefore,
                gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
    }

    private static void report(String what, Run run, int recordsPerRequest) {
        HttpLoad.Result load = run.load();
        int n = load.latencies().length;
        double seconds = load.wallNanos() / 1e9;
        long[] sorted = Arrays.copyOf(load.latencies(), n);
        Arrays.sort(sorted);
        System.out.printf("%-16s %,7d requests in %6.1f s: %,8.0f requests/s %,9.0f records/s   p50 %7.1f ms   p99 %7.1f ms"
                        + "   max %7.1f ms%n",
                what, n, seconds, n / seconds, (double) n * recordsPerRequest / seconds, sorted[n / 2] / 1e6,
                sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, sorted[n - 1] / 1e6);
        System.out.printf("%-16s CPU: machine %.2f cores (%,.0f µs per request), this JVM %.2f (%,.0f µs per request),"
                        + " client thread %.2f (%,.0f µs); %,d collections in this JVM, %,d ms%n", "",
                run.machineBusyNanos() / (double) load.wallNanos(), run.machineBusyNanos() / 1e3 / n,
                run.processCpuNanos() / (double) load.wallNanos(), run.processCpuNanos() / 1e3 / n,
                load.clientCpuNanos() / (double) load.wallNanos(), load.clientCpuNanos() / 1e3 / n, run.collections(),
                run.collectionMillis());
        int accepted = load.count(202);
        if (accepted != n) {
            StringBuilder others = new StringBuilder();
            for (Map.Entry<Integer, Integer> status : load.statuses().entrySet()) {
                if (status.getKey() != 202) {
                    others.append(String.format(" %,d answered %d;", status.getValue(), status.getKey()));
                }
            }
            System.out.printf("%-16s %,d requests not answered 202:%s %,d without an answer%n", "", n - accepted, others,
                    load.failures());
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Collections so far in this JVM, and their time in milliseconds. */
    private static long[] collections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** CPU time all cores spent outside idle and I/O wait, from the first line of {@code /proc/stat}. */
    private static long machineBusyNanos() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            String[] fields = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String record() {
        int person = PEOPLE.getAndIncrement();
        String id = NationalId.of("140521", LocalDate.of(1970, 1, 1).plusDays(person / 999), person % 999 + 1);
        return """
                {"eventId":"%s","nationalId":"%s","townshipCode":"140521100","occurredOn":"2020-01-18",
                 "type":"RETURNEE_REGISTERED","payload":{"returnReason":"FAMILY"}}""".formatted(UUID.randomUUID(), id);
    }

    private static String batchBody(int records) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < records; i++) {
            body.append(i == 0 ? "" : ",").append(record());
        }
        return body.append("]}").toString();
    }

    private static int intArg(String[] args, String name, int fallback) {
        String value = stringArg(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
