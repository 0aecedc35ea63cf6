package org.homecoming.streams.lifecycle;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' {@code processing.exception.handler} (KIP-1033): notes the topic, partition and offset of the
 * record a processor failed on in the application's {@link FailedRecords}, then fails, so the uncaught-exception
 * handler decides between a fresh thread and stopping the client knowing which record it was. The record's key and
 * value are never read.
 */
public final class FailedRecordHandler implements ProcessingExceptionHandler {

    private FailedRecords failedRecords;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(FailedRecords.CONFIG) instanceof FailedRecords shared)) {
            throw new ConfigException(FailedRecords.CONFIG, configs.get(FailedRecords.CONFIG),
                    "the application's FailedRecords object is required");
        }
        failedRecords = shared;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        // A punctuation has no record: no topic, offset -1.
        if (context.topic() != null) {
            failedRecords.remember(exception, new RecordPosition(context.topic(), context.partition(), context.offset()));
        }
        return ProcessingHandlerResponse.FAIL;
    }
}
