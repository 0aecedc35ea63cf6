package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.Topology;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

class TopologyNamesTest {

    private final String description = topology().describe().toString();

    private static Topology topology() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        return TotalsTopology.build(new TopologySerdes(
                SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false),
                SpecificAvroSerde.of(TotalsKey.class, registry, false, true),
                SpecificAvroSerde.of(Totals.class, registry, false, false)), Regions.shanxi(), Clock.systemUTC(),
                Duration.ofMillis(100), new SimpleMeterRegistry());
    }

    @Test
    void every_processor_of_the_catalogue_is_in_the_topology() {
        for (String processor : Names.PROCESSORS) {
            assertThat(description).contains(" " + processor + " (");
        }
    }

    @Test
    void every_store_of_the_catalogue_is_in_the_topology() {
        for (String store : Names.STORES) {
            assertThat(description).containsPattern("stores: \\[[^\\]]*\\b" + store + "\\b");
        }
    }

    @Test
    void the_topology_reads_and_writes_the_catalogued_topics_and_the_named_repartition_topic_only() {
        Set<String> topics = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\(topics?: \\[?([^\\])]+)\\]?\\)").matcher(description);
        while (matcher.find()) {
            topics.addAll(Arrays.asList(matcher.group(1).split(", ")));
        }
        Set<String> expected = new TreeSet<>(Names.REPARTITION_TOPICS);
        expected.addAll(List.of(Topics.REGISTRATIONS.name(), Topics.ACCEPTED.name(), Topics.REJECTED.name(),
                Topics.TOTALS.name()));
        assertThat(topics).isEqualTo(expected);
    }

    @Test
    void no_node_has_a_generated_name() {
        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    }
}
