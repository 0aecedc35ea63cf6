package org.homecoming.local.chaos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import org.homecoming.producer.simulator.ProvinceYearSimulation;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;

/** One row of the fault matrix: a noisy replay, in chunks, with a fault between chunks. */
enum Scenario {

    /** One of the two counting instances SIGKILLed, each time after it has joined and is processing. */
    STREAMS(20) {
        @Override
        String run(ChaosRun run) throws Exception {
            JvmProcess survivor = run.stack().counting().get(0);
            JvmProcess victim = run.stack().counting().get(1);
            Random random = new Random(run.seed());
            int nudgesBefore = run.nudges();
            try (Replay replay = run.replay(this)) {
                for (int kill = 1; kill <= run.faults(); kill++) {
                    Set<TopicPartition> held = run.awaitHolding(victim, survivor);
                    long from = run.group().committed(held);
                    replay.sendNextChunk();
                    // a random moment: once it has committed a random share of its part of the chunk
                    long share = Math.max(1, Math.min(replay.size() / (run.faults() + 2), 1_000_000) * held.size()
                            / Topics.REGISTRATIONS.partitions() / 2);
                    long further = 1 + random.nextLong(share);
                    Deadline.of(Duration.ofMinutes(3), "commits on the partitions of " + victim.name())
                            .failIf(() -> !victim.isAlive() || !survivor.isAlive(), () -> "a counting instance exited;"
                                    + " logs: " + victim.log() + ", " + survivor.log())
                            .await(() -> run.group().committed(held) >= from + further);
                    victim.kill();
                    run.group().forgetMembersOf(run.processId(victim));
                    victim.start();
                }
                replay.sendTheRest();
            }
            return run.faults() + " SIGKILLs of " + victim.name() + ", each holding partitions and committing; "
                    + (run.nudges() - nudgesBefore) + " forced rebalances gave it partitions back";
        }
    },

    /** The sink SIGKILLed, each time after it has written rows of the chunk just sent. */
    SINK(20) {
        @Override
        String run(ChaosRun run) throws Exception {
            JvmProcess sink = run.stack().sink();
            try (Replay replay = run.replay(this)) {
                for (int kill = 1; kill <= run.faults(); kill++) {
                    run.sendAndAwaitRows(replay, sink);
                    sink.kill();
                    sink.start();
                }
                replay.sendTheRest();
            }
            return run.faults() + " SIGKILLs of the sink, each after it wrote rows";
        }
    },

    /** PostgreSQL stopped in immediate mode (no checkpoint) while the sink writes, and started again. */
    POSTGRES(10) {
        @Override
        String run(ChaosRun run) throws Exception {
            try (Replay replay = run.replay(this)) {
                for (int stop = 1; stop <= run.faults(); stop++) {
                    run.sendAndAwaitRows(replay, run.stack().sink());
                    run.stack().stopPostgresImmediately();
                    run.stack().startPostgres();
                }
                replay.sendTheRest();
            }
            if (!run.stack().sink().isAlive()) {
                throw new IllegalStateException("the sink exited; its log: " + run.stack().sink().log());
            }
            return run.faults() + " immediate stops of PostgreSQL (SIGQUIT to the postmaster), each after the sink"
                    + " wrote rows";
        }
    },

