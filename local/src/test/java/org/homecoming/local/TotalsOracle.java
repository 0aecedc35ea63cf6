package org.homecoming.local;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;
import org.homecoming.streams.topology.Bucket;

/**
 * The reference model, event by event, for the crash test, which writes the totals topic itself the way the streams
 * application does: for each accepted event, the buckets whose totals changed with their new absolute values. The
 * change of a bucket is the person's contribution after the event less the one before, as the model counts them.
 */
final class TotalsOracle {

    private final ReferenceModel model;
    private final Map<Bucket, Metrics> totals = new HashMap<>();

    TotalsOracle(Regions regions) {
        this.model = new ReferenceModel(regions);
    }

    /** Applies one event, which the counting rules must accept; returns the changed buckets and their new totals. */
    Map<Bucket, Metrics> accept(RegistrationEvent event) {
        String person = event.getPersonRef();
        Map<Bucket, Metrics> before = model.contribution(person);
        ReferenceModel.Outcome outcome = model.receive(SentRecord.of(event, Instant.now()));
        if (!outcome.isAccepted()) {
            throw new IllegalArgumentException("The counting rules do not accept " + event.getEventId() + ": " + outcome);
        }
        Map<Bucket, Metrics> after = model.contribution(person);
        Set<Bucket> touched = new HashSet<>(before.keySet());
        touched.addAll(after.keySet());
        Map<Bucket, Metrics> changed = new LinkedHashMap<>();
        for (Bucket bucket : touched) {
            Metrics change = after.getOrDefault(bucket, Metrics.ZERO).minus(before.getOrDefault(bucket, Metrics.ZERO));
            if (!change.isZero()) {
                changed.put(bucket, totals.merge(bucket, change, Metrics::plus));
            }
        }
        return changed;
    }

    /** The current totals of every bucket ever touched, zeros included, as the totals topic keeps them. */
    Map<Bucket, Metrics> totals() {
        return Map.copyOf(totals);
    }

    /** The active events of a person other than retractions: what a retraction could target. */
    List<RegistrationEvent> active(String person) {
        return model.active(person);
    }
}
