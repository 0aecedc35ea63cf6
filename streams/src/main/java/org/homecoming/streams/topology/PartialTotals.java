package org.homecoming.streams.topology;

import java.util.Arrays;
import java.util.BitSet;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongIntHashMap;
import org.homecoming.streams.counting.Metrics;

/**
 * One task's absolute partial totals per bucket, in memory, and which of them changed since the last flush.
 * Every bucket any of the task's people counts in has an entry, so this is the largest structure of the
 * counting app: a primitive map from packed bucket to a slot, and the six numbers of each slot side by side
 * in one array, hold a bucket in about 70 bytes where a {@code HashMap<Bucket, Metrics>} takes about 200.
 * Not thread-safe: it belongs to one task.
 */
final class PartialTotals {

    private static final int WIDTH = 6;

    private final LongIntHashMap slots = new LongIntHashMap();
    private long[] buckets = new long[1024];
    private long[] values = new long[1024 * WIDTH];
    private int size;
    private final BitSet dirty = new BitSet();
    private final IntArrayList dirtySlots = new IntArrayList();

    /** Adds a change to a bucket's partial and marks it changed. */
    void add(long bucket, Metrics change) {
        int slot = slotOf(bucket);
        int at = slot * WIDTH;
        values[at] = Math.addExact(values[at], change.returnees());
        values[at + 1] = Math.addExact(values[at + 1], change.employedNearHome());
        values[at + 2] = Math.addExact(values[at + 2], change.businessesStarted());
        values[at + 3] = Math.addExact(values[at + 3], change.guaranteedLoansFen());
        values[at + 4] = Math.addExact(values[at + 4], change.jobsCreated());
        values[at + 5] = Math.addExact(values[at + 5], change.trained());
        markChanged(slot);
    }

    /** Marks a bucket changed without changing its value: after a restart, where it differs from what was emitted. */
    void markChanged(long bucket) {
        markChanged(slotOf(bucket));
    }

    Metrics get(long bucket) {
        int index = slots.indexOf(bucket);
        return slots.indexExists(index) ? metrics(slots.indexGet(index)) : Metrics.ZERO;
    }

    int size() {
        return size;
    }

    int changedCount() {
        return dirtySlots.size();
    }

    /** Hands every changed bucket with its partial to the consumer, then forgets that they changed. */
    void drainChanged(ChangedBucket consumer) {
        for (int i = 0; i < dirtySlots.size(); i++) {
            int slot = dirtySlots.get(i);
            consumer.accept(buckets[slot], metrics(slot));
        }
        dirtySlots.clear();
        dirty.clear();
    }

    /** Every bucket with its partial, changed or not. */
    void forEach(ChangedBucket consumer) {
        for (int slot = 0; slot < size; slot++) {
            consumer.accept(buckets[slot], metrics(slot));
        }
    }

    private void markChanged(int slot) {
        if (!dirty.get(slot)) {
            dirty.set(slot);
            dirtySlots.add(slot);
        }
    }

    private Metrics metrics(int slot) {
        int at = slot * WIDTH;
        return new Metrics(values[at], values[at + 1], values[at + 2], values[at + 3], values[at + 4], values[at + 5]);
    }

    // A bucket keeps its slot when its partial returns to zero: a person moving back and forth would otherwise
    // churn the map. The zero is emitted like any other value, and the stores then drop the bucket.
    private int slotOf(long bucket) {
        int index = slots.indexOf(bucket);
        if (slots.indexExists(index)) {
            return slots.indexGet(index);
        }
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            values = Arrays.copyOf(values, size * 2 * WIDTH);
        }
        int slot = size++;
        buckets[slot] = bucket;
        slots.indexInsert(index, bucket, slot);
        return slot;
    }

    /** Receives one bucket's partial. */
    @FunctionalInterface
    interface ChangedBucket {
        void accept(long bucket, Metrics partial);
    }
}
