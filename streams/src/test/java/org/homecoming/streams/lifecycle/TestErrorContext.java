package org.homecoming.streams.lifecycle;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/** What Kafka Streams tells a processing exception handler about the record that failed; a punctuation has none. */
record TestErrorContext(RecordPosition position) implements ErrorHandlerContext {

    @Override
    public String topic() {
        return position == null ? null : position.topic();
    }

    @Override
    public int partition() {
        return position == null ? -1 : position.partition();
    }

    @Override
    public long offset() {
        return position == null ? -1 : position.offset();
    }

    @Override
    public Headers headers() {
        return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
        return "decode-registration";
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, partition());
    }

    @Override
    public long timestamp() {
        return 0;
    }

    @Override
    public byte[] sourceRawKey() {
        return new byte[0];
    }

    @Override
    public byte[] sourceRawValue() {
        return new byte[0];
    }
}
