package org.homecoming.streams.topology;

/**
 * Why a record was refused, with where it came from. Becomes a record on the rejected topic that keeps
 * the original bytes, so nothing a terminal sent is lost even when it cannot be counted.
 *
 * @param reason    machine-readable reason code
 * @param detail    human-readable detail, never holding personal data
 * @param key       the original key bytes
 * @param value     the original value bytes
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 */
public record Rejection(RejectReason reason, String detail, byte[] key, byte[] value, String topic, int partition,
                        long offset) {
}
