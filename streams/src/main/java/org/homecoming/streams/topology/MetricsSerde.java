package org.homecoming.streams.topology;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.streams.counting.Metrics;

/**
 * Six big-endian longs: a bucket's change on the repartition topic, its absolute value in the totals store.
 */
public final class MetricsSerde implements Serde<Metrics> {

    static final int SIZE = 6 * Long.BYTES;

    @Override
    public Serializer<Metrics> serializer() {
        return (topic, m) -> m == null ? null : ByteBuffer.allocate(SIZE)
                .putLong(m.returnees()).putLong(m.employedNearHome()).putLong(m.businessesStarted())
                .putLong(m.guaranteedLoansFen()).putLong(m.jobsCreated()).putLong(m.trained())
                .array();
    }

    @Override
    public Deserializer<Metrics> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != SIZE) {
                throw new SerializationException("Metrics are " + SIZE + " bytes, not " + bytes.length);
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new Metrics(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
        };
    }
}
