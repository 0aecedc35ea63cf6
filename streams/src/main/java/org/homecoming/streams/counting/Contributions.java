package org.homecoming.streams.counting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.topology.Bucket;

/**
 * What one person adds to the totals, given their ledger, and how that changes when an event is accepted.
 * Pure functions: the topology applies the change; the reference model recomputes from scratch.
 */
public final class Contributions {

    private Contributions() {
    }

    /** The person's contribution per township and date (docs/counting-rules.md, "What each person contributes"). */
    public static Map<Place, Metrics> of(PersonLedger ledger) {
        Map<Place, Metrics> places = new LinkedHashMap<>();
        latest(ledger, EntryKind.RETURNEE)
                .ifPresent(e -> add(places, e, new Metrics(1, 0, 0, 0, 0, 0)));
        earliest(ledger, EntryKind.EMPLOYMENT)
                .ifPresent(e -> add(places, e, new Metrics(0, 1, 0, 0, 0, 0)));
        earliest(ledger, EntryKind.BUSINESS)
                .ifPresent(e -> add(places, e, new Metrics(0, 0, 1, 0, 0, 0)));
        earliest(ledger, EntryKind.TRAINING)
                .ifPresent(e -> add(places, e, new Metrics(0, 0, 0, 0, 0, 1)));
        for (LedgerEntry entry : ledger.entries()) {
            if (entry.active() && entry.kind() == EntryKind.BUSINESS) {
                add(places, entry, new Metrics(0, 0, 0, entry.loanFen(), entry.jobs(), 0));
            }
        }
        places.values().removeIf(Metrics::isZero);
        return places;
    }

    /** The contributions of places, counted in each of their 16 buckets. */
    public static Map<Bucket, Metrics> buckets(Map<Place, Metrics> places, Regions regions) {
        Map<Bucket, Metrics> buckets = new LinkedHashMap<>();
        places.forEach((place, metrics) -> {
            for (String region : regions.lineage(place.townshipCode())) {
                for (Bucket bucket : Bucket.periodsOf(region, place.date())) {
                    buckets.merge(bucket, metrics, Metrics::plus);
                }
            }
        });
        return buckets;
    }

    /**
     * The change of every bucket when a person's ledger goes from {@code before} to {@code after}: one
     * difference per bucket, buckets whose numbers do not change left out.
     */
    public static Map<Bucket, Metrics> change(PersonLedger before, PersonLedger after, Regions regions) {
        Map<Bucket, Metrics> change = new LinkedHashMap<>(buckets(of(after), regions));
        buckets(of(before), regions).forEach((bucket, old) -> change.merge(bucket, old.negate(), Metrics::plus));
        change.values().removeIf(Metrics::isZero);
        return change;
    }

    private static Optional<LedgerEntry> earliest(PersonLedger ledger, EntryKind kind) {
        return ledger.entries().stream().filter(e -> e.active() && e.kind() == kind).min(LedgerEntry.ORDER);
    }

    private static Optional<LedgerEntry> latest(PersonLedger ledger, EntryKind kind) {
        return ledger.entries().stream().filter(e -> e.active() && e.kind() == kind).max(LedgerEntry.ORDER);
    }

    private static void add(Map<Place, Metrics> places, LedgerEntry entry, Metrics metrics) {
        places.merge(new Place(entry.townshipCode(), entry.occurredOn()), metrics, Metrics::plus);
    }
}
