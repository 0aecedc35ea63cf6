package org.homecoming.streams.view;

import java.io.IOException;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The push stream: Server-Sent Events with the province and city totals of a period when they change. */
@RestController
public class StreamController {

    private final TotalsPushService push;
    private final TotalsViewProperties properties;

    public StreamController(TotalsPushService push, TotalsViewProperties properties) {
        this.push = push;
        this.properties = properties;
    }

    /** Opens a stream; events are named {@code totals} and carry a {@link PushSnapshot}. */
    @GetMapping("/api/v1/stream")
    public SseEmitter stream(@RequestParam(name = "period", required = false) String period) {
        Period parsed = Period.parse(period);
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Runnable unsubscribe = push.subscribe(parsed, new EmitterSubscriber(emitter));
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError(e -> unsubscribe.run());
        return emitter;
    }

    private record EmitterSubscriber(SseEmitter emitter) implements PushSubscriber {
        @Override
        public void send(String event, Object data) throws IOException {
            emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
        }

        @Override
        public void heartbeat() throws IOException {
            emitter.send(SseEmitter.event().comment("heartbeat"));
        }

        @Override
        public void close() {
            emitter.complete();
        }
    }
}
