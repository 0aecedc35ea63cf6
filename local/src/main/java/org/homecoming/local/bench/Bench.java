package org.homecoming.local.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.local.LocalStack;
import org.homecoming.local.Postgres;
import org.homecoming.local.StackPorts;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;

/**
 * One benchmark run on a fresh embedded stack: the yardsticks, end-to-end throughput, latency at a
 * steady rate, and the resources all of it used. Prints progress and the result table, writes the JSON.
 */
public final class Bench {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final BenchOptions options;
    private final PrintStream out;

    public Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * What a run produced.
     *
     * @param report   the figures
     * @param jsonFile where they were written
     */
    public record Outcome(BenchReport report, Path jsonFile) {
    }

    /** Starts the stack on free ports, runs every phase, stops the stack. */
    public Outcome run() throws Exception {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Regions regions = Regions.shanxi();
        deleteRecursively(options.dataDir());
        out.printf("Starting the embedded stack (data in %s) ...%n", options.dataDir());
        try (LocalStack stack = LocalStack.start(StackPorts.free(), options.dataDir());
             ResourceMeter meter = new ResourceMeter(options.dataDir().toAbsolutePath().resolve("postgres"))) {
            SchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());

            out.printf("1. Yardsticks: %,d records ...%n", options.yardstickRecords());
            Yardsticks yardsticks = new Yardsticks(stack.bootstrapServers(), options.dataDir().resolve("bench-streams"));
            yardsticks.createTopics();
            ResourceMeter.Cpu cpuBefore = meter.cpu();
            Yardsticks.Rate produce = yardsticks.produce(options.yardstickRecords());
            out.printf("   raw produce %,.0f records/s%n", produce.perSecond());
            Yardsticks.Rate count = yardsticks.count(options.yardstickRecords(), options.endToEndTimeout());
            out.printf("   bare count  %,.0f records/s%n", count.perSecond());
            ResourceMeter.Cpu yardstickCpu = meter.cpu().since(cpuBefore);

            Workload workload = Workloads.forRun(options, regions);
            out.printf("2. End to end: %s ...%n", workload.description());
            EndToEnd.Result endToEnd;
            ResourceMeter.Cpu endToEndCpu;
            try (PostgresTotals postgres = new PostgresTotals(stack.jdbcUrl(), Postgres.SUPERUSER)) {
                EndToEnd run = new EndToEnd(stack.bootstrapServers(), serializer(registry), postgres, Duration.ofMillis(50),
                        options.dataDir().toAbsolutePath().resolve("bench-records"));
                try (EndToEnd.Prepared prepared = run.prepare(workload)) {
                    out.printf("   generated and serialised in %.1f s (%,.0f MiB on disk); sending ...%n",
                            prepared.generateTime().toMillis() / 1000.0, prepared.bytes() / (1024.0 * 1024.0));
                    // the clock and the CPU reading start only now: generating is the harness's work, not the pipeline's
                    cpuBefore = meter.cpu();
                    endToEnd = run.run(prepared, options.endToEndTimeout());
                    endToEndCpu = meter.cpu().since(cpuBefore);
                }
            }
            out.printf("   %s after %.1f s%n", endToEnd.matched() ? "totals equal" : "TOTALS NOT EQUAL",
                    endToEnd.elapsed().toMillis() / 1000.0);
            out.println("   records written per event, by topic (end offsets, transaction markers included):");
            long events = endToEnd.events();
            TopicOffsets.endOffsets(stack.bootstrapServers()).forEach((topic, offsets) ->
                    out.printf("     %-62s %6.2f%n", topic, offsets / (double) events));

            out.printf("3. Latency: %,d events/s for %d s ...%n", options.rate(), options.duration().toSeconds());
            String township = SteadyLoad.defaultProbeTownship(regions);
            LatencyRun.Result latency;
            cpuBefore = meter.cpu();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                         RegistrationPublisher.settings(stack.bootstrapServers()), new ByteArraySerializer(),
                         new ByteArraySerializer());
                 TotalsTopicTarget topic = new TotalsTopicTarget(stack.bootstrapServers(), registry, township);
                 QueryApiTarget api = QueryApiTarget.totalsApi("http://localhost:" + stack.ports().streams(), township,
                         Duration.ofMillis(10));
                 PostgresTarget postgres = new PostgresTarget(stack.jdbcUrl(), Postgres.SUPERUSER, township,
                         Duration.ofMillis(10))) {
                latency = new LatencyRun(producer, new SteadyLoad(regions, township, options.seed()),
                        new RegistrationWire(serializer(registry)))
                        .run(List.of(topic, api, postgres), options.rate(), options.duration(), options.probesPerSecond(),
                                options.drainTimeout());
            }
            ResourceMeter.Cpu latencyCpu = meter.cpu().since(cpuBefore);

            BenchReport report = new BenchReport(startedAt, BenchReport.Environment.current(), options, produce, count,
                    yardstickCpu, workload.description(), endToEnd, endToEndCpu, latency, latencyCpu,
                    meter.jvmPeakRssBytes(), meter.postgresPeakRssBytes());
            Files.createDirectories(options.out());
            Path json = options.out().resolve("bench-" + FILE_TIME.format(startedAt) + ".json");
            Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
            return new Outcome(report, json);
        }
    }

    private static SpecificAvroSerializer<RegistrationEvent> serializer(SchemaRegistryClient registry) {
        return new SpecificAvroSerializer<>(registry, false);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
