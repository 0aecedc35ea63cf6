package org.homecoming.local.audit;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.RecordDecoder;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;
import org.homecoming.streams.topology.Bucket;

/**
 * The audit's side of the count: the registrations topic, record by record, through the reference model, with what
 * the outputs are checked against: every accepted event with a hash of the bytes it arrived in, and the reason of every
 * rejected record by its position in the topic.
 */
final class Recount {

    /**
     * An event the model accepted, with what the outputs hold of it. One object per event for all three: a log of a
     * million events is a million of these.
     */
    static final class Accepted {

        final RegistrationEvent event;
        /** Hash of the record's value, which the accepted topic must repeat byte for byte. */
        final int valueHash;
        /** Copies in the accepted topic. */
        int copies;
        /** Hash of the first copy's value. */
        int copyHash;
        /** Whether the ledger snapshot being compared holds it. */
        boolean inLedger;

        Accepted(RegistrationEvent event, int valueHash) {
            this.event = event;
            this.valueHash = valueHash;
        }

        void copied(int count, int hash) {
            if (copies == 0) {
                copyHash = hash;
            }
            copies += count;
        }
    }

    private final ReferenceModel model;
    private final RecordDecoder decoder;
    private final Map<UUID, Accepted> accepted = new HashMap<>();
    private final Map<Long, String> rejected = new HashMap<>();
    // Townships, terminals and provinces repeat across a million events; the decoder makes a new string each time.
    private final Map<String, String> strings = new HashMap<>();
    private long records;

    Recount(Regions regions, SchemaRegistryClient registry) {
        this.model = new ReferenceModel(regions);
        this.decoder = new RecordDecoder(registry);
    }

    /** The position of a record as one number: partition above, offset below. */
    static long position(int partition, long offset) {
        return (long) partition << 40 | offset;
    }

    static int partitionOf(long position) {
        return (int) (position >>> 40);
    }

    static long offsetOf(long position) {
        return position & ((1L << 40) - 1);
    }

    static String describePosition(String topic, long position) {
        return topic + "-" + partitionOf(position) + "@" + offsetOf(position);
    }

    /** Takes the next record of a partition of the registrations topic. */
    void take(ConsumerRecord<byte[], byte[]> record) {
        records++;
        SentRecord sent = decoder.decode(record.topic(), record.key(), record.value(), record.timestamp());
        if (sent.event() != null) {
            share(sent.event());
        }
        ReferenceModel.Outcome outcome = model.receive(sent);
        if (outcome.isAccepted()) {
            accepted.put(sent.event().getEventId(), new Accepted(sent.event(), Arrays.hashCode(record.value())));
        } else if (outcome.rejection() != null) {
            rejected.put(position(record.partition(), record.offset()), outcome.rejection());
        }
    }

    // The generated classes have no setters; the event is this recount's own copy, so sharing its strings is safe.
    private void share(RegistrationEvent event) {
        event.put("townshipCode", shared(event.getTownshipCode()));
        event.put("terminalId", shared(event.getTerminalId()));
        if (event.getPayload() instanceof ReturneeRegistered returnee) {
            returnee.put("previousWorkProvince", shared(returnee.getPreviousWorkProvince()));
        }
    }

    private String shared(String text) {
        return text == null ? null : strings.computeIfAbsent(text, s -> s);
    }

    /** Records taken so far. */
    long records() {
        return records;
    }

    int duplicates() {
        return model.duplicates();
    }

    /** Every bucket the model counts in, counted from scratch. */
    Map<Bucket, Metrics> totals() {
        return model.totals();
    }

    Map<UUID, Accepted> accepted() {
        return accepted;
    }

    /** Reason of every rejected record, by position. */
    Map<Long, String> rejected() {
        return rejected;
    }

    boolean isRetracted(RegistrationEvent event) {
        return model.isRetracted(event);
    }
}
