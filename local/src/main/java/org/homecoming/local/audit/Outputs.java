package org.homecoming.local.audit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.local.audit.Differences.Source;
import org.homecoming.schemas.Headers;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.avro.SpecificAvroDeserializer;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;

/**
 * What the counting application wrote to its output topics, as a {@code read_committed} reader sees it, kept in the
 * form the audit compares: the newest totals of every bucket, how often each event is in the accepted topic and in
 * which bytes, the reason of every rejection by its source position; and the records that break the contract outright
 * (undecodable, tombstones, wrong keys, rejections written twice).
 */
final class Outputs {

    /**
     * The copies in the accepted topic of one event the model has not accepted (yet).
     *
     * @param count     how many
     * @param valueHash hash of the first copy's value
     */
    record Copies(int count, int valueHash) {
    }

    private final Map<UUID, Recount.Accepted> oracle;

    private final SpecificAvroDeserializer<TotalsKey> totalsKeys;
    private final SpecificAvroDeserializer<Totals> totalsValues;
    private final SpecificAvroDeserializer<RegistrationEvent> events;
    private final Map<Bucket, Metrics> totals = new HashMap<>();
    private final Map<UUID, Copies> strays = new HashMap<>();
    private final Map<Long, String> rejected = new HashMap<>();
    private final Differences broken;
    private long totalsRecords;
    private long acceptedRecords;

    /** Outputs to hold against the model's accepted events, which it keeps adding to. */
    Outputs(Map<UUID, Recount.Accepted> oracle, SchemaRegistryClient registry, int kept) {
        this.oracle = oracle;
        this.totalsKeys = new SpecificAvroDeserializer<>(TotalsKey.class, registry);
        this.totalsValues = new SpecificAvroDeserializer<>(Totals.class, registry);
        this.events = new SpecificAvroDeserializer<>(RegistrationEvent.class, registry);
        this.broken = new Differences(kept);
    }

    void takeTotals(ConsumerRecord<byte[], byte[]> record) {
        totalsRecords++;
        if (record.key() == null) {
            broken.add(Source.TOTALS_TOPIC, "a record without a key at " + at(record));
            return;
        }
        try {
            Bucket bucket = Bucket.of(totalsKeys.deserialize(record.topic(), record.key()));
            Totals t = totalsValues.deserialize(record.topic(), record.value());
            if (t == null) {
                broken.add(Source.TOTALS_TOPIC, bucket.text() + ": a tombstone at " + at(record));
                totals.remove(bucket);
                return;
            }
            totals.put(bucket, new Metrics(t.getReturnees(), t.getEmployedNearHome(), t.getBusinessesStarted(),
                    t.getGuaranteedLoansFen(), t.getJobsCreated(), t.getTrained()));
        } catch (SerializationException | AvroRuntimeException e) {
            undecodable(Source.TOTALS_TOPIC, record, e);
        }
    }

    void takeAccepted(ConsumerRecord<byte[], byte[]> record) {
        acceptedRecords++;
        RegistrationEvent event;
        try {
            event = events.deserialize(record.topic(), record.value());
        } catch (SerializationException | AvroRuntimeException e) {
            undecodable(Source.ACCEPTED_TOPIC, record, e);
            return;
        }
        if (event == null) {
            broken.add(Source.ACCEPTED_TOPIC, "a record without a value at " + at(record));
            return;
        }
        if (record.key() == null || !event.getPersonRef().equals(new String(record.key(), StandardCharsets.UTF_8))) {
            broken.add(Source.ACCEPTED_TOPIC, "event " + event.getEventId() + " at " + at(record)
                    + " is not keyed by its personRef");
        }
        int hash = Arrays.hashCode(record.value());
        Recount.Accepted known = oracle.get(event.getEventId());
        if (known != null) {
            known.copied(1, hash);
        } else {
            strays.merge(event.getEventId(), new Copies(1, hash),
                    (first, next) -> new Copies(first.count() + 1, first.valueHash()));
        }
    }

    void takeRejected(ConsumerRecord<byte[], byte[]> record) {
        String reason = header(record, Headers.REJECT_REASON);
        String topic = header(record, Headers.SOURCE_TOPIC);
        String partition = header(record, Headers.SOURCE_PARTITION);
        String offset = header(record, Headers.SOURCE_OFFSET);
        if (reason == null || partition == null || offset == null || !Topics.REGISTRATIONS.name().equals(topic)) {
            broken.add(Source.REJECTED_TOPIC, at(record) + " lacks its reason or source headers");
            return;
        }
        long position;
        try {
            position = Recount.position(Integer.parseInt(partition), Long.parseLong(offset));
        } catch (NumberFormatException e) {
            broken.add(Source.REJECTED_TOPIC, at(record) + " has a source position that is not a number");
            return;
        }
        String earlier = rejected.putIfAbsent(position, reason);
        if (earlier != null) {
            broken.add(Source.REJECTED_TOPIC, Recount.describePosition(topic, position) + " rejected twice ("
                    + earlier + ", then " + reason + " at " + at(record) + ")");
        }
    }

    private void undecodable(Source source, ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        if (e.getCause() instanceof SchemaRegistryException registry
                && registry.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
            throw new AuditException("The schema registry failed: " + registry.getMessage(), registry);
        }
        broken.add(source, "a record that does not decode at " + at(record) + ": " + e.getMessage());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String at(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The newest totals of every bucket read so far. */
    Map<Bucket, Metrics> totals() {
        return totals;
    }

    long totalsRecords() {
        return totalsRecords;
    }

    /**
     * Copies of events the model had not accepted when they were read; those it has accepted since are handed to it.
     */
    Map<UUID, Copies> strays() {
        strays.entrySet().removeIf(stray -> {
            Recount.Accepted known = oracle.get(stray.getKey());
            if (known != null) {
                known.copied(stray.getValue().count(), stray.getValue().valueHash());
            }
            return known != null;
        });
        return strays;
    }

    long acceptedRecords() {
        return acceptedRecords;
    }

    /** Reason of every rejection read so far, by the position of the rejected record in the registrations topic. */
    Map<Long, String> rejected() {
        return rejected;
    }

    /** Records that break the contract whatever the model says. */
    Differences broken() {
        return broken;
    }
}
