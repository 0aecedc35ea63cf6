package org.homecoming.producer.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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

    /** Takes in records from one terminal; the outcomes are in request order. */
    public List<Outcome> submit(List<?> records, Terminals.Terminal terminal) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        List<CompletableFuture<?>> acks = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            RecordParser.Parsed parsed = parser.parse(records.get(i), terminal.id());
            if (!parsed.valid()) {
                outcomes.add(new Outcome(i, parsed.eventId(), 400, Problems.invalidRecord(parsed.eventId(), parsed.errors())));
                acks.add(null);
            } else if (!terminals.serves(terminal, parsed.event().getTownshipCode())) {
                outcomes.add(new Outcome(i, parsed.eventId(), 403,
                        Problems.townshipNotServed(parsed.eventId(), terminal.id(), parsed.event().getTownshipCode())));
                acks.add(null);
            } else {
                outcomes.add(new Outcome(i, parsed.eventId(), 202, null));
                acks.add(publishQuietly(parsed));
            }
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        int accepted = 0;
        int unavailable = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            CompletableFuture<?> ack = acks.get(i);
            if (ack == null) {
                continue;
            }
            Outcome outcome = outcomes.get(i);
            Throwable failure = await(ack, deadline);
            if (failure == null) {
                accepted++;
            } else {
                unavailable++;
                outcomes.set(i, new Outcome(i, outcome.eventId(), 503,
                        Problems.notAcknowledged(outcome.eventId(), retryAfterSeconds)));
                if (unavailable == 1) {
                    LOG.warn("Kafka did not acknowledge a record from terminal {}: {}", terminal.id(), failure.toString());
                }
            }
        }
        LOG.debug("Terminal {}: {} records, {} accepted, {} not acknowledged", terminal.id(), records.size(), accepted,
                unavailable);
        count(outcomes);
        return outcomes;
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

    private static Throwable await(CompletableFuture<?> ack, long deadlineNanos) {
        try {
            ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }
}
