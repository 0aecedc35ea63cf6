package org.homecoming.streams.topology;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.streams.counting.Metrics;

/**
 * What the local phase sends to the global phase for one bucket (the record key): the absolute partial of
 * the people of one input partition. The latest partial of each partition wins, so re-sending one is harmless.
 *
 * @param partition the input partition whose people these are
 * @param partial   their absolute contribution to the bucket
 */
public record PartitionPartial(int partition, Metrics partial) {

    static final int SIZE = Integer.BYTES + MetricsSerde.SIZE;

    static void write(ByteBuffer out, int partition, Metrics m) {
        out.putInt(partition).putLong(m.returnees()).putLong(m.employedNearHome()).putLong(m.businessesStarted())
                .putLong(m.guaranteedLoansFen()).putLong(m.jobsCreated()).putLong(m.trained());
    }

    static PartitionPartial read(ByteBuffer in) {
        return new PartitionPartial(in.getInt(),
                new Metrics(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong()));
    }

    /** A partition number and six big-endian longs: the value of the repartition topic between the phases. */
    static final class PartitionPartialSerde implements Serde<PartitionPartial> {

        @Override
        public Serializer<PartitionPartial> serializer() {
            return (topic, p) -> {
                if (p == null) {
                    return null;
                }
                ByteBuffer out = ByteBuffer.allocate(SIZE);
                write(out, p.partition(), p.partial());
                return out.array();
            };
        }

        @Override
        public Deserializer<PartitionPartial> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length != SIZE) {
                    throw new SerializationException("A partition partial is " + SIZE + " bytes, not " + bytes.length);
                }
                return read(ByteBuffer.wrap(bytes));
            };
        }
    }
}
