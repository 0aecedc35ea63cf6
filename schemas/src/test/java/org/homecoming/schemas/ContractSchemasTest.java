package org.homecoming.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

class ContractSchemasTest {

    @Test
    void every_record_enum_and_field_of_the_contract_is_documented() {
        List<String> undocumented = new ArrayList<>();
        for (Schema schema : List.of(RegistrationEvent.getClassSchema(), TotalsKey.getClassSchema(),
                Totals.getClassSchema())) {
            collectUndocumented(schema, undocumented, new IdentityHashMap<>());
        }

        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(Schema schema, List<String> undocumented, Map<Schema, Boolean> seen) {
        if (seen.put(schema, true) != null) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getFullName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), undocumented, seen);
                }
            }
            case ENUM -> {
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(type -> collectUndocumented(type, undocumented, seen));
            default -> {
            }
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    @Test
    void money_is_in_fen_as_long_and_dates_use_avro_logical_types() {
        Schema event = RegistrationEvent.getClassSchema();
        Schema business = event.getField("payload").schema().getTypes().stream()
                .filter(t -> t.getName().equals("BusinessStarted")).findFirst().orElseThrow();

        assertThat(business.getField("guaranteedLoanFen").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(business.getField("registeredCapitalFen").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(Totals.getClassSchema().getField("guaranteedLoansFen").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(event.getField("occurredOn").schema().getLogicalType()).isEqualTo(LogicalTypes.date());
        assertThat(event.getField("recordedAt").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(event.getField("payload").schema().getTypes()).extracting(Schema::getName).containsExactly(
                "ReturneeRegistered", "EmploymentNearHomeRecorded", "BusinessStarted", "TrainingCompleted",
                "RegistrationRetracted");
    }

    @Test
    void every_subject_of_the_contract_registers_in_a_fresh_registry() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

        Map<String, Integer> ids = ContractSchemas.registerAll(registry);

        assertThat(ids).containsOnlyKeys("homecoming.registrations-value", "homecoming.registrations.accepted-value",
                "homecoming.totals-key", "homecoming.totals-value");
        assertThat(ids.get("homecoming.registrations-value")).isEqualTo(ids.get("homecoming.registrations.accepted-value"));
    }

    @Test
    void the_topic_catalogue_names_each_topic_once_with_the_registrations_topic_in_six_partitions() {
        assertThat(Topics.ALL).extracting(Topics.TopicSpec::name).doesNotHaveDuplicates();
        assertThat(Topics.REGISTRATIONS.partitions()).isEqualTo(6);
        assertThat(Topics.TOTALS.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.SCHEMAS.configs()).containsEntry("cleanup.policy", "compact");
    }
}
