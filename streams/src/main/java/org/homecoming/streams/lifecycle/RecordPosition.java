package org.homecoming.streams.lifecycle;

/**
 * Where a record sits in Kafka: enough to find it again, nothing of its key or value.
 *
 * @param topic     topic
 * @param partition partition
 * @param offset    offset
 */
public record RecordPosition(String topic, int partition, long offset) {

    @Override
    public String toString() {
        return "topic=" + topic + " partition=" + partition + " offset=" + offset;
    }
}
