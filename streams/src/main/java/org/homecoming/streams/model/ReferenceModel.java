package org.homecoming.streams.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.PeriodKind;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.schemas.avro.ContractClasses;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.rules.EventRules;
import org.homecoming.schemas.rules.Policy;
import org.homecoming.schemas.rules.Violation;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;

/**
 * The counting rules of docs/counting-rules.md in plain Java, with no Kafka and no deltas: it decides,
 * record by record in arrival order, what is rejected, a duplicate or accepted, then counts every bucket
 * from scratch from each person's final set of active events. The one oracle of the topology tests, the
 * integration tests and {@code ./homecoming audit}; it knows nothing of the topology, so a bug there cannot hide
 * in it.
 */
public final class ReferenceModel {

    static {
        ContractClasses.trust();
    }

    /** "Earliest"/"latest": business date, then recording time, then the event id as lower-case text. */
    private static final Comparator<RegistrationEvent> ORDER = Comparator.comparing(RegistrationEvent::getOccurredOn)
            .thenComparing(RegistrationEvent::getRecordedAt)
            .thenComparing(event -> event.getEventId().toString());

    private final Regions regions;
    private final EventRules rules;
    private final Map<String, List<RegistrationEvent>> acceptedByPerson = new LinkedHashMap<>();
    private final Map<String, Set<UUID>> retractedByPerson = new HashMap<>();
    private final List<String> rejections = new ArrayList<>();
    private final List<RegistrationEvent> accepted = new ArrayList<>();
    private int duplicates;

    public ReferenceModel(Regions regions) {
        this.regions = regions;
        this.rules = new EventRules(regions);
    }

    /** Runs records through a fresh model. */
    public static ReferenceModel of(Regions regions, List<SentRecord> records) {
        ReferenceModel model = new ReferenceModel(regions);
        records.forEach(model::receive);
        return model;
    }

    /** Takes one record, in arrival order, and says what became of it. */
    public Outcome receive(SentRecord record) {
        RegistrationEvent event = record.event();
        if (event == null) {
            return reject("UNDESERIALIZABLE");
        }
        if (record.key() == null || !event.getPersonRef().equals(record.keyText())) {
            return reject("BAD_KEY");
        }
        List<Violation> violations = rules.check(event, record.timestamp().atZone(Policy.ZONE).toLocalDate());
        if (!violations.isEmpty()) {
            return reject(violations.get(0).code().name());
        }
        // Room for two: most people have one or two events, and the audit holds a million people.
        List<RegistrationEvent> history = acceptedByPerson.computeIfAbsent(event.getPersonRef(), p -> new ArrayList<>(2));
        if (history.stream().anyMatch(e -> e.getEventId().equals(event.getEventId()))) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (event.getPayload() instanceof RegistrationRetracted retraction) {
            Optional<RegistrationEvent> target = history.stream()
                    .filter(e -> e.getEventId().equals(retraction.getTargetEventId())).findFirst();
            if (target.isEmpty()) {
                return reject("UNKNOWN_RETRACTION_TARGET");
            }
            if (target.get().getPayload() instanceof RegistrationRetracted) {
                return reject("TARGET_IS_RETRACTION");
            }
            if (!retractedByPerson.computeIfAbsent(event.getPersonRef(), p -> new HashSet<>())
                    .add(retraction.getTargetEventId())) {
                return reject("TARGET_ALREADY_RETRACTED");
            }
        }
        history.add(event);
        accepted.add(event);
        return Outcome.ACCEPTED;
    }

    private Outcome reject(String reason) {
        rejections.add(reason);
        return Outcome.rejected(reason);
    }

    /** Reason codes of the rejected records, in arrival order. */
    public List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** Accepted events, in arrival order. */
    public List<RegistrationEvent> accepted() {
        return List.copyOf(accepted);
    }

    /** Records that were duplicates of an accepted event. */
    public int duplicates() {
        return duplicates;
    }

    /** Whether a retraction the model accepted took this accepted event back. */
    public boolean isRetracted(RegistrationEvent event) {
        return retractedByPerson.getOrDefault(event.getPersonRef(), Set.of()).contains(event.getEventId());
    }

