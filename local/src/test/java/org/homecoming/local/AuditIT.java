package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.local.audit.Audit;
import org.homecoming.local.audit.AuditOptions;
import org.homecoming.local.audit.AuditReport;
import org.homecoming.local.audit.Differences;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.KafkaTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./homecoming audit} against the embedded stack: after a noisy province-year replay (resends, retractions,
 * invalid records) and poison bytes it finds every output equal to the reference model; a tampered {@code region_totals}
 * row, a ledger row deleted, a forged totals record and a transaction left open each make it exit 1, listed.
 */
class AuditIT {

    private static final Bucket PROVINCE = new Bucket(Regions.PROVINCE_CODE, PeriodKind.ALL, Bucket.ALL_TIME_START);
    private static final String TAIYUAN = "140100";

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static CountingGroup group;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(StackPorts.free(), dataDir);
        group = new CountingGroup(stack.bootstrapServers());
    }

    @AfterAll
    static void stopStack() {
        if (group != null) {
            group.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void the_audit_agrees_after_a_noisy_replay_and_lists_every_planted_difference_with_exit_code_1() throws Exception {
        ProvinceYearSimulation simulation = ProvinceYearSimulation.plan(
                new ProvinceYearSimulation.Options(0.005, 2021, 0.03, 0.01, 0.005), Regions.shanxi());
        List<SimulatedRecord> records = simulation.records(
                new Pseudonymizer("audit-it-person-key-of-this-replay".getBytes(StandardCharsets.US_ASCII), 1));
        KafkaTarget target = new KafkaTarget(stack.bootstrapServers(), stack.registryUrl());
        records.forEach(target::send);
        assertThat(target.finish().failed()).isZero();
        target.close();
        sendPoison(records.get(0).event());
        List<TopicPartition> input = IntStream.range(0, Topics.REGISTRATIONS.partitions())
                .mapToObj(p -> new TopicPartition(Topics.REGISTRATIONS.name(), p)).toList();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> group.backlog(input) == 0);

        AuditOptions options = AuditOptions.of(stack.bootstrapServers(), stack.registryUrl(), stack.jdbcUrl(),
                Postgres.SUPERUSER, "").withAttempts(60, Duration.ofSeconds(1));
        AuditReport agrees = Audit.run(options);
        assertThat(agrees.differences().listed()).as(print(agrees)).isEmpty();
        assertThat(agrees.exitCode()).isZero();
        assertThat(agrees.inputRecords()).isEqualTo(simulation.expected().events() + 3);
        assertThat(agrees.duplicates()).isPositive();
        assertThat(agrees.rejectedByReason()).containsKeys("UNDESERIALIZABLE", "BAD_KEY")
                .allSatisfy((reason, count) -> assertThat(count.topic()).as(reason).isEqualTo(count.oracle()));
        assertThat(agrees.bucketsCompared()).isPositive();
        assertThat(print(agrees)).contains(String.format("%,d compared with homecoming.totals", agrees.bucketsCompared()),
                "OK: all");
        assertThat(audit(options)).isZero();

        AuditOptions once = options.withAttempts(1, Duration.ZERO);
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), Postgres.SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            String taiyuan = " WHERE region_code = '" + TAIYUAN + "' AND period_kind = 'ALL'";
            assertThat(statement.executeUpdate("UPDATE region_totals SET trained = trained + 1" + taiyuan)).isOne();
            assertThat(listed(Audit.run(once))).singleElement().asString()
                    .startsWith("region_totals " + TAIYUAN + "|ALL|1970-01-01: trained ");
            assertThat(audit(once)).as("exit code with a tampered row in region_totals").isEqualTo(1);
            statement.executeUpdate("UPDATE region_totals SET trained = trained - 1" + taiyuan);

            UUID deleted = deleteOneLedgerRow(statement);
            assertThat(listed(Audit.run(once))).containsExactly("registration_event event " + deleted + " is missing");
            assertThat(audit(once)).as("exit code with a record removed from the ledger").isEqualTo(1);
        }

        Metrics province = CommittedTotals.regionTotals(stack.jdbcUrl()).get(PROVINCE);
        Metrics forged = province.plus(new Metrics(1000, 0, 0, 0, 0, 0));
        forgeTotals(PROVINCE, forged);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> CommittedTotals.regionTotals(stack.jdbcUrl()).get(PROVINCE).equals(forged));
        AuditReport differs;
        try (KafkaProducer<byte[], byte[]> open = openTransaction()) {
            differs = Audit.run(once);
            open.abortTransaction();
        }
        String wrong = "140000|ALL|1970-01-01: returnees " + forged.returnees() + " (oracle " + province.returnees() + ")";
        assertThat(listed(differs)).as(print(differs)).hasSize(4).contains("homecoming.totals " + wrong,
                        "region_totals " + wrong)
                .anyMatch(d -> d.startsWith("registration_event event "))
                .anyMatch(d -> d.startsWith("open transaction " + Topics.REJECTED.name() + "-"));
        assertThat(differs.exitCode()).isEqualTo(1);
        assertThat(print(differs)).contains("DIFFERENCES: 4 (1 homecoming.totals, 1 region_totals, "
                + "1 registration_event, 1 open transaction)");
    }

    @Test
    void the_audit_cannot_run_without_the_counting_group_or_the_database() {
        String[] kafka = {"audit", "--bootstrap-servers", stack.bootstrapServers(), "--registry", stack.registryUrl(),
            "--timeout", "PT5S"};
        String[] noGroup = {"--database", stack.jdbcUrl(), "--application-id", "no-such-application"};
        String[] noDatabase = {"--database", "jdbc:postgresql://localhost:" + StackPorts.free().postgres() + "/homecoming"};

        assertThat(new CommandLine(new HomecomingCommand()).execute(concat(kafka, noGroup))).isEqualTo(2);
        assertThat(new CommandLine(new HomecomingCommand()).execute(concat(kafka, noDatabase))).isEqualTo(2);
    }

    private static String[] concat(String[] first, String[] second) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(String[]::new);
    }

    private static List<String> listed(AuditReport report) {
        return report.differences().listed().stream().map(Differences.Difference::toString).toList();
    }

    /** A record of bytes that are not Avro, and an event under a key that is not its personRef. */
    private static void sendPoison(RegistrationEvent someone) throws Exception {
        SpecificAvroSerializer<RegistrationEvent> events =
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false);
        events.configure(Map.of(), false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            String topic = Topics.REGISTRATIONS.name();
            producer.send(new ProducerRecord<>(topic, bytes("poison-1"), bytes("not avro at all"))).get();
            producer.send(new ProducerRecord<>(topic, bytes("poison-2"), new byte[] {0, 0, 0, 99, 99, 1, 2, 3})).get();
            producer.send(new ProducerRecord<>(topic, bytes("someone-else"), events.serialize(topic, someone))).get();
        }
    }

    /** A totals record written past the counting application, as a plain producer would. */
    private static void forgeTotals(Bucket bucket, Metrics m) throws Exception {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());
        SpecificAvroSerializer<TotalsKey> keys = new SpecificAvroSerializer<>(registry, false);
        keys.configure(Map.of(), true);
        SpecificAvroSerializer<Totals> values = new SpecificAvroSerializer<>(registry, false);
        values.configure(Map.of(), false);
        String topic = Topics.TOTALS.name();
        Totals totals = new Totals(bucket.regionCode(), RegionLevel.PROVINCE, bucket.periodKind(), bucket.periodStart(),
                m.returnees(), m.employedNearHome(), m.businessesStarted(), m.guaranteedLoansFen(), m.jobsCreated(),
                m.trained(), Instant.now());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, keys.serialize(topic, bucket.toKey()),
                    values.serialize(topic, totals))).get();
        }
    }

    private static UUID deleteOneLedgerRow(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("DELETE FROM registration_event WHERE event_id = (SELECT event_id"
                + " FROM registration_event WHERE NOT retracted AND event_type = 'TrainingCompleted' LIMIT 1)"
                + " RETURNING event_id")) {
            assertThat(rs.next()).isTrue();
            return rs.getObject(1, UUID.class);
        }
    }

    /** A transaction begun on the rejected topic and left open. */
    private static KafkaProducer<byte[], byte[]> openTransaction() throws Exception {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "audit-it-open-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.REJECTED.name(), 0, bytes("k"), bytes("never committed"))).get();
        return producer;
    }

    private static int audit(AuditOptions options) {
        return new CommandLine(new HomecomingCommand()).execute("audit", "--bootstrap-servers", options.bootstrapServers(),
                "--registry", options.registryUrl(), "--database", options.jdbcUrl(), "--database-user",
                options.databaseUser(), "--attempts", Integer.toString(options.attempts()), "--retry-interval",
                options.retryInterval().toString());
    }

    private static String print(AuditReport report) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        return text.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
