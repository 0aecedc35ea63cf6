package org.homecoming.schemas.avro;

import java.util.Map;

/**
 * Configuration keys of the Avro serdes, named as Confluent's so existing client configs carry over.
 */
public final class AvroSerdeConfig {

    /** Comma-separated base URLs of the schema registry. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register a schema the registry does not know yet. Off by default: production never auto-registers. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Fully-qualified class of the specific record a deserializer of keys produces. */
    public static final String KEY_TYPE = "homecoming.avro.key.type";
    /** Fully-qualified class of the specific record a deserializer of values produces. */
    public static final String VALUE_TYPE = "homecoming.avro.value.type";

    private AvroSerdeConfig() {
    }

    static boolean autoRegister(Map<String, ?> configs) {
        Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        return value != null && Boolean.parseBoolean(value.toString());
    }

    static String registryUrl(Map<String, ?> configs) {
        Object value = configs.get(SCHEMA_REGISTRY_URL);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " is required");
        }
        return value.toString();
    }
}
