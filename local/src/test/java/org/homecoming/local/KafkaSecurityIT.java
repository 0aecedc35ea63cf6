package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.homecoming.local.CommittedTotals.nonZero;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.local.audit.Audit;
import org.homecoming.local.audit.AuditException;
import org.homecoming.local.audit.AuditOptions;
import org.homecoming.local.security.KafkaAccess;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.RandomRegistrations;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stack in {@code --secure} mode (issue 15): every service runs as its own SCRAM-SHA-512 principal, and
 * each principal is refused what its ACLs do not allow, with the error Kafka really answers.
 */
class KafkaSecurityIT {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSecurityIT.class);
    private static final long SEED = 15L;
    private static final int PEOPLE = 1_000;
    private static final int RECORDS = 10_000;
    private static final Duration REFUSAL = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static LocalStack stack;

    @BeforeAll
    static void startSecuredStack() throws Exception {
        stack = LocalStack.startSecured(StackPorts.free(), dir.resolve("data"), dir.resolve("secrets"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void the_passwords_are_generated_into_files_only_their_owner_can_read() throws Exception {
        Path secrets = stack.secretsDir().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwx------");
        for (String account : List.of(KafkaAccess.ADMIN, KafkaAccess.CONTROLLER, KafkaAccess.GATEWAY, KafkaAccess.STREAMS,
                KafkaAccess.VIEW, KafkaAccess.SINK, KafkaAccess.REGISTRY, KafkaAccess.BI)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve(account))))
                    .as(account).isEqualTo("rw-------");
        }
    }

    @Test
    void a_10000_record_replay_through_the_secured_stack_ends_with_exact_totals() throws Exception {
        List<SentRecord> sent = RandomRegistrations.generate(SEED, PEOPLE, RECORDS, Regions.shanxi());
        ReferenceModel model = ReferenceModel.of(Regions.shanxi(), sent);
        Map<Bucket, Metrics> expected = model.totals();

        long begin = System.nanoTime();
        sendAsGateway(sent);
        Map<Bucket, Metrics> fromTopic = new HashMap<>();
        // bi may read the totals topic: the replay's result, read with its credentials
        try (CommittedTotals.TopicReader topic = new CommittedTotals.TopicReader(client(KafkaAccess.BI), stack.registryUrl())) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
                fromTopic.putAll(topic.catchUp());
                return nonZero(fromTopic).equals(expected);
            });
        }
        double topicSeconds = (System.nanoTime() - begin) / 1e9;
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> nonZero(CommittedTotals.regionTotals(stack.jdbcUrl(), Postgres.OWNER,
                        stack.postgres().password(Postgres.OWNER))).equals(expected));
        double seconds = (System.nanoTime() - begin) / 1e9;
        // the dashboard beside the view, as the view principal: rejections from the rejected topic, freshness from
        // the registrations' offsets and the counting group's
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> rejections = get(http, "/api/v1/rejections");
            assertThat(rejections.statusCode()).isEqualTo(200);
            assertThat(rejections.body()).contains("BAD_KEY", "UNKNOWN_RETRACTION_TARGET");
        });
        assertThat(get(http, "/api/v1/freshness").statusCode()).isEqualTo(200);

        // ./homecoming audit --secure: the super user reads every topic and the counting group's offsets
        AuditOptions audit = AuditOptions.of(stack.bootstrapServers(), stack.registryUrl(), stack.jdbcUrl(),
                Postgres.OWNER, stack.postgres().password(Postgres.OWNER)).withAttempts(5, Duration.ofSeconds(2));
        assertThat(Audit.run(audit.withKafkaSecurity(stack.clientSecurity(KafkaAccess.ADMIN))).exitCode()).isZero();
        assertThatThrownBy(() -> Audit.run(audit.withTimeout(Duration.ofSeconds(5)))).isInstanceOf(AuditException.class);
        LOG.info("Secured replay: {} records of {} people, totals topic exact after {} s, region_totals after {} s"
                + " ({} non-zero buckets)", RECORDS, PEOPLE, String.format("%.1f", topicSeconds),
                String.format("%.1f", seconds), expected.size());
    }

    @Test
    void the_gateway_cannot_read_the_totals() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(KafkaAccess.GATEWAY)) {
            assertRefusedToRead(consumer, Topics.TOTALS.name());
        }
    }

    @Test
    void the_gateway_cannot_read_the_registrations_it_writes() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(KafkaAccess.GATEWAY)) {
            assertRefusedToRead(consumer, Topics.REGISTRATIONS.name());
        }
    }

    @Test
    void the_gateway_cannot_write_the_totals() {
        try (KafkaProducer<byte[], byte[]> producer = producer(KafkaAccess.GATEWAY, Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TOTALS.name(), new byte[] {1}, new byte[] {1}))
                    .get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(Topics.TOTALS.name());
        }
    }

    @Test
    void bi_cannot_produce_even_to_the_topic_it_reads_its_producer_id_is_refused() {
        try (KafkaProducer<byte[], byte[]> producer = producer(KafkaAccess.BI, Map.of())) {
            // no WRITE on any topic and no IDEMPOTENT_WRITE on the cluster: InitProducerId is refused
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TOTALS.name(), new byte[] {1}, new byte[] {1}))
                    .get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ClusterAuthorizationException.class);
        }
    }

    @Test
    void the_sink_cannot_forge_totals() {
        try (KafkaProducer<byte[], byte[]> producer = producer(KafkaAccess.SINK, Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TOTALS.name(), new byte[] {1}, new byte[] {1}))
                    .get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(Topics.TOTALS.name());
        }
    }

    @Test
    void the_view_cannot_write_the_totals_it_reads() {
        // its own internal topics (ALL on homecoming-totals-view-) are a WRITE somewhere, so its producer id is granted:
        // the refusal comes from the topic
        try (KafkaProducer<byte[], byte[]> producer = producer(KafkaAccess.VIEW, Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TOTALS.name(), new byte[] {1}, new byte[] {1}))
                    .get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(Topics.TOTALS.name());
        }
    }

    @Test
    void bi_cannot_read_the_registrations() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(KafkaAccess.BI)) {
            assertRefusedToRead(consumer, Topics.REGISTRATIONS.name());
        }
    }

    @Test
    void bi_cannot_take_a_transactional_id_of_the_counting_application() {
        try (KafkaProducer<byte[], byte[]> producer = producer(KafkaAccess.BI,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaAccess.COUNTING_APPLICATION_ID + "-" + UUID.randomUUID()
                        + "-1"))) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void a_wrong_password_is_refused() {
        KafkaClientSecurity wrong = KafkaClientSecurity.scram(KafkaAccess.BI, "not-the-password");
        assertThatThrownBy(() -> describeCluster(wrong)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("Authentication failed");
    }

    @Test
    void an_unknown_user_is_refused() {
        KafkaClientSecurity unknown = KafkaClientSecurity.scram("nobody", "any-password");
        assertThatThrownBy(() -> describeCluster(unknown)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("Authentication failed");
    }

    @Test
    void a_client_without_credentials_gets_no_answer() {
        // A PLAINTEXT client speaks Kafka where the broker waits for a SASL handshake: the broker closes every
        // connection, so the client never learns more than that the call timed out.
        assertThatThrownBy(() -> describeCluster(KafkaClientSecurity.NONE)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class);
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.streamsUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void describeCluster(KafkaClientSecurity security) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (Admin admin = Admin.create(security.applyTo(config))) {
            admin.describeCluster().clusterId().get();
        }
    }

    private static void assertRefusedToRead(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        assertThatThrownBy(() -> {
            long deadline = System.nanoTime() + REFUSAL.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
        }).isInstanceOf(TopicAuthorizationException.class)
                .satisfies(e -> assertThat(((TopicAuthorizationException) e).unauthorizedTopics()).containsExactly(topic));
    }

    private static Map<String, Object> client(String account) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return stack.clientSecurity(account).applyTo(config);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String account) {
        Map<String, Object> config = client(account);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String account, Map<String, Object> extra) {
        Map<String, Object> config = client(account);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void sendAsGateway(List<SentRecord> records) {
        SpecificAvroSerializer<RegistrationEvent> serializer =
                new SpecificAvroSerializer<>(new RestSchemaRegistryClient(stack.registryUrl()), false);
        try (KafkaProducer<byte[], byte[]> producer = producer(KafkaAccess.GATEWAY, Map.of())) {
            for (SentRecord record : records) {
                byte[] value = record.event() == null ? record.raw()
                        : serializer.serialize(Topics.REGISTRATIONS.name(), record.event());
                producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), null, record.timestamp().toEpochMilli(),
                        record.key(), value));
            }
            producer.flush();
        }
    }
}