    /** A person's active events other than retractions, in arrival order: what a retraction could still target. */
    public List<RegistrationEvent> active(String person) {
        Set<UUID> retracted = retractedByPerson.getOrDefault(person, Set.of());
        return acceptedByPerson.getOrDefault(person, List.of()).stream()
                .filter(e -> !(e.getPayload() instanceof RegistrationRetracted))
                .filter(e -> !retracted.contains(e.getEventId()))
                .toList();
    }

    /** Every bucket with a number other than zero, counted from scratch. */
    public Map<Bucket, Metrics> totals() {
        // Each person's contributions go to their (township, day) first, and each of those to its 16 buckets after:
        // far fewer places than people, so a million people cost a million small sums, not sixteen million.
        Map<Place, Metrics> places = new HashMap<>();
        for (String person : acceptedByPerson.keySet()) {
            count(places, person);
        }
        return buckets(places);
    }

    /** What one person adds to each bucket now, from their active events; the buckets they are in. */
    public Map<Bucket, Metrics> contribution(String person) {
        Map<Place, Metrics> places = new HashMap<>();
        count(places, person);
        return buckets(places);
    }

    private void count(Map<Place, Metrics> places, String person) {
        List<RegistrationEvent> active = active(person);
        active.stream().filter(e -> e.getPayload() instanceof ReturneeRegistered).max(ORDER)
                .ifPresent(e -> count(places, e, new Metrics(1, 0, 0, 0, 0, 0)));
        active.stream().filter(e -> e.getPayload() instanceof EmploymentNearHomeRecorded).min(ORDER)
                .ifPresent(e -> count(places, e, new Metrics(0, 1, 0, 0, 0, 0)));
        active.stream().filter(e -> e.getPayload() instanceof BusinessStarted).min(ORDER)
                .ifPresent(e -> count(places, e, new Metrics(0, 0, 1, 0, 0, 0)));
        active.stream().filter(e -> e.getPayload() instanceof TrainingCompleted).min(ORDER)
                .ifPresent(e -> count(places, e, new Metrics(0, 0, 0, 0, 0, 1)));
        for (RegistrationEvent e : active) {
            if (e.getPayload() instanceof BusinessStarted business) {
                count(places, e, new Metrics(0, 0, 0, business.getGuaranteedLoanFen(), business.getJobsCreated(), 0));
            }
        }
    }

    private static void count(Map<Place, Metrics> places, RegistrationEvent event, Metrics metrics) {
        places.merge(new Place(event.getTownshipCode(), event.getOccurredOn()), metrics, Metrics::plus);
    }

    /** Each place's numbers in its township, county, city and the province, for all time, its year, month and day. */
    private Map<Bucket, Metrics> buckets(Map<Place, Metrics> places) {
        Map<Bucket, Metrics> totals = new HashMap<>();
        places.forEach((place, metrics) -> {
            LocalDate day = place.day();
            for (String region : regions.lineage(place.township())) {
                totals.merge(new Bucket(region, PeriodKind.ALL, LocalDate.of(1970, 1, 1)), metrics, Metrics::plus);
                totals.merge(new Bucket(region, PeriodKind.YEAR, LocalDate.of(day.getYear(), 1, 1)), metrics,
                        Metrics::plus);
                totals.merge(new Bucket(region, PeriodKind.MONTH, LocalDate.of(day.getYear(), day.getMonth(), 1)),
                        metrics, Metrics::plus);
                totals.merge(new Bucket(region, PeriodKind.DAY, day), metrics, Metrics::plus);
            }
        });
        totals.values().removeIf(m -> m.equals(Metrics.ZERO));
        return totals;
    }

    /** A township on a day: where and when an event counts. */
    private record Place(String township, LocalDate day) {
    }

    /**
     * What became of one record: accepted, a duplicate of an accepted event, or rejected with a reason code
     * (the names of the streams application's {@code RejectReason}).
     *
     * @param rejection the reason code, {@code null} unless rejected
     * @param duplicate whether the record was a duplicate
     */
    public record Outcome(String rejection, boolean duplicate) {

        public static final Outcome ACCEPTED = new Outcome(null, false);
        public static final Outcome DUPLICATE = new Outcome(null, true);

        public static Outcome rejected(String reason) {
            return new Outcome(reason, false);
        }

        public boolean isAccepted() {
            return rejection == null && !duplicate;
        }
    }
}
