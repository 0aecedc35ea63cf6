package org.homecoming.local.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerializer;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.events.RegistrationEvent;

/** One row of the fault matrix: a noisy replay, in chunks, with a fault between chunks. */
enum Scenario {

    /** One of the two counting instances SIGKILLed, each time after it has joined and is processing. */
    STREAMS(20) {
        @Override
        String run(ChaosRun run) throws Exception {
            JvmProcess survivor = run.stack().counting().get(0);
            JvmProcess victim = run.stack().counting().get(1);
            Random random = new Random(run.seed());
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
                    run.group().forgetMembers();
                    victim.start();
                }
                replay.sendTheRest();
            }
            return run.faults() + " SIGKILLs of " + victim.name() + ", each holding partitions and committing";
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
    };

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
