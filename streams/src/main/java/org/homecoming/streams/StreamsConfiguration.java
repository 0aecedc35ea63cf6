package org.homecoming.streams;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsConfig;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.avro.SpecificAvroSerde;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.streams.lifecycle.ManagedStreams;
import org.homecoming.streams.lifecycle.RunningStreams;
import org.homecoming.streams.lifecycle.StreamsFailureHandler;
import org.homecoming.streams.lifecycle.StreamsHealthIndicator;
import org.homecoming.streams.rocksdb.BoundedRocksDbMemory;
import org.homecoming.streams.topology.TopologySerdes;
import org.homecoming.streams.topology.TotalsTopology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Runs the counting application (the totals topology, exactly-once v2) with the production serdes, through its own
 * {@link StreamsBuilderFactoryBean}. Schemas are registered ahead of time (embedded stack or the init service); the
 * service never registers one itself.
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
    StreamsFailureHandler countingFailures(StreamsProperties properties) {
        return new StreamsFailureHandler("Counting application " + properties.applicationId(),
                properties.maxRecordFailures(), Clock.systemUTC());
    }

    @Bean
    RunningStreams countingApplication() {
        return new RunningStreams();
    }

    @Bean
    StreamsBuilderFactoryBean countingStreams(StreamsProperties properties, TopologySerdes serdes, Regions regions,
                                              MeterRegistry meters, StreamsFailureHandler countingFailures,
                                              RunningStreams countingApplication) {
        return ManagedStreams.factoryBean("Counting application " + properties.applicationId(),
                ManagedStreams.config(countingConfig(properties), countingFailures),
                builder -> TotalsTopology.addTo(builder, serdes, regions, Clock.systemUTC(), properties.flushInterval(),
                        meters),
                countingFailures, countingApplication, meters);
    }

    /** Readiness of the counting application: {@code counting} in the readiness group. */
    @Bean
    StreamsHealthIndicator countingHealthIndicator(RunningStreams countingApplication,
                                                   StreamsFailureHandler countingFailures) {
        return new StreamsHealthIndicator(countingApplication, countingFailures, null, Map.of());
    }

    /** The counting application's own Kafka Streams settings. */
    static Map<String, Object> countingConfig(StreamsProperties properties) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir().toString());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, properties.replicationFactor());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.threads());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        return properties.kafkaSecurity().applyTo(config);
    }
}
