package org.homecoming.streams.view;

import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.FailOnInvalidTimestamp;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * How fresh the totals the view has read are. The counting application stamps each totals record with the newest
 * registration timestamp its local phase had read when it sent the partial; as the view's timestamp extractor this
 * keeps the newest such stamp, and {@link #ageSeconds} is the {@code homecoming.totals.freshness} gauge: now minus
 * the time of the newest registration reflected in the totals the view has seen. Records restored into the store
 * at start-up are not read through it: until new totals arrive the age is unknown (NaN).
 */
public final class TotalsFreshness implements TimestampExtractor {

    /** Micrometer name of the gauge. */
    public static final String GAUGE = "homecoming.totals.freshness";

    private static final long NONE = Long.MIN_VALUE;

    /** The extraction Kafka Streams does by default, kept as it is. */
    private final TimestampExtractor recordTime = new FailOnInvalidTimestamp();
    private final AtomicLong newest = new AtomicLong(NONE);

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = recordTime.extract(record, partitionTime);
        newest.accumulateAndGet(timestamp, Math::max);
        return timestamp;
    }

    /** The newest totals record timestamp read, in epoch milliseconds. */
    public OptionalLong newest() {
        long value = newest.get();
        return value == NONE ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Seconds from the newest registration reflected in the totals read to now; NaN before any was read. */
    public double ageSeconds(Clock clock) {
        long value = newest.get();
        return value == NONE ? Double.NaN : (clock.millis() - value) / 1000.0;
    }
}