    /** 1 % of the records are poison written straight to the registrations topic. */
    POISON(10) {
        @Override
        String run(ChaosRun run) throws Exception {
            Random random = new Random(run.seed());
            long[] injected = new long[3];
            SpecificAvroSerializer<RegistrationEvent> serializer = new SpecificAvroSerializer<>(
                    new RestSchemaRegistryClient(run.stack().registryUrl()), false);
            try (Replay replay = run.replay(this);
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, run.stack().bootstrapServers(),
                         ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                int poison = Math.max(1, replay.size() / 100 / run.faults());
                for (int round = 1; round <= run.faults(); round++) {
                    replay.sendNextChunk();
                    for (int i = 0; i < poison; i++) {
                        int kind = random.nextInt(3);
                        SimulatedRecord any = replay.records().get(random.nextInt(replay.size()));
                        byte[] key = any.event().getPersonRef().toString().getBytes(StandardCharsets.UTF_8);
                        byte[] value = switch (kind) {
                            case 0 -> randomBytes(random);
                            case 1 -> unknownSchemaId(random);
                            default -> serializer.serialize(Topics.REGISTRATIONS.name(), any.event());
                        };
                        if (kind == 2) {
                            key = ("not-" + any.event().getPersonRef()).getBytes(StandardCharsets.UTF_8);
                        }
                        producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), key, value));
                        injected[kind]++;
                    }
                    producer.flush();
                }
                replay.sendTheRest();
            }
            run.expectRejected("UNDESERIALIZABLE", injected[0] + injected[1]);
            run.expectRejected("BAD_KEY", injected[2]);
            return String.format("%d poison records (1 %% of %s): %d random bytes, %d unknown schema id, %d wrong key",
                    injected[0] + injected[1] + injected[2], "the replay", injected[0], injected[1], injected[2]);
        }

        private byte[] randomBytes(Random random) {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            // not the wire format's magic byte, so certainly not a readable message
            bytes[0] = (byte) (1 + random.nextInt(255));
            return bytes;
        }

        private byte[] unknownSchemaId(Random random) {
            byte[] bytes = new byte[5 + random.nextInt(100)];
            random.nextBytes(bytes);
            bytes[0] = 0;
            int id = 900_000 + random.nextInt(3);
            bytes[1] = (byte) (id >>> 24);
            bytes[2] = (byte) (id >>> 16);
            bytes[3] = (byte) (id >>> 8);
            bytes[4] = (byte) id;
            return bytes;
        }
    },

    /** The broker SIGKILLed and SIGTERMed in turn while the services run, started again on the same data and ports. */
    BROKER(10) {
        @Override
        String run(ChaosRun run) throws Exception {
            ChaosStack stack = run.stack();
            int kills = 0;
            int terms = 0;
            long slowest = 0;
            try (Replay replay = run.replay(this)) {
                for (int fault = 1; fault <= run.faults(); fault++) {
                    // the chunk is in the topic and the sink has begun writing it: every service is at work
                    run.sendAndAwaitRows(replay, stack.sink());
                    long begin = System.nanoTime();
                    if (fault % 2 == 1) {
                        stack.broker().kill();
                        kills++;
                    } else if (stack.broker().terminate(Duration.ofMinutes(2))) {
                        terms++;
                    } else {
                        throw new IllegalStateException("the broker did not shut down within 2 minutes of SIGTERM; its"
                                + " log: " + stack.broker().log());
                    }
                    stack.startBroker();
                    slowest = Math.max(slowest, System.nanoTime() - begin);
                }
                replay.sendTheRest();
            }
            return String.format("%d SIGKILLs and %d SIGTERMs (each an orderly shutdown) of the broker, each while the"
                    + " services worked on a chunk; back on the same data and ports within %.0f s", kills, terms,
                    slowest / 1e9);
        }
    },

    /**
     * The gateway (the producer jar) SIGKILLed while batches are posted to it. Records without an answer are posted
     * again; every event answered 202 must reach the ledger once.
     */
    GATEWAY(10) {
        @Override
        String run(ChaosRun run) throws Exception {
            ChaosStack stack = run.stack();
            Random random = new Random(run.seed());
            Map<UUID, ProvinceYearSimulation.Kind> kinds = new HashMap<>();
            long longestRestart = 0;
            stack.startGateway();
            try (Replay replay = run.replay(this);
                 GatewaySender sender = new GatewaySender(stack.gatewayUri(), DEMO_TOKEN, 200, 4)) {
                for (SimulatedRecord record : replay.records()) {
                    if (record.kind() != ProvinceYearSimulation.Kind.DUPLICATE) {
                        kinds.put(UUID.fromString(record.event().getEventId().toString()), record.kind());
                    }
                }
                for (int kill = 1; kill <= run.faults(); kill++) {
                    List<SimulatedRecord> chunk = replay.takeNextChunk();
                    long before = sender.accepted();
                    sender.submit(chunk);
                    // a random moment: once a random share of the chunk has been answered, with batches in flight
                    long further = 1 + random.nextInt(Math.max(1, chunk.size() * 2 / 3));
                    Deadline.of(Duration.ofMinutes(3), "the gateway to accept part of the chunk")
                            .failIf(() -> !stack.gateway().isAlive(), () -> "the gateway exited; its log: "
                                    + stack.gateway().log())
                            .await(() -> sender.accepted() >= before + further);
                    long begin = System.nanoTime();
                    stack.gateway().kill();
                    stack.startGateway();
                    longestRestart = Math.max(longestRestart, System.nanoTime() - begin);
                    sender.await();
                }
                sender.submit(replay.takeTheRest());
                sender.await();
                stack.gateway().terminate(Duration.ofSeconds(30));
                return checkLedger(run, sender, kinds) + String.format("; %d batch posts got no answer (connection cut"
                        + " or refused while the gateway was down), %d records posted again; the gateway was ready again"
                        + " within %.0f s of each kill", sender.dropped(), sender.resent(), longestRestart / 1e9);
            }
        }

        private String checkLedger(ChaosRun run, GatewaySender sender, Map<UUID, ProvinceYearSimulation.Kind> kinds)
                throws Exception {
            Map<UUID, Integer> answers = sender.answers();
            List<UUID> refusedValid = answers.entrySet().stream().filter(e -> e.getValue() != 202)
                    .filter(e -> kinds.get(e.getKey()) != ProvinceYearSimulation.Kind.INVALID).map(Map.Entry::getKey)
                    .toList();
            if (!refusedValid.isEmpty()) {
                throw new IllegalStateException(refusedValid.size() + " valid events refused by the gateway, e.g. "
                        + refusedValid.get(0) + " answered " + answers.get(refusedValid.get(0)));
            }
            if (answers.size() != kinds.size()) {
                throw new IllegalStateException(answers.size() + " events answered of " + kinds.size() + " sent");
            }
            Set<UUID> accepted = sender.acceptedEvents();
            Set<UUID> counted = accepted.stream().filter(id -> kinds.get(id) != ProvinceYearSimulation.Kind.INVALID)
                    .collect(Collectors.toSet());
            AtomicReference<Set<UUID>> missing = new AtomicReference<>(counted);
            try {
                Deadline.of(Duration.ofMinutes(5), "every event answered 202 in registration_event")
                        .await(() -> {
                            Set<UUID> ledger = run.stack().ledgerEvents();
                            missing.set(counted.stream().filter(id -> !ledger.contains(id))
                                    .collect(Collectors.toSet()));
                            return missing.get().isEmpty();
                        });
            } catch (IllegalStateException e) {
                throw new IllegalStateException(missing.get().size() + " events answered 202 are not in the ledger, e.g. "
                        + missing.get().iterator().next(), e);
            }
            Set<UUID> ledger = run.stack().ledgerEvents();
            long invalidInLedger = accepted.stream().filter(id -> kinds.get(id) == ProvinceYearSimulation.Kind.INVALID)
                    .filter(ledger::contains).count();
            if (invalidInLedger > 0) {
                throw new IllegalStateException(invalidInLedger + " events the counting rules reject are in the ledger");
            }
            // registration_event's primary key is the event id, so none is there twice; the audit checks the
            // accepted topic holds each accepted event once
            return String.format("%d SIGKILLs of the gateway during batches; %,d events answered 202, all %,d valid ones"
                    + " in the ledger (%,d the counting rules reject are not), %,d refused 400", run.faults(),
                    accepted.size(), counted.size(), accepted.size() - counted.size(), answers.size() - accepted.size());
        }
    },

    /**
     * One counting instance SIGSTOPped while it processes, for longer than its session timeout, so that the group
     * drops it and the other instance takes its partitions over; then SIGCONTinued: it must find itself fenced,
     * and nothing it did after may count.
     */
    ZOMBIE(5) {
        @Override
        String run(ChaosRun run) throws Exception {
            JvmProcess survivor = run.stack().counting().get(0);
            JvmProcess zombie = run.stack().counting().get(1);
            Random random = new Random(run.seed());
            Set<String> evidence = new TreeSet<>();
            int nudgesBefore = run.nudges();
            long shortest = Long.MAX_VALUE;
            long longest = 0;
            try (Replay replay = run.replay(this, 2 * run.faults() + 1)) {
                for (int stop = 1; stop <= run.faults(); stop++) {
                    Set<TopicPartition> held = run.awaitHolding(zombie, survivor);
                    String id = run.processId(zombie).orElseThrow();
                    long from = run.group().committed(held);
                    replay.sendNextChunk();
                    long share = Math.max(1, Math.min(replay.size() / (2 * run.faults() + 1), 1_000_000) * held.size()
                            / Topics.REGISTRATIONS.partitions() / 2);
                    long further = 1 + random.nextLong(share);
                    Deadline.of(Duration.ofMinutes(3), "commits on the partitions of " + zombie.name())
                            .failIf(() -> !zombie.isAlive() || !survivor.isAlive(), () -> "a counting instance exited;"
                                    + " logs: " + zombie.log() + ", " + survivor.log())
                            .await(() -> run.group().committed(held) >= from + further);
                    long logFrom = Files.size(zombie.log());
                    zombie.signal("STOP");
                    long begin = System.nanoTime();
                    try {
                        awaitTakeOver(run, survivor, id, held, replay);
                    } finally {
                        zombie.signal("CONT");
                    }
                    long stopped = System.nanoTime() - begin;
                    shortest = Math.min(shortest, stopped);
                    longest = Math.max(longest, stopped);
                    evidence.addAll(awaitFenced(zombie, id, logFrom));
                }
                replay.sendTheRest();
            }
            return String.format("%d SIGSTOPs of %s while it processed, each %.0f-%.0f s, past its session timeout (a"
                    + " stopped process sends no heartbeat, so the 45 s session timeout, not max.poll.interval.ms,"
                    + " drops it); %s took its partitions over and committed on them; after each SIGCONT it was"
                    + " fenced (its log: %s); %d forced rebalances gave it partitions back", run.faults(), zombie.name(),
                    shortest / 1e9, longest / 1e9, survivor.name(), String.join(", ", evidence),
                    run.nudges() - nudgesBefore);
        }

        /** The group drops the stopped member, the survivor holds every partition and commits on the zombie's. */
        private void awaitTakeOver(ChaosRun run, JvmProcess survivor, String zombieId, Set<TopicPartition> held,
                                   Replay replay) throws Exception {
            Deadline.of(Duration.ofMinutes(3), "the group to drop the stopped instance and give its partitions away")
                    .failIf(() -> !survivor.isAlive(), () -> survivor.name() + " exited; its log: " + survivor.log())
                    .await(() -> {
                        CountingGroupView.Snapshot now = run.group().describe();
                        return now.stable() && now.partitions().keySet().stream().noneMatch(m -> m.contains(zombieId))
                                && now.partitions().values().stream().mapToInt(Set::size).sum()
                                == Topics.REGISTRATIONS.partitions();
                    });
            long atTakeOver = run.group().committed(held);
            replay.sendNextChunk();
            Deadline.of(Duration.ofMinutes(3), survivor.name() + " to commit on the partitions it took over")
                    .failIf(() -> !survivor.isAlive(), () -> survivor.name() + " exited; its log: " + survivor.log())
                    .await(() -> run.group().committed(held) > atTakeOver);
        }

        /** What the resumed zombie's log says of its fencing; fails when it says nothing of it. */
        private Set<String> awaitFenced(JvmProcess zombie, String countingId, long logFrom) {
            Set<String> found = new TreeSet<>();
            Deadline.of(Duration.ofMinutes(2), zombie.name() + " to notice it was fenced")
                    .failIf(() -> !zombie.isAlive(), () -> zombie.name() + " exited; its log: " + zombie.log())
                    .await(() -> {
                        // the counting application's lines only: the instance's totals view is a group of its own
                        for (String line : logSince(zombie.log(), logFrom).split("\n")) {
                            Matcher matcher = FENCED.matcher(line);
                            while (line.contains(countingId) && matcher.find()) {
                                found.add(matcher.group());
                            }
                        }
                        return !found.isEmpty();
                    });
            return found;
        }
    };

    /** The demo profile's terminal token (public, like the demo profile's person key). */
    static final String DEMO_TOKEN = "demo-terminal-token";

    /** What a resumed zombie's clients log: its transaction or its generation is fenced, or its member forgotten. */
    private static final Pattern FENCED = Pattern.compile("ProducerFencedException|InvalidProducerEpochException"
            + "|TaskMigratedException|CommitFailedException|REBALANCE_IN_PROGRESS|UNKNOWN_MEMBER_ID|ILLEGAL_GENERATION"
            + "|FENCED_INSTANCE_ID|thread is being fenced|missed a rebalance|dropped out of the consumer group");

    private static String logSince(Path log, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(log)) {
            long size = channel.size();
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - from));
            channel.read(bytes, from);
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        }
    }

    private final int defaultFaults;

    Scenario(int defaultFaults) {
        this.defaultFaults = defaultFaults;
    }

    int defaultFaults() {
        return defaultFaults;
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Runs the faults and the replay; what was done, for the report. */
    abstract String run(ChaosRun run) throws Exception;

    private static final Pattern PROCESS_ID = Pattern.compile("\"processId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    /** The process id Kafka Streams keeps in an instance's state folder, once it has written it. */
    static Optional<String> processId(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(stateDir, 2)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("kafka-streams-process-metadata"))
                    .toList()) {
                Matcher id = PROCESS_ID.matcher(Files.readString(file));
                if (id.find()) {
                    return Optional.of(id.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
