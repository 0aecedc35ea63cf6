package org.homecoming.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.homecoming.streams.lifecycle.FailedRecordHandler;
import org.homecoming.streams.lifecycle.ManagedStreams;
import org.homecoming.streams.lifecycle.StreamsFailureHandler;
import org.homecoming.streams.rocksdb.BoundedRocksDbMemory;
import org.junit.jupiter.api.Test;

class StreamsConfigurationTest {

    private final Map<String, Object> config = ManagedStreams.config(StreamsConfiguration.countingConfig(
            new StreamsProperties("localhost:9092", "http://localhost:8081", "homecoming-totals", Path.of("state"), 1, 1,
                    Duration.ofMillis(250), Duration.ofMillis(100), 3, null)),
            new StreamsFailureHandler("test", 3, Clock.systemUTC()));

    @Test
    void the_counting_application_runs_exactly_once_and_commits_at_the_configured_interval() {
        assertThat(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250L);
    }

    @Test
    void the_counting_application_bounds_the_memory_of_its_rocksdb_stores() {
        assertThat(config.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbMemory.class);
    }

    @Test
    void processing_failures_go_to_the_handler_that_notes_the_failing_record() {
        StreamsConfig streams = new StreamsConfig(config);

        assertThat(streams.processingExceptionHandler()).isInstanceOf(FailedRecordHandler.class);
    }

    @Test
    void a_closing_instance_leaves_its_group_at_once_rather_than_when_its_session_times_out() {
        Map<String, Object> consumer = new StreamsConfig(config).getMainConsumerConfigs("homecoming-totals", "c", 0);

        assertThat(consumer).containsEntry("internal.leave.group.on.close", true).doesNotContainKey("group.instance.id");
    }
}
