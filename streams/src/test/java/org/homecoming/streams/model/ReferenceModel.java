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
 * from scratch from each person's final set of active events. The oracle of the topology tests.
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

    /** Takes one record, in arrival order. */
    public void receive(SentRecord record) {
        RegistrationEvent event = record.event();
        if (event == null) {
            rejections.add("UNDESERIALIZABLE");
            return;
        }
        if (record.key() == null || !event.getPersonRef().equals(record.keyText())) {
            rejections.add("BAD_KEY");
            return;
        }
        List<Violation> violations = rules.check(event, record.timestamp().atZone(Policy.ZONE).toLocalDate());
        if (!violations.isEmpty()) {
            rejections.add(violations.get(0).code().name());
            return;
        }
        List<RegistrationEvent> history = acceptedByPerson.computeIfAbsent(event.getPersonRef(), p -> new ArrayList<>());
        if (history.stream().anyMatch(e -> e.getEventId().equals(event.getEventId()))) {
            duplicates++;
            return;
        }
        if (event.getPayload() instanceof RegistrationRetracted retraction) {
            Optional<RegistrationEvent> target = history.stream()
                    .filter(e -> e.getEventId().equals(retraction.getTargetEventId())).findFirst();
            if (target.isEmpty()) {
                rejections.add("UNKNOWN_RETRACTION_TARGET");
                return;
            }
            if (target.get().getPayload() instanceof RegistrationRetracted) {
                rejections.add("TARGET_IS_RETRACTION");
                return;
            }
            if (!retractedByPerson.computeIfAbsent(event.getPersonRef(), p -> new HashSet<>())
                    .add(retraction.getTargetEventId())) {
                rejections.add("TARGET_ALREADY_RETRACTED");
                return;
            }
        }
        history.add(event);
        accepted.add(event);
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

    /** Every bucket with a number other than zero, counted from scratch. */
    public Map<Bucket, Metrics> totals() {
        Map<Bucket, Metrics> totals = new HashMap<>();
        for (Map.Entry<String, List<RegistrationEvent>> person : acceptedByPerson.entrySet()) {
            Set<UUID> retracted = retractedByPerson.getOrDefault(person.getKey(), Set.of());
            List<RegistrationEvent> active = person.getValue().stream()
                    .filter(e -> !(e.getPayload() instanceof RegistrationRetracted))
                    .filter(e -> !retracted.contains(e.getEventId()))
                    .toList();
            active.stream().filter(e -> e.getPayload() instanceof ReturneeRegistered).max(ORDER)
                    .ifPresent(e -> count(totals, e, new Metrics(1, 0, 0, 0, 0, 0)));
            active.stream().filter(e -> e.getPayload() instanceof EmploymentNearHomeRecorded).min(ORDER)
                    .ifPresent(e -> count(totals, e, new Metrics(0, 1, 0, 0, 0, 0)));
            active.stream().filter(e -> e.getPayload() instanceof BusinessStarted).min(ORDER)
                    .ifPresent(e -> count(totals, e, new Metrics(0, 0, 1, 0, 0, 0)));
            active.stream().filter(e -> e.getPayload() instanceof TrainingCompleted).min(ORDER)
                    .ifPresent(e -> count(totals, e, new Metrics(0, 0, 0, 0, 0, 1)));
            for (RegistrationEvent e : active) {
                if (e.getPayload() instanceof BusinessStarted business) {
                    count(totals, e, new Metrics(0, 0, 0, business.getGuaranteedLoanFen(), business.getJobsCreated(), 0));
                }
            }
        }
        totals.values().removeIf(m -> m.equals(Metrics.ZERO));
        return totals;
    }

    private void count(Map<Bucket, Metrics> totals, RegistrationEvent event, Metrics metrics) {
        LocalDate day = event.getOccurredOn();
        for (String region : regions.lineage(event.getTownshipCode())) {
            totals.merge(new Bucket(region, PeriodKind.ALL, LocalDate.of(1970, 1, 1)), metrics, Metrics::plus);
            totals.merge(new Bucket(region, PeriodKind.YEAR, LocalDate.of(day.getYear(), 1, 1)), metrics, Metrics::plus);
            totals.merge(new Bucket(region, PeriodKind.MONTH, LocalDate.of(day.getYear(), day.getMonth(), 1)), metrics,
                    Metrics::plus);
            totals.merge(new Bucket(region, PeriodKind.DAY, day), metrics, Metrics::plus);
        }
    }
}
