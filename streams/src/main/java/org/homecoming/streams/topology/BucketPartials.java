package org.homecoming.streams.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.homecoming.streams.counting.Metrics;

/**
 * The global phase's state of one bucket: the latest non-zero partial of every input partition that has
 * people in it, ordered by partition. The bucket's total is their sum.
 *
 * @param partials one entry per partition, none of them zero
 */
public record BucketPartials(List<PartitionPartial> partials) {

    public static final BucketPartials NONE = new BucketPartials(List.of());

    public BucketPartials {
        partials = List.copyOf(partials);
    }

    /** These partials with one partition's replaced by the newer one (dropped when it is zero). */
    public BucketPartials with(PartitionPartial newer) {
        List<PartitionPartial> next = new ArrayList<>(partials.size() + 1);
        boolean placed = false;
        for (PartitionPartial p : partials) {
            if (!placed && p.partition() >= newer.partition()) {
                placeIfNonZero(next, newer);
                placed = true;
                if (p.partition() == newer.partition()) {
                    continue;
                }
            }
            next.add(p);
        }
        if (!placed) {
            placeIfNonZero(next, newer);
        }
        return new BucketPartials(next);
    }

    public Metrics total() {
        Metrics total = Metrics.ZERO;
        for (PartitionPartial p : partials) {
            total = total.plus(p.partial());
        }
        return total;
    }

    public boolean isEmpty() {
        return partials.isEmpty();
    }

    private static void placeIfNonZero(List<PartitionPartial> next, PartitionPartial partial) {
        if (!partial.partial().isZero()) {
            next.add(partial);
        }
    }

    /** The entries one after another, {@link PartitionPartial#SIZE} bytes each. */
    static final class BucketPartialsSerde implements Serde<BucketPartials> {

        @Override
        public Serializer<BucketPartials> serializer() {
            return (topic, value) -> {
                if (value == null) {
                    return null;
                }
                ByteBuffer out = ByteBuffer.allocate(value.partials().size() * PartitionPartial.SIZE);
                value.partials().forEach(p -> PartitionPartial.write(out, p.partition(), p.partial()));
                return out.array();
            };
        }

        @Override
        public Deserializer<BucketPartials> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length % PartitionPartial.SIZE != 0) {
                    throw new SerializationException("Bucket partials come in " + PartitionPartial.SIZE
                            + "-byte entries, not " + bytes.length + " bytes");
                }
                ByteBuffer in = ByteBuffer.wrap(bytes);
                List<PartitionPartial> partials = new ArrayList<>(bytes.length / PartitionPartial.SIZE);
                while (in.hasRemaining()) {
                    partials.add(PartitionPartial.read(in));
                }
                return new BucketPartials(partials);
            };
        }
    }
}
