package org.homecoming.local.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records made before a clock starts, packed into large byte arrays: at scale 1.0 the replay holds about
 * 1.16 million of them, so one object per record, let alone an Avro object, would cost more than the
 * bytes. Each record is its value, its key and its timestamp; a key that occurs inside its value (a
 * registration's personRef, which the value repeats) is stored as a position in the value, not again.
 *
 * <p>The harness shares its JVM with the stack it measures, so a full array is written to a temporary file
 * at once and the same array takes the next records: the heap holds one array, whatever the count, and the
 * stack's peak RSS is not the harness's. {@link #drain} reads the file back one array at a time (from the
 * page cache, far faster than a producer sends) and hands every record out once, in the order added.
 */
final class PreparedRecords implements AutoCloseable {

    static final int CHUNK_BYTES = 1 << 20;

    /** Receives one record; the arrays are the record's own, so the visitor may keep them. */
    @FunctionalInterface
    interface Visitor {
        void accept(byte[] key, byte[] value, long timestamp);
    }

    /** Opens the temporary file for reading and writing; tests pass one whose writes fail. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    private final Path directory;
    private final int chunkBytes;
    private final Opener opener;
    /** Bytes of each array in the file, in order: a record never spans two, so each is read back whole. */
    private final List<Integer> chunkLengths = new ArrayList<>();
    private Path file;
    private FileChannel channel;
    private byte[] current;
    private int position;
    private long count;
    private long bytes;
    private long lastTimestamp;
    private boolean finished;

    /** Records whose file is made in {@code java.io.tmpdir}. */
    PreparedRecords() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Records whose file is made in {@code directory} (created if missing). */
    PreparedRecords(Path directory) {
        this(directory, CHUNK_BYTES);
    }

    PreparedRecords(Path directory, int chunkBytes) {
        this(directory, chunkBytes, file -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    PreparedRecords(Path directory, int chunkBytes, Opener opener) {
        this.directory = directory;
        this.chunkBytes = chunkBytes;
        this.opener = opener;
    }

    /** Appends a record. */
    void add(byte[] key, byte[] value, long timestamp) {
        if (finished) {
            throw new IllegalStateException("These records have been drained or closed");
        }
        int keyAt = indexOf(value, key);
        long delta = timestamp - lastTimestamp;
        int size = varintSize(value.length) + varintSize(key.length) + varintSize(keyAt + 1L) + value.length
                + (keyAt < 0 ? key.length : 0) + varintSize(zigzag(delta));
        if (current == null || position + size > current.length) {
            spill();
            // a record larger than an array gets one of its own, dropped again after it is written
            if (current == null || size > current.length || current.length > chunkBytes) {
                current = new byte[Math.max(chunkBytes, size)];
            }
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

    /** Bytes the records take in their file, all of it: an array's unused tail is not written. */
    long bytes() {
        return bytes;
    }

    /** The temporary file, while there is one: it is made when the first array is written. */
    Path file() {
        return file;
    }

    /** Hands every record to the visitor, in the order added, then deletes the file; once only. */
    void drain(Visitor visitor) {
        if (finished) {
            throw new IllegalStateException("These records have been drained or closed");
        }
        try {
            spill();
            finished = true;
            byte[] chunk = current == null ? new byte[0] : current;
            long offset = 0;
            long timestamp = 0;
            int[] at = new int[1];
            for (int length : chunkLengths) {
                if (length > chunk.length) {
                    chunk = new byte[length];
                }
                read(chunk, length, offset);
                offset += length;
                at[0] = 0;
                while (at[0] < length) {
                    int valueLength = (int) getVarint(chunk, at);
                    int keyLength = (int) getVarint(chunk, at);
                    int keyAt = (int) getVarint(chunk, at) - 1;
                    // fresh arrays: a producer holds each record until it is acknowledged, and chunk is reused
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
        } finally {
            close();
        }
    }

    /** Deletes the file, drained or not; later calls do nothing. */
    @Override
    public void close() {
        finished = true;
        current = null;
        chunkLengths.clear();
        Path spilled = file;
        FileChannel open = channel;
        file = null;
        channel = null;
        if (spilled == null) {
            return;
        }
        try {
            try {
                if (open != null) {
                    open.close();
                }
            } finally {
                Files.deleteIfExists(spilled);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the prepared records' file " + spilled, e);
        }
    }

    /** Writes the current array's records to the file and empties it for the next ones. */
    private void spill() {
        if (position == 0) {
            return;
        }
        if (channel == null) {
            open();
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(current, 0, position);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the prepared records to " + file, e);
        }
        chunkLengths.add(position);
        position = 0;
    }

    private void open() {
        try {
            Files.createDirectories(directory);
            file = Files.createTempFile(directory, "prepared-records-", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a file for the prepared records in " + directory, e);
        }
        // close() deletes it; this is for a run that ends without getting there
        file.toFile().deleteOnExit();
        try {
            channel = opener.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + file, e);
        }
    }

    private void read(byte[] chunk, int length, long offset) {
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new EOFException(file + " ends at " + (offset + buffer.position()) + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the prepared records back from " + file, e);
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
