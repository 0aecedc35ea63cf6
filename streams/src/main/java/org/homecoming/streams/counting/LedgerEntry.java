package org.homecoming.streams.counting;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.UUID;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;

/**
 * What the counting rules need to remember of one accepted event of a person.
 *
 * @param eventId          the event's id
 * @param kind             what kind of event it is
 * @param townshipCode     township it counts in
 * @param occurredOn       business date it counts on
 * @param recordedAtMillis when the terminal recorded it, breaking ties of one date
 * @param loanFen          guaranteed loan of a business start, else 0
 * @param jobs             jobs created by a business start, else 0
 * @param targetEventId    the event a retraction takes back, else {@code null}
 * @param retracted        true once a later retraction has taken this event back
 */
public record LedgerEntry(UUID eventId, EntryKind kind, String townshipCode, LocalDate occurredOn, long recordedAtMillis,
                          long loanFen, long jobs, UUID targetEventId, boolean retracted) {

    /**
     * "Earliest" and "latest" among one person's events: by business date, then recording time, then the
     * event id as its canonical lower-case text (the order PostgreSQL gives the {@code uuid} type).
     */
    public static final Comparator<LedgerEntry> ORDER = Comparator.comparing(LedgerEntry::occurredOn)
            .thenComparingLong(LedgerEntry::recordedAtMillis)
            .thenComparing(entry -> entry.eventId().toString());

    /** The entry of a validated event. */
    public static LedgerEntry of(RegistrationEvent event) {
        EntryKind kind = EntryKind.of(event.getPayload());
        long loan = 0;
        long jobs = 0;
        UUID target = null;
        if (event.getPayload() instanceof BusinessStarted business) {
            loan = business.getGuaranteedLoanFen();
            jobs = business.getJobsCreated();
        } else if (event.getPayload() instanceof RegistrationRetracted retraction) {
            target = retraction.getTargetEventId();
        }
        return new LedgerEntry(event.getEventId(), kind, event.getTownshipCode(), event.getOccurredOn(),
                event.getRecordedAt().toEpochMilli(), loan, jobs, target, false);
    }

    /** True when the entry counts: it is not a retraction and has not been retracted. */
    public boolean active() {
        return kind != EntryKind.RETRACTION && !retracted;
    }

    /** This entry, taken back. */
    public LedgerEntry asRetracted() {
        return new LedgerEntry(eventId, kind, townshipCode, occurredOn, recordedAtMillis, loanFen, jobs, targetEventId,
                true);
    }
}
