package org.homecoming.streams.view;

import java.time.Clock;

import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.streams.StreamsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the totals view: its own Kafka Streams application beside the counting one, interactive queries
 * with forwarding, and the push stream. The view's {@code Topology} is deliberately not a bean, so the
 * counting application's remains the only one.
 */
@Configuration(proxyBeanMethods = false)
public class TotalsViewConfiguration {

    /** The view application; as a health indicator it is {@code totalsView} in the readiness group. */
    @Bean
    TotalsViewService totalsView(StreamsProperties streams, TotalsViewProperties view) {
        return new TotalsViewService(TotalsViewTopology.build(), streams, view);
    }

    @Bean
    StreamsTotalsLookup streamsTotalsLookup(TotalsViewService view, SchemaRegistryClient registry,
                                            TotalsViewProperties properties) {
        // the key serializer the counting application writes the totals topic with, so the bytes match
        TotalsViewCodec codec = new TotalsViewCodec(SpecificAvroSerde.of(TotalsKey.class, registry, false, true).serializer(),
                SpecificAvroSerde.of(Totals.class, registry, false, false).deserializer());
        return new StreamsTotalsLookup(view, codec, new TotalsForwarder(properties.forwardTimeout()));
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
