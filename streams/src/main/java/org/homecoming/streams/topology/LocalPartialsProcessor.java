package org.homecoming.streams.topology;

import java.time.Duration;
import java.util.Map;

import com.carrotsearch.hppc.LongHashSet;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Contributions;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.counting.PersonLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local phase of the two-phase totals, in the task that owns the people of one input partition: adds
 * each person's change to the task's in-memory absolute partials, and at every flush interval sends one
 * record per changed bucket (key: the packed bucket; value: this partition and its partial) to the global
 * phase.
 *
 * <p>Kafka Streams runs no user code before a commit, so a commit can carry a ledger update whose partial
 * has not been flushed yet. The partials are therefore never trusted across a restart: {@link #init} rebuilds
 * them from the committed person ledger and compares them with {@link Names#EMITTED_PARTIALS_STORE}, the
 * committed record of what this partition last sent, and sends exactly the buckets that differ. Both stores
 * and the sent records commit in one transaction, so after any crash the two agree on what was sent.
 */
final class LocalPartialsProcessor extends ContextualProcessor<String, Outcome, Long, PartitionPartial> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPartialsProcessor.class);

    private final Regions regions;
    private final Duration flushInterval;
    private KeyValueStore<String, PersonLedger> ledgers;
    private KeyValueStore<Long, Metrics> emitted;
    private PartialTotals partials;
    private int partition;
    private Sensor flushed;

    LocalPartialsProcessor(Regions regions, Duration flushInterval) {
        this.regions = regions;
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<Long, PartitionPartial> context) {
        super.init(context);
        ledgers = context.getStateStore(Names.PERSON_LEDGER_STORE);
        emitted = context.getStateStore(Names.EMITTED_PARTIALS_STORE);
        partition = context.taskId().partition();
        flushed = context.metrics().addRateTotalSensor("homecoming", Names.LOCAL_PARTIALS, "partials-sent",
                Sensor.RecordingLevel.INFO);
        // A task is initialised again after it was closed dirty and revived, on the same processor object:
        // nothing of an earlier life may survive here.
        partials = rebuild();
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush(now));
    }

    @Override
    public void process(Record<String, Outcome> record) {
        for (Map.Entry<Bucket, Metrics> change : record.value().change().entrySet()) {
            partials.add(change.getKey().packed(), change.getValue());
        }
    }

    private void flush(long now) {
        if (partials.changedCount() == 0) {
            return;
        }
        // Stream time: the newest registration timestamp this task has read. Everything read up to it is in the
        // partials sent now, so the totals built from them carry it (the view's freshness). Unknown only before
        // the task has read or committed anything; then the wall clock stands in.
        long streamTime = context().currentStreamTimeMs();
        long timestamp = streamTime >= 0 ? streamTime : now;
        partials.drainChanged((bucket, partial) -> {
            if (partial.isZero()) {
                // Back to zero leaves the store rather than sitting in it as zeros, which is what a rebuild finds;
                // a bucket that went up and down again between two flushes was never sent, so nothing goes out.
                if (emitted.delete(bucket) == null) {
                    return;
                }
            } else {
                emitted.put(bucket, partial);
            }
            context().forward(new Record<>(bucket, new PartitionPartial(partition, partial), timestamp));
            flushed.record();
        });
    }

    private PartialTotals rebuild() {
        long started = System.nanoTime();
        PartialTotals rebuilt = new PartialTotals();
        long people = 0;
        try (KeyValueIterator<String, PersonLedger> all = ledgers.all()) {
            while (all.hasNext()) {
                KeyValue<String, PersonLedger> person = all.next();
                Contributions.buckets(Contributions.of(person.value), regions)
                        .forEach((bucket, metrics) -> rebuilt.add(bucket.packed(), metrics));
                people++;
            }
        }
        rebuilt.drainChanged((bucket, partial) -> { });
        LongHashSet sentBefore = new LongHashSet();
        try (KeyValueIterator<Long, Metrics> all = emitted.all()) {
            while (all.hasNext()) {
                KeyValue<Long, Metrics> sent = all.next();
                sentBefore.add(sent.key);
                if (!rebuilt.get(sent.key).equals(sent.value)) {
                    rebuilt.markChanged(sent.key);
                }
            }
        }
        rebuilt.forEach((bucket, partial) -> {
            if (!sentBefore.contains(bucket)) {
                rebuilt.markChanged(bucket);
            }
        });
        LOG.info("Partials of partition {} rebuilt from {} people: {} buckets, {} to send again, in {} ms", partition,
                people, rebuilt.size(), rebuilt.changedCount(), (System.nanoTime() - started) / 1_000_000);
        return rebuilt;
    }
}
