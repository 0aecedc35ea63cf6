package org.homecoming.streams.view;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the totals view ({@code homecoming.view.*}): the second Kafka Streams application of the
 * streams service, its interactive queries and the push stream. Kafka and the registry are those of
 * {@code homecoming.streams.*}.
 *
 * @param applicationId  Kafka Streams application id of the view
 * @param stateDir       where the view's store lives (apart from the counting application's)
 * @param advertisedHost host other instances reach this one on ({@code application.server})
 * @param advertisedPort HTTP port other instances reach this one on; the server port
 * @param forwardTimeout longest wait for another instance answering a forwarded query
 * @param pushInterval   shortest time between two pushes on the stream (coalesces changes)
 * @param heartbeat      time after which an idle stream gets a heartbeat comment
 * @param maxStreams     most open push streams on this instance; more are refused with 503
 * @param streamTimeout  how long one push stream stays open before the browser reconnects
 * @param kafkaSecurity  how the view, the dashboard's rejections reader and its freshness admin authenticate to
 *                       Kafka: a principal of their own, not the counting application's (PLAINTEXT when absent)
 */
@Validated
@ConfigurationProperties("homecoming.view")
public record TotalsViewProperties(
        @NotBlank @DefaultValue(TotalsViewTopology.APPLICATION_ID) String applicationId,
        @NotNull Path stateDir,
        @NotBlank @DefaultValue("localhost") String advertisedHost,
        @Min(1) int advertisedPort,
        @NotNull @DefaultValue("2s") Duration forwardTimeout,
        @NotNull @DefaultValue("250ms") Duration pushInterval,
        @NotNull @DefaultValue("15s") Duration heartbeat,
        @Min(1) @DefaultValue("1000") int maxStreams,
        @NotNull @DefaultValue("30m") Duration streamTimeout,
        KafkaClientSecurity kafkaSecurity) {

    public TotalsViewProperties {
        kafkaSecurity = KafkaClientSecurity.orNone(kafkaSecurity);
    }

    /** The {@code application.server} value: {@code host:port}. */
    public String applicationServer() {
        return advertisedHost + ":" + advertisedPort;
    }
}
