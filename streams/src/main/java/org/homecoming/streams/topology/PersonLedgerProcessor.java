package org.homecoming.streams.topology;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Contributions;
import org.homecoming.streams.counting.EntryKind;
import org.homecoming.streams.counting.LedgerEntry;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.counting.PersonLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each person's ledger (keyed by personRef, the input's partitioning) and turns each valid event
 * into its effects: nothing for a duplicate, a rejection for a retraction that does not fit the person's
 * history, otherwise the accepted event plus the change of the person's contribution to every bucket it
 * moves, for the local phase of the totals. All of one event's outputs go out in the same transaction under
 * exactly-once v2.
 */
final class PersonLedgerProcessor extends ContextualProcessor<byte[], Decoded, String, Outcome> {

    private static final Logger LOG = LoggerFactory.getLogger(PersonLedgerProcessor.class);

    private final Regions regions;
    private final CountingMeters meters;
    private KeyValueStore<String, PersonLedger> ledgers;
    private Sensor duplicates;

    PersonLedgerProcessor(Regions regions, CountingMeters meters) {
        this.regions = regions;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        super.init(context);
        ledgers = context.getStateStore(Names.PERSON_LEDGER_STORE);
        duplicates = context.metrics().addRateTotalSensor("homecoming", Names.PERSON_LEDGER, "duplicates",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<byte[], Decoded> record) {
        RegistrationEvent event = record.value().event();
        String personRef = event.getPersonRef();
        PersonLedger before = Optional.ofNullable(ledgers.get(personRef)).orElse(PersonLedger.EMPTY);
        if (before.contains(event.getEventId())) {
            duplicates.record();
            meters.duplicate();
            LOG.debug("Duplicate event {} ignored", event.getEventId());
            return;
        }
        LedgerEntry entry = LedgerEntry.of(event);
        if (entry.kind() == EntryKind.RETRACTION) {
            Optional<RejectReason> refusal = before.refusal(entry.targetEventId());
            if (refusal.isPresent()) {
                RecordMetadata source = context().recordMetadata().orElseThrow();
                Rejection rejection = new Rejection(refusal.get(), "retraction target " + entry.targetEventId()
                        + " of event " + entry.eventId(), record.value().key(), record.value().value(), source.topic(),
                        source.partition(), source.offset());
                context().forward(new Record<>(personRef, Outcome.rejected(rejection), record.timestamp()));
                return;
            }
        }
        PersonLedger after = before.accept(entry);
        ledgers.put(personRef, after);
        context().forward(new Record<>(personRef, Outcome.accepted(record.value().key(), record.value().value()),
                record.timestamp()));
        meters.accepted();
        Map<Bucket, Metrics> change = Contributions.change(before, after, regions);
        if (!change.isEmpty()) {
            context().forward(new Record<>(personRef, Outcome.change(change), record.timestamp()));
        }
    }
}
