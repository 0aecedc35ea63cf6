package org.homecoming.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.homecoming.streams.rocksdb.BoundedRocksDbMemory;
import org.junit.jupiter.api.Test;

class KafkaStreamsServiceConfigTest {

    private final Properties config = KafkaStreamsService.streamsConfig(new StreamsProperties("localhost:9092",
            "http://localhost:8081", "homecoming-totals", Path.of("state"), 1, 1, Duration.ofMillis(250),
            Duration.ofMillis(100)));

    @Test
    void the_counting_application_runs_exactly_once_and_commits_at_the_configured_interval() {
        assertThat(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250L);
    }

    @Test
    void the_counting_application_bounds_the_memory_of_its_rocksdb_stores() {
        assertThat(config.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbMemory.class);
    }
}
