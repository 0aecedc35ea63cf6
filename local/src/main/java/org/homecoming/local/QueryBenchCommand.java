package org.homecoming.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures the query API under a replay (latency p50/p99 of {@code GET /api/v1/totals/...} while the
 * simulator's events are counted) and the delay from an event produced to the province total on the push
 * stream the dashboard listens to, on the embedded stack with free ports.
 */
@Command(name = "query-bench", mixinStandardHelpOptions = true,
        description = "Query latency (p50/p99) under a replay, and the delay event produced -> SSE push.")
final class QueryBenchCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--events", defaultValue = "50000", description = "Registrations replayed (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--clients", defaultValue = "4", description = "Concurrent query clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--probes", defaultValue = "20", description = "Single events timed to the push (default ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", defaultValue = ".homecoming/query-bench",
            description = "Data folder, emptied first (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "Longest wait for the replay (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        HomecomingCommand.deleteRecursively(dataDir);
        try (LocalStack stack = HomecomingCommand.startStack(dataDir, StackPorts.free(), out)) {
            return run(stack, out);
        }
    }

    private int run(LocalStack stack, PrintStream out) throws Exception {
        ViewClient view = new ViewClient(stack.streamsUrl());
        long readyBy = System.nanoTime() + timeout.toNanos();
        while (!view.ready() && System.nanoTime() < readyBy) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        ReturneeSimulation simulation = ReturneeSimulation.generate(events + probes, seed, Regions.shanxi(),
                new Pseudonymizer(Demo.DEMO_KEY, 1));
        List<RegistrationEvent> replay = simulation.events().subList(0, events);
        List<RegistrationEvent> probeEvents = simulation.events().subList(events, events + probes);

        PushWatcher push = new PushWatcher(stack.streamsUrl());
        TotalsWatcher topic = new TotalsWatcher(stack);
        push.start();
        topic.start();
        try (RegistrationPublisher publisher = RegistrationPublisher.create(stack.bootstrapServers(),
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false), Map.of())) {
            out.printf("Replay:    %,d registrations while %d clients query (random region and period) ...%n",
                    events, clients);
            Latencies latencies = queryDuringReplay(stack, publisher, replay, push);
            if (latencies == null) {
                out.printf("MISMATCH: the push stream did not reach %,d within %s%n", events, timeout);
                return 1;
            }
            out.printf("Queries:   %,d answered (%,d not 200) in %.1f s, %,.0f/s%n", latencies.count(), latencies.errors(),
                    latencies.seconds(), latencies.count() / latencies.seconds());
            out.printf("Latency:   p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", latencies.percentile(50),
                    latencies.percentile(99), latencies.percentile(100));

            long[] toTopic = new long[probes];
            long[] toPush = new long[probes];
            for (int i = 0; i < probes; i++) {
                long target = events + i + 1L;
                long produced = System.nanoTime();
                publisher.publish(probeEvents.get(i)).join();
                long pushedAt = push.awaitProvince(target, Duration.ofSeconds(60));
                long committedAt = topic.awaitProvince(target, Duration.ofSeconds(60));
                toTopic[i] = committedAt - produced;
                toPush[i] = pushedAt - produced;
                TimeUnit.MILLISECONDS.sleep(100 + i * 37L % 200);
            }
            out.printf("Delay:     event produced -> province total committed to %s: p50 %.0f ms, p99 %.0f ms%n",
                    Topics.TOTALS.name(), percentile(toTopic, 50), percentile(toTopic, 99));
            out.printf("Delay:     event produced -> SSE push to the dashboard (%d probes): p50 %.0f ms, p99 %.0f ms, "
                    + "max %.0f ms%n", probes, percentile(toPush, 50), percentile(toPush, 99), percentile(toPush, 100));
            return 0;
        } finally {
            push.stop();
            topic.stop();
        }
    }

    private Latencies queryDuringReplay(LocalStack stack, RegistrationPublisher publisher, List<RegistrationEvent> replay,
                                        PushWatcher push) throws InterruptedException {
        List<Region> regions = new ArrayList<>(Regions.shanxi().all());
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<long[]> perClient = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<CompletableFuture<long[]>> results = new ArrayList<>();
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            SplittableRandom random = new SplittableRandom(seed + c);
            results.add(CompletableFuture.supplyAsync(() -> {
                ViewClient client = new ViewClient(stack.streamsUrl());
                long[] samples = new long[1 << 20];
                int n = 0;
                while (!done.get() && n < samples.length) {
                    Region region = regions.get(random.nextInt(regions.size()));
                    String path = "/api/v1/totals/" + region.code() + "?period=" + period(random);
                    if (region.level() != RegionLevel.TOWNSHIP && random.nextInt(4) == 0) {
                        path = "/api/v1/totals/" + region.code() + "/children?period=" + period(random);
                    }
                    long start = System.nanoTime();
                    int status = client.get(path).status();
                    samples[n++] = System.nanoTime() - start;
                    if (status != 200) {
                        errors.incrementAndGet();
                    }
                }
                return Arrays.copyOf(samples, n);
            }, pool));
        }
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(replay.size());
        for (RegistrationEvent event : replay) {
            acks.add(publisher.publish(event));
        }
        publisher.flush();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        boolean counted = true;
        try {
            push.awaitProvince(replay.size(), timeout);
        } catch (IllegalStateException e) {
            counted = false;
        }
        done.set(true);
        double seconds = (System.nanoTime() - begin) / 1e9;
        for (CompletableFuture<long[]> result : results) {
            perClient.add(result.join());
        }
        pool.shutdown();
        if (!counted) {
            return null;
        }
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Latencies(all, errors.get(), seconds);
    }

    private static String period(SplittableRandom random) {
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays(random.nextInt(366));
        return switch (random.nextInt(4)) {
            case 0 -> "ALL";
            case 1 -> "2020";
            case 2 -> day.toString().substring(0, 7);
            default -> day.toString();
        };
    }

    private record Latencies(long[] sortedNanos, long errors, double seconds) {
        long count() {
            return sortedNanos.length;
        }

        double percentile(int p) {
            return QueryBenchCommand.percentile(sortedNanos, p);
        }
    }

    /** Nearest-rank percentile of nanosecond samples, in milliseconds. */
    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Reads the push stream and remembers when each province total was first pushed. */
    private static final class PushWatcher {
        private final String baseUrl;
        private final Map<Long, Long> firstSeen = new ConcurrentHashMap<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile InputStream body;

        PushWatcher(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        void start() throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/api/v1/stream?period=ALL")).build(), HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            Thread reader = new Thread(this::read, "bench-sse");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        long now = System.nanoTime();
                        JsonNode data = JSON.readTree(line.substring(5));
                        firstSeen.putIfAbsent(data.get("province").get("returnees").asLong(), now);
                    }
                }
            } catch (IOException e) {
                if (!stopped.get()) {
                    throw new IllegalStateException("Push stream failed", e);
                }
            }
        }

        long awaitProvince(long returnees, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Long seen = firstSeen.get(returnees);
                if (seen != null) {
                    return seen;
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            throw new IllegalStateException("The push stream never showed " + returnees + " returnees");
        }

        void stop() throws IOException {
            stopped.set(true);
            if (body != null) {
                body.close();
            }
        }
    }

    /** Reads the totals topic (read_committed) and remembers when each province total was committed. */
    private static final class TotalsWatcher {
        private final KafkaConsumer<TotalsKey, Totals> consumer;
        private final Map<Long, Long> firstSeen = new ConcurrentHashMap<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private Thread reader;

        TotalsWatcher(LocalStack stack) {
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());
            SpecificAvroDeserializer<TotalsKey> keys = new SpecificAvroDeserializer<>(TotalsKey.class, registry);
            keys.configure(Map.of(), true);
            SpecificAvroDeserializer<Totals> values = new SpecificAvroDeserializer<>(Totals.class, registry);
            values.configure(Map.of(), false);
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values);
        }

        void start() {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.TOTALS.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.TOTALS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            reader = new Thread(() -> {
                while (!stopped.get()) {
                    for (ConsumerRecord<TotalsKey, Totals> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        if (record.key() != null && Regions.PROVINCE_CODE.equals(record.key().getRegionCode())
                                && record.key().getPeriodKind() == PeriodKind.ALL && record.value() != null) {
                            firstSeen.putIfAbsent(record.value().getReturnees(), now);
                        }
                    }
                }
                consumer.close();
            }, "bench-totals");
            reader.setDaemon(true);
            reader.start();
        }

        long awaitProvince(long returnees, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Long seen = firstSeen.get(returnees);
                if (seen != null) {
                    return seen;
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            throw new IllegalStateException("The totals topic never showed " + returnees + " returnees");
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            if (reader != null) {
                reader.join(5_000);
            }
        }
    }
}
