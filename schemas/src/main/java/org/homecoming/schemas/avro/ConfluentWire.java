package org.homecoming.schemas.avro;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then Avro binary.
 */
public final class ConfluentWire {

    /** First byte of every message in the format. */
    public static final byte MAGIC_BYTE = 0;
    /** Bytes before the Avro payload. */
    public static final int HEADER_SIZE = 5;

    private ConfluentWire() {
    }

    /** The schema id of a message in the format; fails on anything else. */
    public static int schemaId(byte[] message) {
        if (message.length < HEADER_SIZE) {
            throw new SerializationException("Not in the Confluent wire format: " + message.length + " bytes");
        }
        if (message[0] != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + message[0] + ": not in the Confluent wire format");
        }
        return ByteBuffer.wrap(message, 1, 4).getInt();
    }

    /** Writes the header for a schema id into the first five bytes of the buffer. */
    static void writeHeader(byte[] buffer, int schemaId) {
        buffer[0] = MAGIC_BYTE;
        buffer[1] = (byte) (schemaId >>> 24);
        buffer[2] = (byte) (schemaId >>> 16);
        buffer[3] = (byte) (schemaId >>> 8);
        buffer[4] = (byte) schemaId;
    }
}
