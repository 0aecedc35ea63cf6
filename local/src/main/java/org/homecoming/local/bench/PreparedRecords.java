package org.homecoming.local.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records made before a clock starts, packed into large byte arrays: at scale 1.0 the replay holds about
 * 1.16 million of them, so one object per record, let alone an Avro object, would cost more than the
 * bytes. Each record is its value, its key and its timestamp; a key that occurs inside its value (a
 * registration's personRef, which the value repeats) is stored as a position in the value, not again.
 * {@link #drain} hands every record out once, in the order added, and lets go of each array as soon as
 * its records are out, so the memory is returned while the records are sent.
 */
final class PreparedRecords {

    static final int CHUNK_BYTES = 1 << 20;

    /** Receives one record; the arrays are the record's own. */
    @FunctionalInterface
    interface Visitor {
        void accept(byte[] key, byte[] value, long timestamp);
    }

    private final int chunkBytes;
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Integer> used = new ArrayList<>();
    private byte[] current;
    private int position;
    private long count;
    private long bytes;
    private long lastTimestamp;
    private boolean drained;

    PreparedRecords() {
        this(CHUNK_BYTES);
    }

    PreparedRecords(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    /** Appends a record. */
    void add(byte[] key, byte[] value, long timestamp) {
        if (drained) {
            throw new IllegalStateException("These records have been drained");
        }
        int keyAt = indexOf(value, key);
        long delta = timestamp - lastTimestamp;
        int size = varintSize(value.length) + varintSize(key.length) + varintSize(keyAt + 1L) + value.length
                + (keyAt < 0 ? key.length : 0) + varintSize(zigzag(delta));
        if (current == null || position + size > current.length) {
            seal();
            current = new byte[Math.max(chunkBytes, size)];
            position = 0;
        }
        position = putVarint(current, position, value.length);
        position = putVarint(current, position, key.length);
        // 0: the key's bytes follow the value; n > 0: they are the value's from position n - 1
        position = putVarint(current, position, keyAt + 1L);
        System.arraycopy(value, 0, current, position, value.length);
        position += value.length;
        if (keyAt < 0) {
            System.arraycopy(key, 0, current, position, key.length);
            position += key.length;
        }
        position = putVarint(current, position, zigzag(delta));
        lastTimestamp = timestamp;
        count++;
        bytes += size;
    }

    /** Records added. */
    long size() {
        return count;
    }

    /** Bytes the records take in their arrays (the arrays' unused tails left out). */
    long bytes() {
        return bytes;
    }

    /** Hands every record to the visitor, in the order added, releasing the arrays as it goes; once only. */
    void drain(Visitor visitor) {
        if (drained) {
            throw new IllegalStateException("These records have been drained");
        }
        seal();
        drained = true;
        long timestamp = 0;
        int[] at = new int[1];
        for (int c = 0; c < chunks.size(); c++) {
            byte[] chunk = chunks.get(c);
            chunks.set(c, null);
            int end = used.get(c);
            at[0] = 0;
            while (at[0] < end) {
                int valueLength = (int) getVarint(chunk, at);
                int keyLength = (int) getVarint(chunk, at);
                int keyAt = (int) getVarint(chunk, at) - 1;
                byte[] value = Arrays.copyOfRange(chunk, at[0], at[0] + valueLength);
                at[0] += valueLength;
                byte[] key;
                if (keyAt < 0) {
                    key = Arrays.copyOfRange(chunk, at[0], at[0] + keyLength);
                    at[0] += keyLength;
                } else {
                    key = Arrays.copyOfRange(value, keyAt, keyAt + keyLength);
                }
                timestamp += unzigzag(getVarint(chunk, at));
                visitor.accept(key, value, timestamp);
            }
        }
        chunks.clear();
        used.clear();
    }

    private void seal() {
        if (current != null) {
            chunks.add(current);
            used.add(position);
            current = null;
        }
    }

    /** Where {@code key} first occurs in {@code value}, -1 when it does not (or is empty). */
    static int indexOf(byte[] value, byte[] key) {
        if (key.length == 0) {
            return -1;
        }
        outer:
        for (int i = 0; i <= value.length - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (value[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long zigzag(long n) {
        return (n << 1) ^ (n >> 63);
    }

    private static long unzigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }

    private static int varintSize(long n) {
        int size = 1;
        while ((n & ~0x7fL) != 0) {
            n >>>= 7;
            size++;
        }
        return size;
    }

    private static int putVarint(byte[] buffer, int at, long n) {
        while ((n & ~0x7fL) != 0) {
            buffer[at++] = (byte) ((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        buffer[at++] = (byte) n;
        return at;
    }

    private static long getVarint(byte[] buffer, int[] at) {
        long n = 0;
        int shift = 0;
        byte b;
        do {
            b = buffer[at[0]++];
            n |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return n;
    }
}
