package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Region;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.streams.topology.Names;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of the streams service on the embedded broker: each owns part of the view's store, and
 * each answers for every region, reading its own store or forwarding to the owner. Totals are written to
 * the totals topic in transactions, as the counting application writes them, one of them aborted.
 */
class TwoStreamsInstancesIT {

    private static final Regions REGIONS = Regions.shanxi();
    private static final Instant UPDATED = Instant.parse("2020-03-15T02:00:00Z");
    private static final long ABORTED = 999_999;

    @TempDir
    static Path dataDir;

    static LocalStack stack;
    static ViewClient first;
    static ViewClient second;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        stack = LocalStack.start(StackPorts.free(), dataDir.resolve("stack"));
        int secondPort = StackPorts.free().streams();
        stack.startStreamsInstance(secondPort, dataDir.resolve("second"));
        first = new ViewClient(stack.streamsUrl());
        second = new ViewClient("http://localhost:" + secondPort);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void each_instance_answers_for_every_region_by_forwarding_to_the_owner_and_never_shows_an_aborted_value()
            throws Exception {
        Map<String, Integer> ownerPortByPartition = awaitTwoReadyInstancesSharingThePartitions();

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put(Regions.PROVINCE_CODE, 1_000L);
        long value = 10;
        for (Region city : REGIONS.children(Regions.PROVINCE_CODE)) {
            expected.put(city.code(), value++);
        }
        for (Region county : REGIONS.children("140100")) {
            expected.put(county.code(), value++);
        }
        Map<String, Integer> partitionByRegion = new HashMap<>();
        try (KafkaProducer<TotalsKey, Totals> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                acks.add(producer.send(record(e.getKey(), PeriodKind.ALL, LocalDate.EPOCH, e.getValue())));
            }
            producer.commitTransaction();
            int i = 0;
            for (String region : expected.keySet()) {
                partitionByRegion.put(region, acks.get(i++).get(10, TimeUnit.SECONDS).partition());
            }

            producer.beginTransaction();
            producer.send(record(Regions.PROVINCE_CODE, PeriodKind.ALL, LocalDate.EPOCH, ABORTED));
            producer.send(record("140100", PeriodKind.ALL, LocalDate.EPOCH, ABORTED));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(record("140200", PeriodKind.MONTH, LocalDate.of(2020, 3, 1), 77));
            producer.commitTransaction();
        }

        for (ViewClient instance : List.of(first, second)) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> instance.get("/api/v1/totals/140200?period=2020-03"),
                            a -> a.status() == 200 && a.json().get("returnees").asLong() == 77);
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                ViewClient.Answer answer = instance.get("/api/v1/totals/" + e.getKey() + "?period=ALL");
                assertThat(answer.status()).as("%s from %s", e.getKey(), instance.baseUrl()).isEqualTo(200);
                assertThat(answer.json().get("returnees").asLong()).as("%s from %s", e.getKey(), instance.baseUrl())
                        .isEqualTo(e.getValue());
                assertThat(answer.json().get("updatedAt").asString()).isEqualTo("2020-03-15T02:00:00Z");
            }
        }

        // both instances held some of these buckets, so each answered some locally and forwarded the others
        Set<Integer> owners = new HashSet<>();
        for (int partition : partitionByRegion.values()) {
            owners.add(ownerPortByPartition.get(Topics.TOTALS.name() + "-" + partition));
        }
        assertThat(owners).hasSize(2);

        JsonNode children = second.get("/api/v1/totals/140000/children?sort=returnees").json();
        assertThat(children.get("parent").get("returnees").asLong()).isEqualTo(1_000L);
        assertThat(children.get("children")).hasSize(11);
        assertThat(children.get("children").get(0).get("regionCode").asString()).isEqualTo("141100");
        assertThat(children.get("children").get(0).get("returnees").asLong()).isEqualTo(expected.get("141100"));

        JsonNode pushed = first.awaitPush("ALL", d -> d.get("province").get("returnees").asLong() == 1_000L,
                Duration.ofSeconds(30));
        assertThat(pushed.get("cities")).hasSize(11);
        assertThat(pushed.get("cities").get(0).get("returnees").asLong()).isEqualTo(expected.get("140100"));

        assertThat(first.get("/api/v1/totals/999999").status()).isEqualTo(404);
        assertThat(second.get("/api/v1/totals/140000?period=2020-13").status()).isEqualTo(400);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .noneMatch(t -> t.startsWith("homecoming-totals-view") && t.contains(Names.TOTALS_VIEW_STORE));
        }
    }

    private static Map<String, Integer> awaitTwoReadyInstancesSharingThePartitions() {
        Map<String, Integer> owners = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!first.ready() || !second.ready()) {
                return false;
            }
            ViewClient.Answer answer = first.get("/internal/v1/instances");
            if (answer.status() != 200 || answer.json().size() != 2) {
                return false;
            }
            owners.clear();
            for (JsonNode instance : answer.json()) {
                if (instance.get("partitions").isEmpty()) {
                    return false;
                }
                for (JsonNode partition : instance.get("partitions")) {
                    owners.put(partition.asString(), instance.get("port").asInt());
                }
            }
            return owners.size() == Topics.TOTALS.partitions();
        });
        return owners;
    }

    private static KafkaProducer<TotalsKey, Totals> transactionalProducer() {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.registryUrl());
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "two-instances-it",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                SpecificAvroSerde.of(TotalsKey.class, registry, false, true).serializer(),
                SpecificAvroSerde.of(Totals.class, registry, false, false).serializer());
    }

    private static ProducerRecord<TotalsKey, Totals> record(String region, PeriodKind kind, LocalDate start, long returnees) {
        return new ProducerRecord<>(Topics.TOTALS.name(), new TotalsKey(region, kind, start), Totals.newBuilder()
                .setRegionCode(region)
                .setRegionLevel(REGIONS.find(region).orElseThrow().level())
                .setPeriodKind(kind)
                .setPeriodStart(start)
                .setReturnees(returnees)
                .setEmployedNearHome(0)
                .setBusinessesStarted(0)
                .setGuaranteedLoansFen(0)
                .setJobsCreated(0)
                .setTrained(0)
                .setUpdatedAt(UPDATED)
                .build());
    }
}
