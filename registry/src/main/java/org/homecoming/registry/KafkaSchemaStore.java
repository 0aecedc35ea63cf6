package org.homecoming.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.CompatibilityLevel;
import org.homecoming.schemas.registry.RegisteredSchema;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.schemas.registry.SchemaRegistryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Keeps the registry's state in a compacted Kafka topic, in the record layout of Confluent's
 * {@code _schemas} topic: keys {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}} and
 * {@code {"keytype":"CONFIG","subject":..,"magic":0}}. On start the whole topic is read back; afterwards
 * each change is written (acks=all) before it is applied, so what a client was told survives a restart.
 * One registry instance writes to a topic at a time.
 */
@Component
public class KafkaSchemaStore implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryProperties properties;
    private final SchemaRegistryState state;
    private final KafkaProducer<String, String> producer;
    private final KafkaClientMetrics producerMetrics;

    public KafkaSchemaStore(RegistryProperties properties, MeterRegistry meterRegistry) {
        this.properties = properties;
        this.state = new SchemaRegistryState(properties.defaultCompatibility());
        createTopicIfMissing();
        this.producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
        int records = readAll();
        // Only the producer lives as long as the service; the start-up consumer is closed before anyone could
        // scrape it (and closing a binder removes its meters).
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meterRegistry);
        LOG.info("Schema registry state restored from {}: {} records, {} subjects",
                properties.topic(), records, state.subjects().size());
    }

    /** The state this store keeps; change it only through this store. */
    public SchemaRegistryState state() {
        return state;
    }

    /** Registers a schema, writing a new version to Kafka before anyone can see it. */
    public RegisteredSchema register(String subject, org.apache.avro.Schema schema) {
        return state.register(subject, schema, created -> write(schemaKey(created), schemaValue(created)));
    }

    /** Sets the global ({@code subject == null}) or a subject's compatibility level. */
    public void setLevel(String subject, CompatibilityLevel level) {
        state.setLevel(subject, level, () -> write(configKey(subject), configValue(level)));
    }

    /** Removes a subject's compatibility level, so the global one applies again. */
    public void clearLevel(String subject) {
        state.setLevel(subject, null, () -> write(configKey(subject), null));
    }

    private void createTopicIfMissing() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        properties.kafkaSecurity().applyTo(config);
        try (Admin admin = Admin.create(config)) {
            NewTopic topic = new NewTopic(properties.topic(), 1, properties.replicationFactor())
                    .configs(Topics.SCHEMAS.configs());
            admin.createTopics(List.of(topic)).all().get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created schemas topic {}", properties.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create schemas topic " + properties.topic(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + properties.topic(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + properties.bootstrapServers() + " did not answer in "
                    + properties.timeout(), e);
        }
    }

    private int readAll() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.kafkaSecurity().applyTo(config);
        TopicPartition partition = new TopicPartition(properties.topic(), 0);
        int records = 0;
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), properties.timeout()).get(partition);
            long deadline = System.nanoTime() + properties.timeout().toNanos();
            while (consumer.position(partition, properties.timeout()) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + properties.topic() + " to its end in "
                            + properties.timeout());
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record.key(), record.value());
                    records++;
                }
            }
        }
        return records;
    }

    private void apply(String key, String value) {
        try {
            JsonNode k = JSON.readTree(key);
            String keytype = k.path("keytype").asText();
            String subject = k.path("subject").isNull() || k.path("subject").isMissingNode()
                    ? null : k.path("subject").asText();
            if ("SCHEMA".equals(keytype) && value != null) {
                JsonNode v = JSON.readTree(value);
                if (!v.path("deleted").asBoolean(false)) {
                    state.restore(new RegisteredSchema(v.path("subject").asText(), v.path("version").asInt(),
                            v.path("id").asInt(), new org.apache.avro.Schema.Parser().parse(v.path("schema").asText())));
                }
            } else if ("CONFIG".equals(keytype)) {
                CompatibilityLevel level = value == null
                        ? null : CompatibilityLevel.parse(JSON.readTree(value).path("compatibilityLevel").asText());
                state.restoreLevel(subject, level);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            // A record this registry cannot interpret (another keytype, a newer layout) is skipped, not fatal.
            LOG.warn("Skipping unreadable record in {}: {}", properties.topic(), e.getMessage());
        }
    }

    private void write(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(properties.topic(), 0, key, value))
                    .get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw storeError(e);
        }
    }

    private SchemaRegistryException storeError(Exception e) {
        return new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                "Error in the backend datastore: cannot write to " + properties.topic(), e);
    }

    private static String schemaKey(RegisteredSchema schema) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", schema.subject())
                .put("version", schema.version()).put("magic", 1);
        return key.toString();
    }

    private static String schemaValue(RegisteredSchema schema) {
        return JSON.createObjectNode().put("subject", schema.subject()).put("version", schema.version())
                .put("id", schema.id()).put("schema", schema.schema().toString()).put("deleted", false).toString();
    }

    private static String configKey(String subject) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        return key.put("magic", 0).toString();
    }

    private static String configValue(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name()).toString();
    }

    private Map<String, Object> producerConfig() {
        return properties.kafkaSecurity().applyTo(new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.timeout().toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(properties.timeout().toMillis(), 30_000))));
    }

    @Override
    public void destroy() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
