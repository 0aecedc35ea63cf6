package org.homecoming.local.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.homecoming.producer.simulator.GatewayTarget;
import org.homecoming.producer.simulator.ProvinceYearSimulation.SimulatedRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts records in batches to the gateway's batch API as terminals do, and notes what became of each event: answered
 * 202, or refused (4xx). A record with no answer (the connection dropped, as when the gateway is SIGKILLed mid-request)
 * or answered 503 is posted again, as a terminal would, until it has an answer; so a record may reach the
 * registrations topic more than once, and the counting rules must still count it once. One person's records go
 * through one lane, batch after batch, so a retraction is never posted before the registration it takes back.
 */
final class GatewaySender implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration GIVE_UP = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI batchUri;
    private final String token;
    private final int batchSize;
    private final ExecutorService[] lanes;
    private final List<Future<?>> pending = new ArrayList<>();
    private final Map<UUID, Integer> answered = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    GatewaySender(URI gateway, String token, int batchSize, int lanes) {
        this.batchUri = gateway.resolve("/api/v1/registrations:batch");
        this.token = token;
        this.batchSize = batchSize;
        this.lanes = new ExecutorService[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = Executors.newSingleThreadExecutor();
        }
    }

    /** Queues the records on their lanes, in batches; returns at once. */
    void submit(List<SimulatedRecord> records) {
        List<List<SimulatedRecord>> byLane = new ArrayList<>();
        for (int i = 0; i < lanes.length; i++) {
            byLane.add(new ArrayList<>());
        }
        for (SimulatedRecord record : records) {
            byLane.get(Math.floorMod(record.nationalId().hashCode(), lanes.length)).add(record);
        }
        for (int lane = 0; lane < lanes.length; lane++) {
            List<SimulatedRecord> mine = byLane.get(lane);
            for (int from = 0; from < mine.size(); from += batchSize) {
                List<SimulatedRecord> batch = List.copyOf(mine.subList(from, Math.min(mine.size(), from + batchSize)));
                synchronized (pending) {
                    pending.add(lanes[lane].submit(() -> post(batch)));
                }
            }
        }
    }

    /** Waits until every record submitted has an answer. */
    void await() throws Exception {
        List<Future<?>> all;
        synchronized (pending) {
            all = new ArrayList<>(pending);
            pending.clear();
        }
        for (Future<?> batch : all) {
            batch.get(GIVE_UP.toMinutes() + 1, TimeUnit.MINUTES);
        }
    }

    private void post(List<SimulatedRecord> records) {
        List<SimulatedRecord> unanswered = records;
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (!unanswered.isEmpty()) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException(unanswered.size() + " records had no answer from the gateway within "
                        + GIVE_UP);
            }
            List<String> bodies = unanswered.stream().map(GatewayTarget::json).toList();
            HttpRequest request = HttpRequest.newBuilder(batchUri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[" + String.join(",", bodies) + "]}"))
                    .build();
            List<SimulatedRecord> again = new ArrayList<>();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202 || response.statusCode() == 207 || response.statusCode() == 503) {
                    for (JsonNode result : JSON.readTree(response.body()).get("results")) {
                        SimulatedRecord record = unanswered.get(result.get("index").asInt());
                        int status = result.get("status").asInt();
                        if (status == 503) {
                            again.add(record);
                        } else {
                            answer(record, status);
                        }
                    }
                } else {
                    throw new IllegalStateException("The gateway answered a batch " + response.statusCode() + ": "
                            + response.body());
                }
            } catch (IOException e) {
                // no answer: the gateway may or may not have stored some of them; a terminal posts them again
                again = unanswered;
                dropped.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while posting to the gateway", e);
            }
            if (!again.isEmpty()) {
                resent.addAndGet(again.size());
                try {
                    TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while posting to the gateway", e);
                }
            }
            unanswered = again;
        }
    }

    private void answer(SimulatedRecord record, int status) {
        UUID eventId = UUID.fromString(record.event().getEventId().toString());
        if (status == 202) {
            accepted.incrementAndGet();
            // a resend of the simulation's own (same eventId) is answered as well; the first 202 is enough
            answered.put(eventId, 202);
        } else {
            answered.putIfAbsent(eventId, status);
        }
    }

    /** Records answered 202 so far, resends counted each time. */
    long accepted() {
        return accepted.get();
    }

    /** Records posted again, for want of an answer or after a 503. */
    long resent() {
        return resent.get();
    }

    /** Requests that ended without an answer. */
    long dropped() {
        return dropped.get();
    }

    /** Each event's answer: 202, or the status it was refused with. */
    Map<UUID, Integer> answers() {
        return Map.copyOf(answered);
    }

    /** Events answered 202. */
    Set<UUID> acceptedEvents() {
        Set<UUID> events = ConcurrentHashMap.newKeySet();
        answered.forEach((id, status) -> {
            if (status == 202) {
                events.add(id);
            }
        });
        return events;
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }
}
