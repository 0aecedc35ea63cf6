package org.homecoming.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.homecoming.producer.identity.NationalId;

/**
 * Load benchmark of the intake gateway: single-record and batch posts from concurrent clients, each
 * answered only after Kafka's acknowledgement. Prints requests/s, records/s and p50/p99 latency.
 * Starts the embedded stack on free ports unless {@code --url} names a running gateway.
 *
 * <pre>java -cp homecoming-local-exec.jar -Dloader.main=org.homecoming.local.GatewayBenchMain
 *     org.springframework.boot.loader.launch.PropertiesLauncher [--singles 4000] [--batches 60] [--batch-size 500]
 *     [--clients 8] [--url http://localhost:8080 --token demo-terminal-token]</pre>
 */
public final class GatewayBenchMain {

    private static final AtomicInteger PEOPLE = new AtomicInteger();

    private GatewayBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        int singles = intArg(args, "--singles", 4000);
        int batches = intArg(args, "--batches", 60);
        int batchSize = intArg(args, "--batch-size", 500);
        int clients = intArg(args, "--clients", 8);
        String url = stringArg(args, "--url", null);
        String token = stringArg(args, "--token", "demo-terminal-token");
        LocalStack stack = null;
        Path dataDir = null;
        if (url == null) {
            dataDir = Files.createTempDirectory("homecoming-bench");
            System.out.println("Starting the embedded stack in " + dataDir + " ...");
            stack = LocalStack.start(StackPorts.free(), dataDir);
            url = "http://localhost:" + stack.ports().producer();
        }
        try {
            ExecutorService httpThreads = Executors.newFixedThreadPool(clients);
            HttpClient http = HttpClient.newBuilder().executor(httpThreads).build();
            URI single = URI.create(url + "/api/v1/registrations");
            URI batch = URI.create(url + "/api/v1/registrations:batch");
            System.out.printf("Gateway %s, %d concurrent clients, %d cores, load average %.1f%n", url, clients,
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            run(http, single, token, Math.min(500, singles), clients, 1, "warm-up");
            report("single", run(http, single, token, singles, clients, 1, "single"), 1);
            run(http, batch, token, Math.min(5, batches), clients, batchSize, "warm-up");
            report("batch of " + batchSize, run(http, batch, token, batches, clients, batchSize, "batch"), batchSize);
            httpThreads.shutdown();
        } finally {
            if (stack != null) {
                stack.close();
                HomecomingCommand.deleteRecursively(dataDir);
            }
        }
    }

    /** Latencies in nanoseconds, and the wall time of the whole run as the last element. */
    private static long[] run(HttpClient http, URI uri, String token, int requests, int clients, int records, String what)
            throws Exception {
        List<String> bodies = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            bodies.add(records == 1 ? record() : batchBody(records));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] latencies = new long[requests + 1];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long begin = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 202) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latencies[i] = System.nanoTime() - start;
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        latencies[requests] = System.nanoTime() - begin;
        pool.shutdown();
        if (failures.get() > 0) {
            System.out.printf("  %s: %d requests not answered 202%n", what, failures.get());
        }
        return latencies;
    }

    private static void report(String what, long[] latencies, int recordsPerRequest) {
        int n = latencies.length - 1;
        double seconds = latencies[n] / 1e9;
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("%-16s %,7d requests in %6.1f s: %,8.0f requests/s %,9.0f records/s   p50 %7.1f ms   p99 %7.1f ms%n",
                what, n, seconds, n / seconds, (double) n * recordsPerRequest / seconds, sorted[n / 2] / 1e6,
                sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6);
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
