package org.homecoming.streams;

import java.time.Clock;

import org.apache.kafka.streams.Topology;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.streams.topology.TopologySerdes;
import org.homecoming.streams.topology.TotalsTopology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the topology with the production serdes. Schemas are registered ahead of time (embedded stack or
 * the init service); the service never registers one itself.
 */
@Configuration(proxyBeanMethods = false)
public class StreamsConfiguration {

    @Bean
    SchemaRegistryClient schemaRegistryClient(StreamsProperties properties) {
        return new RestSchemaRegistryClient(properties.schemaRegistryUrl());
    }

    @Bean
    Regions regions() {
        return Regions.shanxi();
    }

    @Bean
    TopologySerdes topologySerdes(SchemaRegistryClient registry) {
        return new TopologySerdes(
                SpecificAvroSerde.of(RegistrationEvent.class, registry, false, false),
                SpecificAvroSerde.of(TotalsKey.class, registry, false, true),
                SpecificAvroSerde.of(Totals.class, registry, false, false));
    }

    @Bean
    Topology totalsTopology(TopologySerdes serdes, Regions regions, StreamsProperties properties) {
        return TotalsTopology.build(serdes, regions, Clock.systemUTC(), properties.flushInterval());
    }
}
