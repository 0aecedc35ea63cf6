package org.homecoming.streams.view;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.Topics;
import org.homecoming.streams.topology.Bucket;

/**
 * Reads the view store, which holds the totals topic's records as they arrived: Confluent-wire Avro keys and
 * values, never decoded on the way in. A bucket is found by serialising its key the way the counting application
 * writes it (the same serializer and subject, {@code homecoming.totals-key}, so the same schema id in the header
 * and the same bytes); a value is decoded only when a query reads it.
 *
 * <p>Partitioning already depends on those bytes being equal: Kafka places a totals record by its key bytes, and
 * {@code queryMetadataForKey} finds the owner by the bytes serialised here.
 */
public final class TotalsViewCodec {

    private final Serializer<TotalsKey> keySerializer;
    private final Deserializer<Totals> valueDeserializer;

    /**
     * @param keySerializer     the totals-topic key serializer (Confluent wire), as the counting application's
     * @param valueDeserializer the totals-topic value deserializer (Confluent wire)
     */
    public TotalsViewCodec(Serializer<TotalsKey> keySerializer, Deserializer<Totals> valueDeserializer) {
        this.keySerializer = keySerializer;
        this.valueDeserializer = valueDeserializer;
    }

    /** The bucket's key as the totals topic, and so the store, holds it. */
    public Bytes key(Bucket bucket) {
        return Bytes.wrap(keySerializer.serialize(Topics.TOTALS.name(), bucket.toKey()));
    }

    /** The totals a stored value holds. */
    public StoredTotals totals(byte[] value) {
        return StoredTotals.of(valueDeserializer.deserialize(Topics.TOTALS.name(), value));
    }

    /** The stored totals of those keys (made by {@link #key}) that have any, decoded. */
    public List<StoredTotals> read(ReadOnlyKeyValueStore<Bytes, byte[]> store, Collection<Bytes> keys) {
        List<StoredTotals> found = new ArrayList<>(keys.size());
        for (Bytes key : keys) {
            byte[] value = store.get(key);
            if (value != null) {
                found.add(totals(value));
            }
        }
        return found;
    }
}
