package org.homecoming.producer.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.homecoming.events.RegistrationEvent;
import org.homecoming.producer.kafka.RegistrationPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Takes records in: parse and validate, check the township against the terminal, publish, and answer
 * each record only once Kafka acknowledged it. A record is never answered 202 before its acknowledgement,
 * and one record's failure never affects another's.
 */
public final class IntakeService {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);

    /**
     * The answer for one record.
     *
     * @param index   position in the request (0 for a single record)
     * @param eventId the record's eventId, when readable
     * @param status  202, 400, 403 or 503
     * @param problem the problem detail when not accepted, else {@code null}
     */
    public record Outcome(int index, String eventId, int status, Map<String, Object> problem) {
    }

    private final RecordParser parser;
    private final Terminals terminals;
    private final KafkaOperations<String, RegistrationEvent> template;
    private final GatewayRecords counted;
    private final Duration ackTimeout;
    private final long retryAfterSeconds;

    public IntakeService(RecordParser parser, Terminals terminals, KafkaOperations<String, RegistrationEvent> template,
                         GatewayRecords counted, Duration ackTimeout, Duration retryAfter) {
        this.parser = parser;
        this.terminals = terminals;
        this.template = template;
        this.counted = counted;
        this.ackTimeout = ackTimeout;
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    /** Seconds a terminal should wait after a 503. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The longest wait for the acknowledgements of one request's records. */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /**
     * Takes in records from one terminal. The outcomes, in request order, complete once every published
     * record was acknowledged or failed, or the acknowledgement timeout passed; no thread waits meanwhile.
     */
    public CompletableFuture<List<Outcome>> submit(List<?> records, Terminals.Terminal terminal) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        List<CompletableFuture<?>> pending = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            RecordParser.Parsed parsed = parser.parse(records.get(i), terminal.id());
            if (!parsed.valid()) {
                outcomes.add(new Outcome(i, parsed.eventId(), 400, Problems.invalidRecord(parsed.eventId(), parsed.errors())));
            } else if (!terminals.serves(terminal, parsed.event().getTownshipCode())) {
                outcomes.add(new Outcome(i, parsed.eventId(), 403,
                        Problems.townshipNotServed(parsed.eventId(), terminal.id(), parsed.event().getTownshipCode())));
            } else {
                outcomes.add(new Outcome(i, parsed.eventId(), 202, null));
                acks[i] = publishQuietly(parsed);
                pending.add(acks[i]);
            }
        }
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(answered(outcomes, acks, terminal));
        }
        CompletableFuture<?> all = pending.size() == 1 ? pending.get(0)
                : CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new));
        // A failed acknowledgement is read per record below; here it only ends the wait, as the deadline does.
        return all.handle((ignored, failure) -> Boolean.TRUE)
                .completeOnTimeout(Boolean.FALSE, ackTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(ignored -> answered(outcomes, acks, terminal));
    }

    /** The outcomes with every record that was published but not acknowledged (yet) turned into a 503. */
    private List<Outcome> answered(List<Outcome> outcomes, CompletableFuture<?>[] acks, Terminals.Terminal terminal) {
        int accepted = 0;
        int unavailable = 0;
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<?> ack = acks[i];
            if (ack == null) {
                continue;
            }
            Throwable failure = failure(ack);
            if (failure == null) {
                accepted++;
                continue;
            }
            unavailable++;
            String eventId = outcomes.get(i).eventId();
            outcomes.set(i, new Outcome(i, eventId, 503, Problems.notAcknowledged(eventId, retryAfterSeconds)));
            if (unavailable == 1) {
                LOG.warn("Kafka did not acknowledge a record from terminal {}: {}", terminal.id(), failure.toString());
            }
        }
        LOG.debug("Terminal {}: {} records, {} accepted, {} not acknowledged", terminal.id(), outcomes.size(), accepted,
                unavailable);
        count(outcomes);
        return outcomes;
    }

    /** Why a record was not acknowledged, or {@code null} when it was. */
    private Throwable failure(CompletableFuture<?> ack) {
        if (!ack.isDone()) {
            return new TimeoutException("No acknowledgement within " + ackTimeout);
        }
        try {
            ack.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private void count(List<Outcome> outcomes) {
        int accepted = 0;
        int invalid = 0;
        int notServed = 0;
        int unavailable = 0;
        for (Outcome outcome : outcomes) {
            switch (outcome.status()) {
                case 202 -> accepted++;
                case 400 -> invalid++;
                case 403 -> notServed++;
                default -> unavailable++;
            }
        }
        counted.count(202, accepted);
        counted.count(400, invalid);
        counted.count(403, notServed);
        counted.count(503, unavailable);
    }

    private CompletableFuture<?> publishQuietly(RecordParser.Parsed parsed) {
        try {
            return RegistrationPublisher.send(template, parsed.event());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
