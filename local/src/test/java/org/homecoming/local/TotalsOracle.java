package org.homecoming.local;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.schemas.region.Regions;

/**
 * The counting rules (docs/counting-rules.md) in plain Java for the crash test, independent of the SQL
 * reconcile: accepts events one by one and returns, for each, the buckets whose totals changed with their new
 * absolute values, the way the streams application writes the totals topic.
 */
final class TotalsOracle {

    /** A bucket: region, period kind and period start. */
    record Bucket(String region, String kind, LocalDate start) {
    }

    private static final Comparator<RegistrationEvent> ORDER = Comparator
            .comparing(RegistrationEvent::getOccurredOn)
            .thenComparing(RegistrationEvent::getRecordedAt)
            .thenComparing(e -> e.getEventId().toString());

    private final Regions regions;
    private final Map<String, List<RegistrationEvent>> activeByPerson = new HashMap<>();
    private final Map<UUID, RegistrationEvent> byId = new HashMap<>();
    private final Map<Bucket, long[]> totals = new HashMap<>();

    TotalsOracle(Regions regions) {
        this.regions = regions;
    }

    /** Applies one accepted event; returns the changed buckets and their new absolute totals. */
    Map<Bucket, long[]> accept(RegistrationEvent event) {
        String person = event.getPersonRef();
        List<RegistrationEvent> active = activeByPerson.computeIfAbsent(person, p -> new ArrayList<>());
        Map<Bucket, long[]> before = contribution(active);
        byId.put(event.getEventId(), event);
        if (event.getPayload() instanceof RegistrationRetracted retraction) {
            active.removeIf(e -> e.getEventId().equals(retraction.getTargetEventId()));
        } else {
            active.add(event);
        }
        Map<Bucket, long[]> after = contribution(active);
        Map<Bucket, long[]> changed = new LinkedHashMap<>();
        for (Bucket bucket : union(before, after)) {
            long[] b = before.getOrDefault(bucket, new long[6]);
            long[] a = after.getOrDefault(bucket, new long[6]);
            boolean differs = false;
            long[] total = totals.computeIfAbsent(bucket, k -> new long[6]);
            for (int m = 0; m < 6; m++) {
                if (a[m] != b[m]) {
                    differs = true;
                    total[m] += a[m] - b[m];
                }
            }
            if (differs) {
                changed.put(bucket, total.clone());
            }
        }
        return changed;
    }

    /** The current totals of every bucket ever touched (zeros included). */
    Map<Bucket, long[]> totals() {
        return totals;
    }

    /** The active, non-retraction events of a person that a retraction could target. */
    List<RegistrationEvent> active(String person) {
        return activeByPerson.getOrDefault(person, List.of());
    }

    private static List<Bucket> union(Map<Bucket, long[]> a, Map<Bucket, long[]> b) {
        List<Bucket> all = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(all::add);
        return all;
    }

    private Map<Bucket, long[]> contribution(List<RegistrationEvent> active) {
        Map<Bucket, long[]> result = new HashMap<>();
        active.stream().filter(e -> e.getPayload() instanceof ReturneeRegistered).max(ORDER)
                .ifPresent(e -> add(result, e, 0, 1));
        active.stream().filter(e -> e.getPayload() instanceof EmploymentNearHomeRecorded).min(ORDER)
                .ifPresent(e -> add(result, e, 1, 1));
        active.stream().filter(e -> e.getPayload() instanceof BusinessStarted).min(ORDER)
                .ifPresent(e -> add(result, e, 2, 1));
        active.stream().filter(e -> e.getPayload() instanceof TrainingCompleted).min(ORDER)
                .ifPresent(e -> add(result, e, 5, 1));
        for (RegistrationEvent e : active) {
            if (e.getPayload() instanceof BusinessStarted business) {
                add(result, e, 3, business.getGuaranteedLoanFen());
                add(result, e, 4, business.getJobsCreated());
            }
        }
        result.values().removeIf(v -> v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 0 && v[4] == 0 && v[5] == 0);
        return result;
    }

    private void add(Map<Bucket, long[]> result, RegistrationEvent event, int metric, long amount) {
        LocalDate day = event.getOccurredOn();
        for (String region : regions.lineage(event.getTownshipCode())) {
            for (Bucket bucket : List.of(new Bucket(region, "ALL", LocalDate.EPOCH),
                    new Bucket(region, "YEAR", day.withDayOfYear(1)), new Bucket(region, "MONTH", day.withDayOfMonth(1)),
                    new Bucket(region, "DAY", day))) {
                result.computeIfAbsent(bucket, k -> new long[6])[metric] += amount;
            }
        }
    }

    @Override
    public String toString() {
        return "TotalsOracle[" + Objects.toString(totals.size()) + " buckets]";
    }
}
