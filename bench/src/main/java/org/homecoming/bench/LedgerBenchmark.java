package org.homecoming.bench;

import java.util.List;
import java.util.Map;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Contributions;
import org.homecoming.streams.counting.LedgerEntry;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.counting.PersonLedger;
import org.homecoming.streams.topology.Bucket;
import org.homecoming.streams.topology.PersonLedgerSerde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The person ledger's work per accepted event, without Kafka Streams around it: add the event to the
 * person's ledger and work out which buckets move, for a new person and for one with three earlier events
 * (mostly in other townships, so the new event usually moves them); and the store serde's round trip of a ledger, which the
 * topology pays on every get and put.
 */
public class LedgerBenchmark extends PerRecordBenchmark {

    private static final String STORE_TOPIC = "person-ledger-store-changelog";

    private Regions regions;
    private List<RegistrationEvent> events;
    private PersonLedger[] histories;
    private byte[][] serialisedHistories;
    private PersonLedgerSerde serde;
    private int next;

    @Setup
    public void setUp() {
        regions = Regions.shanxi();
        events = Samples.events(regions);
        serde = new PersonLedgerSerde();
        histories = new PersonLedger[Samples.SIZE];
        serialisedHistories = new byte[Samples.SIZE][];
        for (int i = 0; i < Samples.SIZE; i++) {
            // three earlier events of the same person, taken from other samples and dated 10, 20 and 30 days before
            PersonLedger ledger = PersonLedger.EMPTY;
            for (int k = 1; k <= 3; k++) {
                RegistrationEvent earlier = events.get((i + k * 97) & (Samples.SIZE - 1));
                // field by field: newBuilder(earlier) would deep-copy the payload through Avro's class checks
                ledger = ledger.accept(LedgerEntry.of(RegistrationEvent.newBuilder()
                        .setEventId(earlier.getEventId())
                        .setPersonRef(events.get(i).getPersonRef())
                        .setPersonRefKeyVersion(earlier.getPersonRefKeyVersion())
                        .setTownshipCode(earlier.getTownshipCode())
                        .setTerminalId(earlier.getTerminalId())
                        .setOccurredOn(events.get(i).getOccurredOn().minusDays(10L * k))
                        .setRecordedAt(earlier.getRecordedAt())
                        .setPayload(earlier.getPayload())
                        .build()));
            }
            histories[i] = ledger;
            serialisedHistories[i] = serde.serializer().serialize(STORE_TOPIC, ledger);
        }
    }

    @Benchmark
    public Map<Bucket, Metrics> acceptNewPerson() {
        next = (next + 1) & (Samples.SIZE - 1);
        PersonLedger after = PersonLedger.EMPTY.accept(LedgerEntry.of(events.get(next)));
        return Contributions.change(PersonLedger.EMPTY, after, regions);
    }

    @Benchmark
    public Map<Bucket, Metrics> acceptWithHistory() {
        next = (next + 1) & (Samples.SIZE - 1);
        PersonLedger before = histories[next];
        PersonLedger after = before.accept(LedgerEntry.of(events.get(next)));
        return Contributions.change(before, after, regions);
    }

    @Benchmark
    public byte[] storeSerdeRoundTrip() {
        next = (next + 1) & (Samples.SIZE - 1);
        PersonLedger ledger = serde.deserializer().deserialize(STORE_TOPIC, serialisedHistories[next]);
        return serde.serializer().serialize(STORE_TOPIC, ledger);
    }
}
