package org.homecoming.producer.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.homecoming.events.BusinessStarted;
import org.homecoming.events.EmploymentNearHomeRecorded;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.ReturneeRegistered;
import org.homecoming.events.TrainingCompleted;
import org.homecoming.schemas.rules.Policy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends through the intake gateway as terminals would: batches posted to
 * {@code /api/v1/registrations:batch} by a few concurrent senders; records answered 503 are resent after
 * the Retry-After the gateway asks for. Like a person's records at their township's terminal, the records of one
 * person go through one sender, one batch after the other: a retraction is never posted before the registration it
 * takes back has been answered.
 */
public final class GatewayTarget implements SimulationTarget {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ATTEMPTS = 10;

    private final HttpClient http;
    private final URI batchUri;
    private final String token;
    private final int batchSize;
    private final ExecutorService[] lanes;
    private final List<List<String>> batches = new ArrayList<>();
    private final Semaphore inFlight;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, LongAdder> refusedByCode = new ConcurrentHashMap<>();
    private long sent;

    public GatewayTarget(URI gateway, String token, int batchSize, int concurrency) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.batchUri = gateway.resolve("/api/v1/registrations:batch");
        this.token = token;
        this.batchSize = batchSize;
        this.lanes = new ExecutorService[concurrency];
        for (int i = 0; i < concurrency; i++) {
            lanes[i] = Executors.newSingleThreadExecutor();
            batches.add(new ArrayList<>());
        }
        this.inFlight = new Semaphore(concurrency * 2);
    }

    @Override
    public void send(ProvinceYearSimulation.SimulatedRecord record) {
        sent++;
        int lane = Math.floorMod(record.nationalId().hashCode(), lanes.length);
        List<String> batch = batches.get(lane);
        batch.add(json(record));
        if (batch.size() >= batchSize) {
            submit(lane);
        }
    }

    private void submit(int lane) {
        List<String> records = batches.get(lane);
        batches.set(lane, new ArrayList<>());
        inFlight.acquireUninterruptibly();
        lanes[lane].execute(() -> {
            try {
                post(records);
            } finally {
                inFlight.release();
            }
        });
    }

    private void post(List<String> records) {
        List<String> pending = records;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                failed.addAndGet(pending.size());
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(batchUri)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[" + String.join(",", pending) + "]}"))
                    .build();
            long retryAfter = 1;
            List<String> again = new ArrayList<>();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
                if (response.statusCode() == 202) {
                    accepted.addAndGet(pending.size());
                } else if (response.statusCode() == 207 || response.statusCode() == 503) {
                    for (JsonNode result : JSON.readTree(response.body()).get("results")) {
                        int status = result.get("status").asInt();
                        if (status == 202) {
                            accepted.incrementAndGet();
                        } else if (status == 503) {
                            again.add(pending.get(result.get("index").asInt()));
                        } else {
                            refused.incrementAndGet();
                            refusedByCode.computeIfAbsent(code(result), c -> new LongAdder()).increment();
                        }
                    }
                } else {
                    failed.addAndGet(pending.size());
                    return;
                }
            } catch (IOException e) {
                again = pending;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.addAndGet(pending.size());
                return;
            }
            pending = again;
            if (!pending.isEmpty()) {
                try {
                    TimeUnit.SECONDS.sleep(Math.max(1, retryAfter));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.addAndGet(pending.size());
                    return;
                }
            }
        }
    }

    @Override
    public Delivery finish() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        for (int lane = 0; lane < lanes.length; lane++) {
            if (!batches.get(lane).isEmpty()) {
                submit(lane);
            }
            lanes[lane].shutdown();
        }
        for (ExecutorService lane : lanes) {
            if (!lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("The gateway did not answer within an hour");
            }
        }
        return new Delivery(sent, accepted.get(), refused.get(), failed.get());
    }

    /** The first error code of each refused record (HTTP status when it has none), with how many had it. */
    public Map<String, Long> refusedByCode() {
        Map<String, Long> counts = new TreeMap<>();
        refusedByCode.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    private static String code(JsonNode result) {
        JsonNode errors = result.path("problem").path("errors");
        if (errors.isArray() && !errors.isEmpty() && errors.get(0).hasNonNull("code")) {
            return errors.get(0).get("code").asString();
        }
        return "HTTP " + result.path("status").asInt();
    }

    @Override
    public long acknowledged() {
        return accepted.get();
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }

    /** The record as a terminal posts it: raw ID, no personRef. */
    public static String json(ProvinceYearSimulation.SimulatedRecord record) {
        RegistrationEvent event = record.event();
        StringBuilder json = new StringBuilder(320);
        json.append("{\"eventId\":\"").append(event.getEventId())
                .append("\",\"nationalId\":\"").append(record.nationalId())
                .append("\",\"townshipCode\":\"").append(event.getTownshipCode())
                .append("\",\"occurredOn\":\"").append(event.getOccurredOn())
                .append("\",\"recordedAt\":\"").append(OffsetDateTime.ofInstant(event.getRecordedAt(), Policy.ZONE))
                .append("\",");
        Object payload = event.getPayload();
        if (payload instanceof ReturneeRegistered r) {
            json.append("\"type\":\"RETURNEE_REGISTERED\",\"payload\":{\"returnReason\":\"").append(r.getReturnReason())
                    .append('"');
            if (r.getPreviousWorkProvince() != null) {
                json.append(",\"previousWorkProvince\":\"").append(r.getPreviousWorkProvince()).append('"');
            }
        } else if (payload instanceof EmploymentNearHomeRecorded e) {
            json.append("\"type\":\"EMPLOYMENT_NEAR_HOME_RECORDED\",\"payload\":{\"employmentType\":\"")
                    .append(e.getEmploymentType()).append("\",\"distance\":\"").append(e.getDistance()).append('"');
        } else if (payload instanceof BusinessStarted b) {
            json.append("\"type\":\"BUSINESS_STARTED\",\"payload\":{\"businessType\":\"").append(b.getBusinessType())
                    .append("\",\"registeredCapitalFen\":").append(b.getRegisteredCapitalFen())
                    .append(",\"guaranteedLoanFen\":").append(b.getGuaranteedLoanFen())
                    .append(",\"jobsCreated\":").append(b.getJobsCreated());
        } else if (payload instanceof TrainingCompleted t) {
            json.append("\"type\":\"TRAINING_COMPLETED\",\"payload\":{\"programme\":\"").append(t.getProgramme())
                    .append("\",\"hours\":").append(t.getHours());
        } else if (payload instanceof RegistrationRetracted r) {
            json.append("\"type\":\"REGISTRATION_RETRACTED\",\"payload\":{\"targetEventId\":\"").append(r.getTargetEventId())
                    .append("\",\"reason\":\"").append(r.getReason()).append('"');
        } else {
            throw new IllegalArgumentException("Unknown payload " + payload.getClass());
        }
        return json.append("}}").toString();
    }
}
