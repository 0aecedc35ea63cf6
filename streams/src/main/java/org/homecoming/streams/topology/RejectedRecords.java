package org.homecoming.streams.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.homecoming.schemas.Headers;

/**
 * Writes a rejection as the original bytes with the reason and source position in headers.
 */
final class RejectedRecords implements FixedKeyProcessor<byte[], Rejection, byte[]> {

    private static final int MAX_DETAIL = 500;

    private final CountingMeters meters;
    private FixedKeyProcessorContext<byte[], byte[]> context;

    RejectedRecords(CountingMeters meters) {
        this.meters = meters;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Rejection> record) {
        Rejection rejection = record.value();
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.REJECT_REASON, bytes(rejection.reason().name()));
        String detail = rejection.detail() == null ? "" : rejection.detail();
        headers.add(Headers.REJECT_DETAIL, bytes(detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail));
        headers.add(Headers.SOURCE_TOPIC, bytes(rejection.topic()));
        headers.add(Headers.SOURCE_PARTITION, bytes(Integer.toString(rejection.partition())));
        headers.add(Headers.SOURCE_OFFSET, bytes(Long.toString(rejection.offset())));
        context.forward(record.withValue(rejection.value()).withHeaders(headers));
        meters.rejected(rejection.reason());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
