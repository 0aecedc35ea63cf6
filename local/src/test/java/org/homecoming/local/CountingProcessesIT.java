package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.homecoming.producer.identity.Pseudonymizer;
import org.homecoming.producer.simulator.KafkaTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import org.homecoming.producer.simulator.SimulationTarget;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Regions;
import org.homecoming.sink.Reconciler;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;
import org.homecoming.streams.topology.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The counting application as it ships, the streams service's runnable jar, in processes of their own on one
 * broker, registry and PostgreSQL (with the sink service), while a noisy province-year replay goes in: killed with
 * SIGKILL again and again, or joined and left by instances mid-replay. Afterwards every bucket of the totals topic
 * read {@code read_committed}, and every row of {@code region_totals}, equals the reference model over what the
 * registrations topic holds, and reconcile finds no drift. The tests know the application only from outside (its
 * jar, its consumer group, its topics), so they hold for any topology that keeps the contract.
 *
 * <p>A killed instance stays a member of the group, holding its partitions, until its session times out (45 s,
 * which the streams service does not let one set; a stopped one leaves as it closes); after each departure the
 * tests have the coordinator forget the members at once (as {@code kafka-streams-application-reset --force} does),
 * so the survivors take over within a heartbeat, fenced and rejoining as they would after any lost membership.
 *
 * <p>Both tests share the stack and its topics; each compares with the model over everything the registrations
 * topic holds at its end, so they hold in either order, and each replays its own people (its own person key).
 */
class CountingProcessesIT {

    private static final Logger LOG = LoggerFactory.getLogger(CountingProcessesIT.class);
    private static final Regions REGIONS = Regions.shanxi();
    private static final int KILLS = 10;
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    static SinkTestStack stack;
    static CountingGroup group;

    private final List<Instance> instances = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = SinkTestStack.start(dir);
        stack.startSinkService();
        group = new CountingGroup(stack.bootstrapServers());
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (group != null) {
            group.close();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    @BeforeEach
    void forgetMembersOfAnEarlierTest() throws Exception {
        group.forgetMembers();
    }

    @AfterEach
    void stopInstances() {
        for (Instance instance : instances) {
            instance.close();
        }
    }

    @Test
    void sigkill_of_the_counting_process_ten_times_in_a_noisy_replay_leaves_every_bucket_exact() throws Exception {
        Random random = new Random(20_200_118L);
        Replay replay = new Replay(0.05, 2020, "sigkill", KILLS + 2);
        // three, so that another member is there to take over while the last one killed starts again
        for (String name : List.of("counting-a", "counting-b", "counting-c")) {
            Instance instance = new Instance(name);
            instance.start();
            if (instances.size() < 3) {
                awaitJoined(instance);
            }
        }
        replay.sendNextChunk();

        List<String> kills = new ArrayList<>();
        long begin = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            Victim victim = awaitAVictimBesideAnotherMember(random);
            long from = group.committed(victim.partitions());
            replay.sendNextChunk();
            // A random moment: once it has committed a random share of what it now has to process. The share stays
            // below half a chunk, as offsets of aborted transactions count in the backlog but are never committed.
            long share = Math.min(group.backlog(victim.partitions()), replay.chunkSize) / 2;
            long further = 1 + random.nextInt((int) Math.max(1, share));
            await("commits on the partitions of " + victim.instance() + " to pass " + (from + further))
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .failFast("victim exited on its own", () -> !victim.instance().isAlive())
                    .until(() -> group.committed(victim.partitions()) >= from + further);
            victim.instance().kill();
            kills.add(String.format("%s pid %d holding %d of %d partitions, %d records committed since chosen",
                    victim.instance().name, victim.instance().pid(), victim.partitions().size(), victim.ofAll(),
                    group.committed(victim.partitions()) - from));
            // the other members take over now, not once the dead member's session times out
            group.forgetMembers();
            victim.instance().start();
        }
        LOG.info("{} kills in {} s: {}", KILLS, (System.nanoTime() - begin) / 1_000_000_000, kills);
        replay.sendTheRest();

        assertExactInEveryBucket(replay);
        assertThat(instances).as("instances running at the end").allMatch(Instance::isAlive);
    }

