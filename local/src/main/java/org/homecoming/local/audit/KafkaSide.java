package org.homecoming.local.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.schemas.Topics;

/**
 * The audit's view of Kafka: the counting group's committed offsets, the end offsets of topics as either isolation
 * level sees them, and one reader per topic it reads.
 */
final class KafkaSide implements AutoCloseable {

    private final AuditOptions options;
    private final Admin admin;
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();
    private final List<PartitionReader> readers = new ArrayList<>();

    private KafkaSide(AuditOptions options, Admin admin) {
        this.options = options;
        this.admin = admin;
    }

    /** Connects, or fails with an {@link AuditException} when the broker or a topic of Homecoming is not there. */
    static KafkaSide connect(AuditOptions options) {
        int millis = (int) options.timeout().toMillis();
        Admin admin = Admin.create(options.kafkaSecurity().applyTo(new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "homecoming-audit",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis))));
        KafkaSide kafka = new KafkaSide(options, admin);
        try {
            kafka.get(admin.describeCluster().clusterId(), "reach Kafka at " + options.bootstrapServers());
            List<String> names = List.of(Topics.REGISTRATIONS.name(), Topics.ACCEPTED.name(), Topics.REJECTED.name(),
                    Topics.TOTALS.name());
            Map<String, TopicDescription> topics = kafka.get(admin.describeTopics(names).allTopicNames(),
                    "describe the topics " + names);
            topics.forEach((name, topic) -> kafka.partitions.put(name, topic.partitions().stream()
                    .map(p -> new TopicPartition(name, p.partition())).toList()));
            return kafka;
        } catch (AuditException e) {
            kafka.close();
            throw e;
        }
    }

    /** A reader of committed records of a topic, from its beginning. */
    PartitionReader reader(String topic) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "homecoming-audit-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // big fetches: the audit reads whole topics, not a trickle
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000,
                ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.timeout().toMillis()));
        options.kafkaSecurity().applyTo(config);
        PartitionReader reader = new PartitionReader(config, partitions(topic), options.timeout());
        readers.add(reader);
        return reader;
    }

    List<TopicPartition> partitions(String topic) {
        return partitions.get(topic);
    }

    /**
     * The counting group's committed offset of every input partition (0 where it committed none yet).
     *
     * @throws AuditException when the group has committed no offset of the registrations topic at all
     */
    Map<TopicPartition, Long> committedOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(options.applicationId())
                .partitionsToOffsetAndMetadata(), "read the offsets of the group " + options.applicationId());
        Map<TopicPartition, Long> committed = new HashMap<>();
        partitions(Topics.REGISTRATIONS.name()).forEach(p -> committed.put(p, 0L));
        int found = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            if (entry.getValue() != null && committed.containsKey(entry.getKey())) {
                committed.put(entry.getKey(), entry.getValue().offset());
                found++;
            }
        }
        if (found == 0) {
            throw new AuditException("The counting group '" + options.applicationId() + "' has committed no offset of "
                    + Topics.REGISTRATIONS.name() + ": is it the application id of the counting application, and has "
                    + "that run?");
        }
        return committed;
    }

    /** The end offset of each partition as a reader of the isolation level sees it. */
    Map<TopicPartition, Long> ends(List<TopicPartition> of, IsolationLevel isolation) {
        return offsets(of, OffsetSpec.latest(), isolation);
    }

    /** Whether every partition of the topic still starts at offset 0: retention has deleted none of it. */
    boolean complete(String topic) {
        return offsets(partitions(topic), OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED).values().stream()
                .allMatch(start -> start == 0);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> of, OffsetSpec spec, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        of.forEach(p -> specs.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all(), "read offsets of " + of)
                .forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /**
     * Every partition the counting application writes in transactions: the accepted, rejected and totals topics and
     * its internal topics (changelogs and repartition topics, named after its application id).
     */
    List<TopicPartition> transactionalOutputs() {
        Set<String> names = new TreeSet<>(List.of(Topics.ACCEPTED.name(), Topics.REJECTED.name(), Topics.TOTALS.name()));
        String prefix = options.applicationId() + "-";
        get(admin.listTopics().names(), "list topics").stream().filter(n -> n.startsWith(prefix)).forEach(names::add);
        List<TopicPartition> outputs = new ArrayList<>();
        get(admin.describeTopics(names).allTopicNames(), "describe " + names).forEach((name, topic) ->
                topic.partitions().forEach(p -> outputs.add(new TopicPartition(name, p.partition()))));
        return outputs;
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AuditException("Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AuditException("Cannot " + what + ": no answer within " + options.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("Interrupted while trying to " + what, e);
        }
    }

    @Override
    public void close() {
        readers.forEach(PartitionReader::close);
        admin.close();
    }
}
