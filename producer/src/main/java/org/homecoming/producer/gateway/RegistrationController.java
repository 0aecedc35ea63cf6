package org.homecoming.producer.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The intake API for township terminals. See {@code openapi.yaml} beside this service's configuration.
 */
@RestController
public class RegistrationController {

    /** Most records one batch may hold. */
    public static final int MAX_BATCH = 1000;
    /** Classpath location of the API description. */
    public static final String OPENAPI = "/org/homecoming/producer/openapi.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationController.class);
    private static final JsonMapper JSON = GatewayJson.MAPPER;
    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final IntakeService intake;
    private final GatewayRecords counted;

    public RegistrationController(IntakeService intake, GatewayRecords counted) {
        this.intake = intake;
        this.counted = counted;
    }

    /**
     * One record: 202 once Kafka acknowledged it. No thread waits for the acknowledgement: the answer is
     * written when it arrives ({@link AsyncAnswer}), or at once when the record needs none.
     */
    @PostMapping(path = "/api/v1/registrations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Responds({202, 400, 401, 403, 503})
    public ResponseEntity<Object> register(HttpServletRequest request, HttpServletResponse response) {
        Object record = json(request);
        return answer(request, response, intake.submit(List.of(record), terminal(request)),
                outcomes -> single(outcomes.get(0)), true);
    }

    private ResponseEntity<Object> single(IntakeService.Outcome outcome) {
        if (outcome.status() == 202) {
            return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("eventId", outcome.eventId(), "status", "ACCEPTED"));
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(outcome.status()).contentType(Problems.PROBLEM_JSON);
        if (outcome.status() == 503) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(intake.retryAfterSeconds()));
        }
        return response.body(outcome.problem());
    }

    /**
     * Up to {@value #MAX_BATCH} records, answered one by one: 202 when all were acknowledged, 503 when none
     * could be stored for want of the broker, 207 otherwise. Good records are stored whatever the others.
     */
    @PostMapping(path = "/api/v1/registrations:batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Responds({202, 207, 400, 401, 503})
    public ResponseEntity<Object> registerBatch(HttpServletRequest request, HttpServletResponse response) {
        Object body = json(request);
        if (!(body instanceof Map<?, ?> map) || !(map.get("records") instanceof List<?> records)) {
            return badBatch("The body must be an object with a \"records\" array");
        }
        if (records.isEmpty() || records.size() > MAX_BATCH) {
            return badBatch("A batch holds 1 to " + MAX_BATCH + " records; this one has " + records.size());
        }
        return answer(request, response, intake.submit(records, terminal(request)), this::batch, false);
    }

    /**
     * The answer now when the outcomes are known, else {@code null} (nothing for Spring MVC to write) and
     * the answer written when they are.
     */
    private ResponseEntity<Object> answer(HttpServletRequest request, HttpServletResponse response,
                                          CompletableFuture<List<IntakeService.Outcome>> outcomes,
                                          Function<List<IntakeService.Outcome>, ResponseEntity<Object>> answer,
                                          boolean small) {
        if (outcomes.isDone()) {
            return answer.apply(outcomes.join());
        }
        AsyncAnswer async = AsyncAnswer.start(request, response, intake.ackTimeout().plusSeconds(5), small);
        outcomes.whenComplete((done, failure) -> async.send(() -> {
            if (failure != null) {
                LOG.error("No answer could be made for a request", failure);
                return ResponseEntity.internalServerError().build();
            }
            return answer.apply(done);
        }));
        return null;
    }

    private ResponseEntity<Object> batch(List<IntakeService.Outcome> outcomes) {
        int accepted = 0;
        int unavailable = 0;
        List<Map<String, Object>> results = new java.util.ArrayList<>(outcomes.size());
        for (IntakeService.Outcome outcome : outcomes) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("index", outcome.index());
            if (outcome.eventId() != null) {
                result.put("eventId", outcome.eventId());
            }
            result.put("status", outcome.status());
            if (outcome.problem() != null) {
                result.put("problem", outcome.problem());
            }
            results.add(result);
            accepted += outcome.status() == 202 ? 1 : 0;
            unavailable += outcome.status() == 503 ? 1 : 0;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted);
        answer.put("refused", outcomes.size() - accepted - unavailable);
        answer.put("notAcknowledged", unavailable);
        answer.put("results", results);
        int status = accepted == outcomes.size() ? 202 : unavailable == outcomes.size() ? 503 : 207;
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (unavailable > 0) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(intake.retryAfterSeconds()));
        }
        return response.body(answer);
    }

    /** The API description, as checked in. */
    @GetMapping(path = "/api/v1/openapi.yaml")
    @Responds({200})
    public ResponseEntity<String> openApi() throws IOException {
        try (InputStream in = RegistrationController.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                return ResponseEntity.notFound().build();
            }
            return ResponseEntity.ok().contentType(YAML).body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * The body as maps, lists and numbers. Read here rather than by {@code @RequestBody}, whose DEBUG and
     * TRACE logs would print what it read, national IDs included. Parsed from the stream: reading it into
     * an array first allocated a buffer of 8 KiB or more per record, an eighth of all the gateway allocated.
     */
    private static Object json(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            return JSON.readValue(in, Object.class);
        } catch (JacksonException | IOException e) {
            throw new UnreadableBody();
        }
    }

    /** The body is not JSON; carries nothing of it. */
    static final class UnreadableBody extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableBody() {
            super("The request body is not JSON", null, false, false);
        }
    }

    /** A body that is not JSON: answered without echoing any of it. */
    @ExceptionHandler({HttpMessageNotReadableException.class, UnreadableBody.class})
    public ResponseEntity<Object> unreadable(RuntimeException e) {
        counted.count(400, 1);
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(Problems.PROBLEM_JSON)
                .body(Problems.problem("unreadable-body", "The body is not valid JSON", 400,
                        "The request body could not be read as JSON", Map.of()));
    }

    private ResponseEntity<Object> badBatch(String detail) {
        counted.count(400, 1);
        return ResponseEntity.badRequest().contentType(Problems.PROBLEM_JSON)
                .body(Problems.problem("invalid-batch", "The batch is malformed", 400, detail, Map.of()));
    }

    private static Terminals.Terminal terminal(HttpServletRequest request) {
        return (Terminals.Terminal) request.getAttribute(TerminalAuthentication.TERMINAL);
    }
}