    @Test
    void instances_added_stopped_and_killed_during_a_replay_end_exact_in_every_bucket() throws Exception {
        Replay replay = new Replay(0.01, 2021, "scale-out", 6);
        Instance stays = new Instance("scale-a");
        Instance stopped = new Instance("scale-b");
        Instance killed = new Instance("scale-c");
        stays.start();
        awaitJoined(stays);
        replay.sendNextChunk();
        awaitProcessing(awaitMembersEachHoldingPartitions(1));

        replay.sendNextChunk();
        stopped.start();
        killed.start();
        Map<String, Set<TopicPartition>> three = awaitMembersEachHoldingPartitions(3);
        replay.sendNextChunk();
        awaitProcessing(three);

        replay.sendNextChunk();
        stopped.stop();
        killed.kill();
        // the instance left takes over now, not once the two members' sessions time out
        group.forgetMembers();
        replay.sendTheRest();

        assertExactInEveryBucket(replay);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            CountingGroup.Snapshot end = group.describe();
            assertThat(end.stable()).as("group stable at the end: %s", end).isTrue();
            assertThat(end.partitions()).as("members at the end").containsOnlyKeys(stays.member);
            assertThat(end.partitions().get(stays.member)).as("input partitions of the instance left")
                    .filteredOn(p -> p.topic().equals(Topics.REGISTRATIONS.name())).hasSize(Topics.REGISTRATIONS.partitions());
        });
    }

    /** The totals topic, PostgreSQL and reconcile against the reference model over the whole registrations topic. */
    private void assertExactInEveryBucket(Replay replay) throws Exception {
        List<SentRecord> input = CommittedTotals.registrations(stack.bootstrapServers(), stack.registryUrl());
        assertThat(input.size() - replay.before).as("records this replay added to %s", Topics.REGISTRATIONS.name())
                .isEqualTo(replay.simulation.expected().events());
        ReferenceModel model = ReferenceModel.of(REGIONS, input);
        assertThat(model.duplicates()).as("resent events in the input").isPositive();
        assertThat(model.rejections()).as("invalid records in the input").isNotEmpty();
        Map<Bucket, Metrics> expected = model.totals();

        long begin = System.nanoTime();
        try (CommittedTotals.TopicReader topic = new CommittedTotals.TopicReader(stack.bootstrapServers(),
                stack.registryUrl())) {
            await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(CommittedTotals.differences(expected, topic.catchUp(), 10))
                            .as("buckets of %s (read_committed) that differ from the reference model over %d records",
                                    Topics.TOTALS.name(), input.size()).isEmpty());
        }
        LOG.info("Totals topic equal to the model in all {} buckets {} s after the last send", expected.size(),
                (System.nanoTime() - begin) / 1_000_000_000);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(CommittedTotals.differences(expected, CommittedTotals.regionTotals(stack.jdbcUrl()), 10))
                        .as("buckets of region_totals that differ from the reference model").isEmpty());

        Reconciler.Report report = new Reconciler(stack.dataSource("homecoming_sink")).reconcile();
        assertThat(report.drifts()).as("drift found by reconcile").isEmpty();
        assertThat(report.ledgerEvents()).as("events in the ledger").isEqualTo(model.accepted().size());
        assertThat(new CommandLine(new HomecomingCommand()).execute("reconcile", "--database-url", stack.jdbcUrl(),
                "--user", "homecoming_sink", "--attempts", "1")).as("exit code of ./homecoming reconcile").isZero();
    }

    /** Waits until the instance's process is a member of a stable group, and learns which member it is. */
    private void awaitJoined(Instance instance) {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250))
                .failFast(instance + " exited", () -> !instance.isAlive())
                .until(() -> {
                    CountingGroup.Snapshot now = group.describe();
                    return now.stable() && identify(now).contains(instance);
                });
        LOG.info("{} joined as {}", instance, instance.member);
    }

    /**
     * The running instances that are members of {@code snapshot}. Kafka Streams keeps a process id in the state folder,
     * so a restarted instance joins under the name it had; a member no instance knows belongs to the one running
     * instance that is not a member, if there is just one.
     */
    private List<Instance> identify(CountingGroup.Snapshot snapshot) {
        Set<String> unknown = new HashSet<>(snapshot.processes());
        instances.forEach(i -> unknown.remove(i.member));
        List<Instance> absent = instances.stream()
                .filter(i -> i.isAlive() && (i.member == null || !snapshot.processes().contains(i.member))).toList();
        if (unknown.size() == 1 && absent.size() == 1) {
            absent.get(0).member = unknown.iterator().next();
        }
        return instances.stream().filter(i -> i.isAlive() && snapshot.processes().contains(i.member)).toList();
    }

    /**
     * An instance holding partitions in a stable group of which another instance is a member too, there to take over;
     * when several hold partitions, one of them at random.
     */
    private Victim awaitAVictimBesideAnotherMember(Random random) {
        Victim[] victim = new Victim[1];
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).until(() -> {
            CountingGroup.Snapshot now = group.describe();
            List<Instance> members = now.stable() ? identify(now) : List.of();
            if (members.size() < 2) {
                return false;
            }
            List<Instance> holding = members.stream().filter(i -> !now.partitions().get(i.member).isEmpty()).toList();
            if (holding.isEmpty()) {
                return false;
            }
            Instance chosen = holding.get(random.nextInt(holding.size()));
            int all = now.partitions().values().stream().mapToInt(Set::size).sum();
            victim[0] = new Victim(chosen, Set.copyOf(now.partitions().get(chosen.member)), all);
            return true;
        });
        return victim[0];
    }

    /** Waits until a stable group of {@code count} processes in which each holds partitions; what each holds. */
    private Map<String, Set<TopicPartition>> awaitMembersEachHoldingPartitions(int count) {
        CountingGroup.Snapshot[] last = new CountingGroup.Snapshot[1];
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(250))
                .failFast("an instance exited", () -> instances.stream().anyMatch(i -> i.process != null && !i.isAlive()))
                .until(() -> {
                    last[0] = group.describe();
                    return last[0].stable() && last[0].processes().size() == count
                            && last[0].partitions().values().stream().noneMatch(Set::isEmpty);
                });
        LOG.info("{} members, each holding partitions: {}", count, last[0].partitions());
        return last[0].partitions();
    }

    /** Waits until the group's committed offsets on the partitions of each member have moved on. */
    private void awaitProcessing(Map<String, Set<TopicPartition>> partitionsByMember) throws Exception {
        for (Map.Entry<String, Set<TopicPartition>> member : partitionsByMember.entrySet()) {
            long from = group.committed(member.getValue());
            await("commits on the partitions of " + member.getKey()).atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100)).until(() -> group.committed(member.getValue()) > from);
        }
    }

    private record Victim(Instance instance, Set<TopicPartition> partitions, int ofAll) {
    }

    /** One instance of the streams service: restarts keep its state folders, as a restarted container would. */
    private final class Instance {

        final String name;
        ServiceProcess process;
        /** Its process in the group (see {@link CountingGroup.Snapshot}); known once it has joined. */
        String member;

        Instance(String name) {
            this.name = name;
            instances.add(this);
        }

        void start() throws IOException {
            int port = StackPorts.free().streams();
            process = ServiceProcess.start("streams", name, Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", stack.registryUrl(),
                    "STREAMS_PORT", String.valueOf(port),
                    "STREAMS_STATE_DIR", dir.resolve(name).resolve("streams").toString(),
                    "VIEW_STATE_DIR", dir.resolve(name).resolve("view").toString(),
                    "VIEW_ADVERTISED_HOST", "localhost"));
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        long pid() {
            return process.pid();
        }

        void kill() throws InterruptedException {
            process.kill();
        }

        void stop() throws InterruptedException {
            process.stop(Duration.ofSeconds(90));
        }

        void close() {
            if (process != null) {
                process.close();
            }
        }

        @Override
        public String toString() {
            return String.valueOf(process);
        }
    }

    /**
     * A province-year replay with noise (resends, retractions with corrections, invalid records) at a scale, sent
     * straight to the registrations topic in chunks, as the simulator's Kafka target sends it.
     */
    private static final class Replay {

        final ProvinceYearSimulation simulation;
        final long before;
        final int chunkSize;
        private final List<SimulatedRecord> records;
        private final KafkaTarget target;
        private int sent;

        Replay(double scale, long seed, String personKey, int chunks) {
            simulation = ProvinceYearSimulation.plan(new ProvinceYearSimulation.Options(scale, seed, 0.03, 0.01, 0.005),
                    REGIONS);
            // a key of its own: this replay's people are nobody else's
            byte[] key = ("counting-processes-it-" + personKey + "-person-key").getBytes(StandardCharsets.US_ASCII);
            records = simulation.records(new Pseudonymizer(key, 1));
            chunkSize = (records.size() + chunks - 1) / chunks;
            before = CommittedTotals.registrations(stack.bootstrapServers(), stack.registryUrl()).size();
            target = new KafkaTarget(stack.bootstrapServers(), stack.registryUrl());
        }

        void sendNextChunk() throws InterruptedException {
            send(Math.min(records.size(), sent + chunkSize));
        }

        void sendTheRest() throws InterruptedException {
            send(records.size());
            target.close();
        }

        private void send(int until) throws InterruptedException {
            for (; sent < until; sent++) {
                target.send(records.get(sent));
            }
            SimulationTarget.Delivery delivery = target.finish();
            assertThat(delivery.failed()).as("records not acknowledged; first failure: %s", target.firstFailure()).isZero();
        }
    }
}
