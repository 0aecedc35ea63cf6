package org.homecoming.streams.counting;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.homecoming.streams.topology.RejectReason;

/**
 * Every accepted event of one person (retractions included, retracted events marked), in arrival order.
 * It is both the dedupe memory (the ids seen) and what the counting rules read.
 *
 * @param entries the accepted events, oldest arrival first
 */
public record PersonLedger(List<LedgerEntry> entries) {

    /** A person with no accepted event. */
    public static final PersonLedger EMPTY = new PersonLedger(List.of());

    public PersonLedger {
        entries = List.copyOf(entries);
    }

    /** The accepted event with this id, if any. */
    public Optional<LedgerEntry> find(UUID eventId) {
        for (LedgerEntry entry : entries) {
            if (entry.eventId().equals(eventId)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** True when an event with this id was accepted: a resend is a duplicate. */
    public boolean contains(UUID eventId) {
        return find(eventId).isPresent();
    }

    /** Why a retraction of this target must be refused, or empty when it may be accepted. */
    public Optional<RejectReason> refusal(UUID targetEventId) {
        Optional<LedgerEntry> target = find(targetEventId);
        if (target.isEmpty()) {
            return Optional.of(RejectReason.UNKNOWN_RETRACTION_TARGET);
        } else if (target.get().kind() == EntryKind.RETRACTION) {
            return Optional.of(RejectReason.TARGET_IS_RETRACTION);
        } else if (target.get().retracted()) {
            return Optional.of(RejectReason.TARGET_ALREADY_RETRACTED);
        }
        return Optional.empty();
    }

    /**
     * The ledger after accepting an entry that is neither a duplicate nor a refused retraction; a retraction
     * marks its target retracted.
     */
    public PersonLedger accept(LedgerEntry entry) {
        if (contains(entry.eventId())) {
            throw new IllegalArgumentException("Already accepted: " + entry.eventId());
        }
        if (entry.kind() == EntryKind.RETRACTION) {
            Optional<RejectReason> refusal = refusal(entry.targetEventId());
            if (refusal.isPresent()) {
                throw new IllegalArgumentException("Retraction refused: " + refusal.get());
            }
        }
        List<LedgerEntry> next = new ArrayList<>(entries.size() + 1);
        for (LedgerEntry existing : entries) {
            next.add(entry.kind() == EntryKind.RETRACTION && existing.eventId().equals(entry.targetEventId())
                    ? existing.asRetracted() : existing);
        }
        next.add(entry);
        return new PersonLedger(next);
    }
}
