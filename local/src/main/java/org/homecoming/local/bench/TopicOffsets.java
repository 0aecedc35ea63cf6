package org.homecoming.local.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records each of Homecoming's topics holds, from the sum of its partitions' end offsets: after
 * the end-to-end phase this says how many records the pipeline wrote per event, topic by topic, which is
 * what the two-phase totals are meant to cut. Under exactly-once every commit also takes one offset per
 * partition it wrote to (the transaction marker), so the figures are a little above the records' count.
 */
final class TopicOffsets {

    private TopicOffsets() {
    }

    /** End offsets summed per topic whose name starts with {@code homecoming}, by topic name. */
    static Map<String, Long> endOffsets(String bootstrapServers) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> names = admin.listTopics().names().get().stream().filter(n -> n.startsWith("homecoming")).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> request = topics.values().stream()
                    .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<String, Long> sums = new TreeMap<>();
            admin.listOffsets(request).all().get()
                    .forEach((partition, info) -> sums.merge(partition.topic(), info.offset(), Long::sum));
            return sums;
        }
    }
}
