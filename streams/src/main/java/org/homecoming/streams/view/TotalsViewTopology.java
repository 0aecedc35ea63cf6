package org.homecoming.streams.view;

import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.schemas.Topics;
import org.homecoming.streams.rocksdb.BoundedRocksDbMemory;
import org.homecoming.streams.topology.Names;

/**
 * The totals view: a second, read-only Kafka Streams application (application id
 * {@code homecoming-totals-view}) that materialises the compacted totals topic into the queryable store
 * {@link Names#TOTALS_VIEW_STORE}, keyed exactly like the topic, so interactive queries can locate the
 * owner of a bucket with {@code KafkaStreams.queryMetadataForKey}.
 *
 * <p>The store keeps each record's key and value bytes as they arrived (Confluent-wire Avro): nothing is decoded
 * or re-encoded on the way in, and {@link TotalsViewCodec} decodes only the values a query reads. Restoring the
 * store copies the same bytes from the topic, so restored and processed entries cannot differ.
 *
 * <p>Built with {@code topology.optimization=all}: the store reuses the totals topic as its changelog
 * (no second copy of the data), and restoring it reads the topic itself. The application reads with
 * {@code isolation.level=read_committed} ({@link #config}), so the store only ever holds totals of
 * committed transactions of the counting application: a value a later abort takes back is never read.
 *
 * <p>Every record read passes {@link TotalsFreshness}, the source's timestamp extractor, which keeps the newest
 * record timestamp: the newest registration the totals reflect (see {@code TotalsTopology}).
 */
public final class TotalsViewTopology {

    /** The application id of the view application. */
    public static final String APPLICATION_ID = "homecoming-totals-view";

    private TotalsViewTopology() {
    }

    /** Builds the topology, optimised as it runs. */
    public static Topology build(TotalsFreshness freshness) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, freshness);
        return builder.build(optimization());
    }

    /** Adds the topology to {@code builder}; build it with {@link #config}, which asks for the optimisation. */
    public static void addTo(StreamsBuilder builder, TotalsFreshness freshness) {
        builder.table(Topics.TOTALS.name(),
                Consumed.with(Serdes.Bytes(), Serdes.ByteArray()).withName(Names.VIEW_TOTALS_TABLE)
                        .withTimestampExtractor(freshness),
                Materialized.<Bytes, byte[], KeyValueStore<Bytes, byte[]>>as(Names.TOTALS_VIEW_STORE)
                        .withKeySerde(Serdes.Bytes())
                        .withValueSerde(Serdes.ByteArray()));
    }

    private static Properties optimization() {
        Properties props = new Properties();
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        return props;
    }

    /**
     * The configuration the view application runs with.
     *
     * @param applicationId     application id (normally {@link #APPLICATION_ID})
     * @param bootstrapServers  Kafka bootstrap servers
     * @param stateDir          local state folder
     * @param applicationServer {@code host:port} other instances forward queries to
     * @param replicationFactor replication factor of internal topics
     */
    public static Properties config(String applicationId, String bootstrapServers, String stateDir,
                                    String applicationServer, int replicationFactor) {
        Properties config = optimization();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // The view writes nothing; its only output is the store. At-least-once is enough for that, and
        // read_committed (main, restore and global consumers) keeps aborted totals out of the store.
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        return config;
    }
}
