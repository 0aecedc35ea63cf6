package org.homecoming.schemas;

import java.util.List;
import java.util.Map;

/**
 * The one catalogue of Homecoming's topics: names, partition counts and the settings each is created
 * with. The embedded stack, the Docker init service and the tests all create topics from here.
 */
public final class Topics {

    /** Registrations from the intake gateway, keyed by personRef so a person's events stay in order. */
    public static final TopicSpec REGISTRATIONS = new TopicSpec("homecoming.registrations", 6, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", "-1"));

    /** Events the streams application accepted (valid, not duplicates), for the PostgreSQL event ledger. */
    public static final TopicSpec ACCEPTED = new TopicSpec("homecoming.registrations.accepted", 6, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", "-1"));

    /** Records refused by validation, with the reason and their source in headers; original bytes kept. */
    public static final TopicSpec REJECTED = new TopicSpec("homecoming.registrations.rejected", 3, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", String.valueOf(90L * 24 * 3600 * 1000)));

    /** Absolute totals per bucket (region x period); compacted, so the newest value per bucket is kept. */
    public static final TopicSpec TOTALS = new TopicSpec("homecoming.totals", 6, Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", "60000"));

    /** Records the sink could never write to PostgreSQL, with the reason in a header. */
    public static final TopicSpec SINK_DEAD_LETTER = new TopicSpec("homecoming.sink.dlq", 1, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", "-1"));

    /** Name of the schema registry's topic, as a constant for configuration defaults. */
    public static final String SCHEMAS_TOPIC_NAME = "_homecoming_schemas";

    /** The schema registry's own state, one record per schema version and config change. */
    public static final TopicSpec SCHEMAS = new TopicSpec(SCHEMAS_TOPIC_NAME, 1, Map.of(
            "cleanup.policy", "compact"));

    /** Every topic Homecoming creates, in creation order. */
    public static final List<TopicSpec> ALL = List.of(REGISTRATIONS, ACCEPTED, REJECTED, TOTALS, SINK_DEAD_LETTER, SCHEMAS);

    private Topics() {
    }

    /** Schema-registry subject of a topic's value, by Confluent's default TopicNameStrategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** Schema-registry subject of a topic's key, by Confluent's default TopicNameStrategy. */
    public static String keySubject(String topic) {
        return topic + "-key";
    }

    /**
     * One topic as Homecoming creates it.
     *
     * @param name       topic name
     * @param partitions partition count
     * @param configs    topic-level settings (cleanup policy, retention)
     */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
        public TopicSpec {
            configs = Map.copyOf(configs);
        }
    }
}
