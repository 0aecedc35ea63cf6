package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.events.BusinessStarted;
import org.homecoming.events.BusinessType;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.EmploymentType;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegionLevel;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.RetractionReason;
import org.homecoming.events.ReturnReason;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.events.TrainingProgramme;
import org.homecoming.events.WorkDistance;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.Reconciler;
import org.homecoming.sink.StatementForm;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The sink in its own JVM, killed with SIGKILL at random points of a replay and restarted, then PostgreSQL
 * stopped and started under it: afterwards {@code region_totals} is exactly the totals topic (the newest
 * committed value of every key, with its partition and offset), the ledger holds every accepted event once,
 * and reconcile finds no drift. The replay is written the way the streams application writes it: accepted
 * events and the totals they change in one Kafka transaction, plus aborted transactions that must never
 * show.
 */
class SinkCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCrashIT.class);
    private static final int KILLS = 10;
    private static final int CHUNKS = KILLS + 3;
    private static final int EVENTS_PER_CHUNK = 700;
    private static final int PEOPLE = 2500;
    private static final StatementForm FORM = StatementForm.UNNEST;
    /** Low, so that the PostgreSQL outage outlasts it several times over. */
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(3);
    private static final Duration OUTAGE = MAX_POLL_INTERVAL.multipliedBy(3);

    @TempDir
    static Path dir;

    static SinkTestStack stack;

    private final Random random = new Random(20210315);
    private final Regions regions = Regions.shanxi();
    private final TotalsOracle oracle = new TotalsOracle(regions);
    private final List<String> townships = new ArrayList<>();
    private final Map<TopicPartition, Long> committedEnds = new HashMap<>();
    private final List<UUID> abortedEventIds = new ArrayList<>();
    private int eventsCommitted;
    private int retractionsCommitted;
    private int totalsCommitted;
    private final List<Long> restartMillis = new ArrayList<>();
    private Process sink;
    private Path sinkLog;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        stack = SinkTestStack.start(dir);
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (stack != null) {
            stack.stop();
        }
    }

    static String registryUrl() {
        return stack.registryUrl();
    }

    static DataSource dataSource(String user) {
        return stack.dataSource(user);
    }

    @Test
    void sigkill_at_random_points_and_a_postgres_restart_leave_region_totals_exactly_equal_to_the_totals_topic()
            throws Exception {
        List<Region> all = regions.atLevel(RegionLevel.TOWNSHIP);
        for (int i = 0; i < 40; i++) {
            townships.add(all.get(random.nextInt(all.size())).code());
        }
        townships.add("140971100");
        long begin = System.nanoTime();
        sinkLog = dir.resolve("sink-process.log");
        try (KafkaProducer<Object, Object> producer = producer()) {
            producer.initTransactions();
            int chunk = 0;
            int kills = 0;
            produceChunk(producer, chunk++);
            produceChunk(producer, chunk++);
            while (kills < KILLS) {
                long from = storedRecords();
                long started = System.nanoTime();
                startSink();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25))
                        .until(() -> storedRecordsQuietly() > from || !sink.isAlive());
                restartMillis.add((System.nanoTime() - started) / 1_000_000);
                // then a random point further on, usually inside a batch being written
                long target = storedRecords() + random.nextInt(4000);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> storedRecordsQuietly() >= target || !sink.isAlive());
                assertThat(sink.isAlive()).as("sink process alive; see " + sinkLog).isTrue();
                sink.destroyForcibly().waitFor();
                kills++;
                long at = storedRecords();
                LOG.info("Kill {}: SIGKILL after {} records stored (from {}), {} left to store", kills, at, from,
                        totalCommittedRecords() - at);
                assertThat(at).as("killed mid-replay").isLessThan(totalCommittedRecords());
                if (chunk < CHUNKS - 1) {
                    produceChunk(producer, chunk++);
                }
            }
            long killPhase = System.nanoTime();
            LOG.info("Sink restarts: first commit {} ms after process start (each restart: {})",
                    restartMillis.stream().mapToLong(Long::longValue).sum() / restartMillis.size(), restartMillis);

            // PostgreSQL stops under a running sink for longer than max.poll.interval.ms and comes back on the same
            // data and port: the sink must keep its group membership (no new assignment) and resume within 10 s
            startSink();
            long beforeStop = storedRecords();
            await().atMost(Duration.ofSeconds(60)).until(() -> storedRecordsQuietly() > beforeStop);
            await().atMost(Duration.ofSeconds(30)).until(() -> groupMembers().size() == 1);
            Set<String> membersBefore = groupMembers();
            stack.stopPostgres();
            long stoppedAt = System.nanoTime();
            long logBefore = Files.size(sinkLog);
            produceChunk(producer, chunk++);
            await().atMost(Duration.ofSeconds(60)).until(() -> log().substring((int) logBefore)
                    .contains("PostgreSQL refused a batch"));
            // the outage itself is the input of this test: it lasts OUTAGE whatever the sink does meanwhile
            await().pollDelay(OUTAGE.minus(Duration.ofNanos(System.nanoTime() - stoppedAt))).until(() -> true);
            assertThat(sink.isAlive()).isTrue();
            stack.startPostgres();
            long restartedAt = System.nanoTime();
            // everything produced so far, the chunk written during the outage included
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::caughtUpQuietly);
            long resumeMillis = (System.nanoTime() - restartedAt) / 1_000_000;
            assertThat(groupMembers()).as("the same member, never dropped from the group").isEqualTo(membersBefore);
            assertThat(log().substring((int) logBefore)).doesNotContain("poll timeout has expired");
            LOG.info("PostgreSQL away for {} s (max.poll.interval.ms {} ms); the sink resumed {} ms after it came back",
                    (restartedAt - stoppedAt) / 1_000_000_000, MAX_POLL_INTERVAL.toMillis(), resumeMillis);
            LOG.info("PostgreSQL restarted; sink retried meanwhile");
            while (chunk < CHUNKS) {
                produceChunk(producer, chunk++);
            }
            long catchUp = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(this::caughtUp);
            long done = System.nanoTime();
            LOG.info("Crash test: {} kills, {} accepted events ({} retractions), {} totals records committed; kill phase "
                            + "{} s, total {} s; last catch-up {} records in {} s",
                    kills, eventsCommitted, retractionsCommitted, totalsCommitted, (killPhase - begin) / 1_000_000_000,
                    (done - begin) / 1_000_000_000, totalCommittedRecords() - beforeStop, (done - catchUp) / 1e9);
        } finally {
            if (sink != null) {
                sink.destroyForcibly().waitFor();
            }
        }

        assertRegionTotalsEqualTheTopic();
        assertLedgerHoldsEveryCommittedEventOnce();
        assertThat(new Reconciler(dataSource("homecoming_sink")).reconcile().drifts()).isEmpty();
        assertReconcileCommandExitCodes();
    }

    private KafkaProducer<Object, Object> producer() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registryUrl());
        SpecificAvroSerializer<TotalsKey> keys = new SpecificAvroSerializer<>(client, false);
        keys.configure(Map.of(), true);
        SpecificAvroSerializer<Totals> totals = new SpecificAvroSerializer<>(client, false);
        totals.configure(Map.of(), false);
        SpecificAvroSerializer<RegistrationEvent> events = new SpecificAvroSerializer<>(client, false);
        events.configure(Map.of(), false);
        StringSerializer strings = new StringSerializer();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "crash-test-replay",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config, (topic, value) -> value instanceof TotalsKey key ? keys.serialize(topic, key)
                : strings.serialize(topic, (String) value),
                (topic, value) -> value instanceof Totals t ? totals.serialize(topic, t)
                        : events.serialize(topic, (RegistrationEvent) value));
    }

    /** One chunk of the replay: transactions of 50 events and the totals they change; every 7th one aborted. */
    private void produceChunk(KafkaProducer<Object, Object> producer, int chunk) throws Exception {
        for (int tx = 0; tx < EVENTS_PER_CHUNK / 50; tx++) {
            if ((chunk * 100 + tx) % 7 == 3) {
                produceAborted(producer);
            }
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            int events = 0;
            int retractions = 0;
            for (int i = 0; i < 50; i++) {
                RegistrationEvent event = nextEvent();
                sent.add(producer.send(new ProducerRecord<>(Topics.ACCEPTED.name(), event.getPersonRef(), event)));
                events++;
                retractions += event.getPayload() instanceof RegistrationRetracted ? 1 : 0;
                for (Map.Entry<Bucket, Metrics> change : oracle.accept(event).entrySet()) {
                    sent.add(producer.send(new ProducerRecord<>(Topics.TOTALS.name(), change.getKey().toKey(),
                            totals(change.getKey(), change.getValue()))));
                }
            }
            producer.commitTransaction();
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get();
                committedEnds.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1,
                        Math::max);
            }
            eventsCommitted += events;
            retractionsCommitted += retractions;
            totalsCommitted += sent.size() - events;
        }
    }

    /** Values that exist in the log but were never committed: read_committed must never show them. */
    private void produceAborted(KafkaProducer<Object, Object> producer) throws ExecutionException, InterruptedException {
        producer.beginTransaction();
        RegistrationEvent ghost = event(person(random.nextInt(PEOPLE)), townships.get(0), LocalDate.of(2021, 1, 1),
                new ReturneeRegistered(null, ReturnReason.OTHER));
        abortedEventIds.add(ghost.getEventId());
        producer.send(new ProducerRecord<>(Topics.ACCEPTED.name(), ghost.getPersonRef(), ghost));
        Bucket province = new Bucket(Regions.PROVINCE_CODE, PeriodKind.ALL, Bucket.ALL_TIME_START);
        producer.send(new ProducerRecord<>(Topics.TOTALS.name(), province.toKey(),
                totals(province, new Metrics(999_999, 0, 0, 0, 0, 0)))).get();
        producer.flush();
        producer.abortTransaction();
    }

    private RegistrationEvent nextEvent() {
        String person = person(random.nextInt(PEOPLE));
        List<RegistrationEvent> active = oracle.active(person);
        LocalDate day = LocalDate.of(2021, 1, 1).plusDays(random.nextInt(365));
        if (!active.isEmpty() && random.nextInt(100) < 12) {
            RegistrationEvent target = active.get(random.nextInt(active.size()));
            return event(person, target.getTownshipCode(), day,
                    new RegistrationRetracted(target.getEventId(), RetractionReason.DATA_ENTRY_ERROR));
        }
        String township = townships.get(random.nextInt(townships.size()));
        int kind = random.nextInt(100);
        Object payload;
        if (kind < 45) {
            payload = new ReturneeRegistered(null, ReturnReason.FAMILY);
        } else if (kind < 65) {
            payload = new EmploymentNearHomeRecorded(EmploymentType.WAGE_EMPLOYMENT, WorkDistance.IN_COUNTY);
        } else if (kind < 80) {
            long loan = random.nextInt(300_001) * 100L;
            payload = new BusinessStarted(BusinessType.RURAL_INN, 2 * loan, loan, random.nextInt(11));
        } else {
            payload = new TrainingCompleted(TrainingProgramme.SKILLED_FARMER, 8 + random.nextInt(80));
        }
        return event(person, township, day, payload);
    }

    private RegistrationEvent event(String person, String township, LocalDate day, Object payload) {
        return RegistrationEvent.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setPersonRef(person)
                .setPersonRefKeyVersion(1)
                .setTownshipCode(township)
                .setTerminalId("crash-test")
                .setOccurredOn(day)
                .setRecordedAt(day.atStartOfDay().toInstant(java.time.ZoneOffset.UTC).plusSeconds(random.nextInt(86_400)))
                .setPayload(payload)
                .build();
    }

    private static String person(int n) {
        return String.format("%064x", 0x5eed0000L + n);
    }

    private Totals totals(Bucket bucket, Metrics m) {
        return new Totals(bucket.regionCode(), regions.find(bucket.regionCode()).orElseThrow().level(),
                bucket.periodKind(), bucket.periodStart(), m.returnees(), m.employedNearHome(), m.businessesStarted(),
                m.guaranteedLoansFen(), m.jobsCreated(), m.trained(), Instant.now());
    }

    private void startSink() throws IOException {
        String java = ServiceProcess.javaBinary().toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                SinkProcessMain.class.getName(), stack.bootstrapServers(), registryUrl(),
                stack.jdbcUrl(),
                "homecoming_sink", FORM.name(), Long.toString(MAX_POLL_INTERVAL.toMillis()));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(sinkLog.toFile()));
        sink = builder.start();
    }

    /** The consumer ids of the sink group's members: a member the group dropped comes back with a new one. */
    private static Set<String> groupMembers() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(SinkProcessMain.GROUP)).describedGroups()
                    .get(SinkProcessMain.GROUP).get(30, TimeUnit.SECONDS).members().stream()
                    .map(MemberDescription::consumerId).collect(Collectors.toSet());
        }
    }

    private String log() throws IOException {
        return Files.readString(sinkLog, StandardCharsets.UTF_8);
    }

    private long totalCommittedRecords() {
        return committedEnds.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Sum of stored next offsets: grows with every transaction the sink commits. */
    private static long storedRecords() throws SQLException {
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM sink_offset")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long storedRecordsQuietly() {
        try {
            return storedRecords();
        } catch (SQLException e) {
            return -1;
        }
    }

    /** False while PostgreSQL still refuses connections as it starts. */
    private boolean caughtUpQuietly() {
        try {
            return caughtUp();
        } catch (SQLException e) {
            return false;
        }
    }

    private boolean caughtUp() throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT topic, partition, next_offset FROM sink_offset")) {
            while (rs.next()) {
                stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return committedEnds.entrySet().stream()
                .allMatch(e -> stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private void assertRegionTotalsEqualTheTopic() throws Exception {
        Map<String, String> topic = new HashMap<>();
        SpecificAvroDeserializer<Totals> values = new SpecificAvroDeserializer<>(Totals.class,
                new RestSchemaRegistryClient(registryUrl()));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.TOTALS.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.TOTALS.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Totals t = values.deserialize(record.topic(), record.value());
                    topic.put(t.getRegionCode() + " " + t.getPeriodKind() + " " + t.getPeriodStart(),
                            row(t.getReturnees(), t.getEmployedNearHome(), t.getBusinessesStarted(),
                                    t.getGuaranteedLoansFen(), t.getJobsCreated(), t.getTrained(), record.partition(),
                                    record.offset(), t.getUpdatedAt()));
                }
            }
        }
        Map<String, String> table = new HashMap<>();
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT region_code, period_kind, period_start, returnees,"
                     + " employed_near_home, businesses_started, guaranteed_loans_fen, jobs_created, trained,"
                     + " source_partition, source_offset, updated_at FROM region_totals")) {
            while (rs.next()) {
                table.put(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3), row(rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(10), rs.getLong(11),
                        rs.getObject(12, OffsetDateTime.class).toInstant()));
            }
        }
        assertThat(table).hasSize(topic.size()).isEqualTo(topic);
        Map<String, String> oracleTotals = new HashMap<>();
        oracle.totals().forEach((b, m) -> oracleTotals.put(b.regionCode() + " " + b.periodKind() + " " + b.periodStart(),
                m.returnees() + " " + m.employedNearHome() + " " + m.businessesStarted() + " " + m.guaranteedLoansFen()
                        + " " + m.jobsCreated() + " " + m.trained()));
        Map<String, String> tableMetrics = new HashMap<>();
        table.forEach((k, v) -> tableMetrics.put(k, v.substring(0, v.indexOf(" @"))));
        assertThat(tableMetrics).isEqualTo(oracleTotals);
        assertThat(table.get("140000 ALL 1970-01-01")).doesNotStartWith("999999");
        LOG.info("region_totals: {} buckets equal to the topic's newest committed values", table.size());
    }

    private static String row(long r, long e, long b, long l, long j, long t, int partition, long offset, Instant at) {
        return r + " " + e + " " + b + " " + l + " " + j + " " + t + " @" + partition + ":" + offset + " " + at.toEpochMilli();
    }

    private void assertLedgerHoldsEveryCommittedEventOnce() throws SQLException {
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE retracted),"
                     + " count(*) FILTER (WHERE event_type = 'RegistrationRetracted'),"
                     + " count(*) FILTER (WHERE event_id = ANY ('" + abortedEventIds.toString().replace('[', '{')
                     .replace(']', '}').replace(" ", "") + "'::uuid[])) FROM registration_event")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(eventsCommitted);
            assertThat(rs.getLong(2)).isEqualTo(retractionsCommitted);
            assertThat(rs.getLong(3)).isEqualTo(retractionsCommitted);
            assertThat(rs.getLong(4)).isZero();
        }
        assertThat(abortedEventIds).isNotEmpty();
    }

    private void assertReconcileCommandExitCodes() throws SQLException {
        String[] args = {"reconcile", "--database-url", stack.jdbcUrl(), "--user", "homecoming_sink", "--attempts", "1"};
        assertThat(new CommandLine(new HomecomingCommand()).execute(args)).isZero();
        try (Connection connection = dataSource("postgres").getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE region_totals SET trained = trained + 1 WHERE region_code = '140000'"
                    + " AND period_kind = 'ALL'");
            assertThat(new CommandLine(new HomecomingCommand()).execute(args)).isEqualTo(1);
            statement.executeUpdate("UPDATE region_totals SET trained = trained - 1 WHERE region_code = '140000'"
                    + " AND period_kind = 'ALL'");
        }
        assertThat(new CommandLine(new HomecomingCommand()).execute(args)).isZero();
    }
}
