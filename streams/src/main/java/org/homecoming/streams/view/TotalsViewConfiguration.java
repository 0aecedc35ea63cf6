package org.homecoming.streams.view;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.streams.state.HostInfo;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.streams.StreamsProperties;
import org.homecoming.streams.lifecycle.ManagedStreams;
import org.homecoming.streams.lifecycle.RestoringPartitions;
import org.homecoming.streams.lifecycle.RunningStreams;
import org.homecoming.streams.lifecycle.StreamsFailureHandler;
import org.homecoming.streams.lifecycle.StreamsHealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Wires the totals view: its own Kafka Streams application beside the counting one (its own
 * {@link StreamsBuilderFactoryBean}), interactive queries with forwarding, and the push stream.
 */
@Configuration(proxyBeanMethods = false)
public class TotalsViewConfiguration {

    /** Stops after the web server stops taking requests, starts before it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    @Bean
    StreamsFailureHandler viewFailures(StreamsProperties streams, TotalsViewProperties view) {
        return new StreamsFailureHandler("Totals view " + view.applicationId(), streams.maxRecordFailures(),
                Clock.systemUTC());
    }

    @Bean
    RunningStreams viewApplication() {
        return new RunningStreams();
    }

    @Bean
    RestoringPartitions viewRestores() {
        return new RestoringPartitions();
    }

    @Bean
    TotalsFreshness totalsFreshness() {
        return new TotalsFreshness();
    }

    /** {@code homecoming.totals.freshness}, in seconds: {@code homecoming_totals_freshness_seconds}. */
    @Bean
    MeterBinder totalsFreshnessGauge(TotalsFreshness freshness) {
        return registry -> Gauge.builder(TotalsFreshness.GAUGE, freshness, f -> f.ageSeconds(Clock.systemUTC()))
                .description("Age of the newest registration reflected in the totals the view has read")
                .baseUnit("seconds")
                .register(registry);
    }

    @Bean
    StreamsBuilderFactoryBean viewStreams(StreamsProperties streams, TotalsViewProperties view, TotalsFreshness freshness,
                                          MeterRegistry meters, StreamsFailureHandler viewFailures,
                                          RunningStreams viewApplication, RestoringPartitions viewRestores) {
        Map<String, Object> settings = new HashMap<>();
        TotalsViewTopology.config(view.applicationId(), streams.bootstrapServers(), view.stateDir().toString(),
                view.applicationServer(), streams.replicationFactor()).forEach((key, value) -> settings.put((String) key, value));
        view.kafkaSecurity().applyTo(settings);
        StreamsBuilderFactoryBean factory = ManagedStreams.factoryBean("Totals view " + view.applicationId(),
                ManagedStreams.config(settings, viewFailures), builder -> TotalsViewTopology.addTo(builder, freshness),
                viewFailures, viewApplication, meters);
        factory.setStateRestoreListener(viewRestores);
        factory.setPhase(PHASE);
        return factory;
    }

    /** Readiness of the view: {@code totalsView} in the readiness group. */
    @Bean
    StreamsHealthIndicator totalsViewHealthIndicator(RunningStreams viewApplication, StreamsFailureHandler viewFailures,
                                                     RestoringPartitions viewRestores, TotalsViewProperties view) {
        return new StreamsHealthIndicator(viewApplication, viewFailures, viewRestores,
                Map.of("applicationServer", view.applicationServer()));
    }

    @Bean
    StreamsTotalsLookup streamsTotalsLookup(RunningStreams viewApplication, SchemaRegistryClient registry,
                                            TotalsViewProperties properties) {
        // the key serializer the counting application writes the totals topic with, so the bytes match
        TotalsViewCodec codec = new TotalsViewCodec(SpecificAvroSerde.of(TotalsKey.class, registry, false, true).serializer(),
                SpecificAvroSerde.of(Totals.class, registry, false, false).deserializer());
        return new StreamsTotalsLookup(viewApplication, new HostInfo(properties.advertisedHost(), properties.advertisedPort()),
                codec, new TotalsForwarder(properties.forwardTimeout()));
    }

    @Bean
    TotalsQueryService totalsQueryService(Regions regions, StreamsTotalsLookup lookup) {
        return new TotalsQueryService(regions, lookup);
    }

    @Bean
    TotalsPushService totalsPushService(TotalsQueryService queries, TotalsViewProperties properties) {
        return new TotalsPushService(queries, properties, Clock.systemUTC());
    }
}
