package org.homecoming.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.homecoming.schemas.Topics;
import org.homecoming.streams.topology.Names;
import org.junit.jupiter.api.Test;

/** The view topology keeps the names of the catalogue: a renamed store would start empty. */
class TotalsViewTopologyNamesTest {

    private final Topology topology = TotalsViewTopology.build(new TotalsFreshness());

    @Test
    void the_source_the_table_and_the_store_carry_the_catalogue_names() {
        List<String> nodes = new ArrayList<>();
        List<String> stores = new ArrayList<>();
        List<String> sourceTopics = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
                if (node instanceof TopologyDescription.Source source) {
                    sourceTopics.addAll(source.topicSet());
                }
            }
        }
        assertThat(nodes).containsExactlyInAnyOrder(Names.VIEW_TOTALS_SOURCE, Names.VIEW_TOTALS_TABLE);
        assertThat(stores).containsExactly(Names.TOTALS_VIEW_STORE);
        assertThat(sourceTopics).containsExactly(Topics.TOTALS.name());
        assertThat(Names.TOTALS_VIEW_STORE).isEqualTo("totals-view-store");
    }

    @Test
    void the_view_reads_committed_data_only_and_is_optimized_so_the_totals_topic_is_its_changelog() {
        Properties config = TotalsViewTopology.config(TotalsViewTopology.APPLICATION_ID, "localhost:9092", "/tmp/x",
                "localhost:8082", 1);

        assertThat(config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("homecoming-totals-view");
        assertThat(config.getProperty(StreamsConfig.consumerPrefix("isolation.level"))).isEqualTo("read_committed");
        assertThat(config.getProperty(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG)).isEqualTo(StreamsConfig.OPTIMIZE);
        assertThat(config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:8082");
        // the consumer Kafka Streams builds from this configuration really is read_committed
        assertThat(new StreamsConfig(config).getMainConsumerConfigs("g", "c", 0)).containsEntry("isolation.level",
                "read_committed");
        assertThat(new StreamsConfig(config).getRestoreConsumerConfigs("c")).containsEntry("isolation.level",
                "read_committed");
    }
}
