package org.homecoming.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryStateTest {

    private static final Schema V1 = SchemaRegistryState.parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"}]}""");
    private static final Schema V2_WITH_DEFAULT = SchemaRegistryState.parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"int","default":0}]}""");
    private static final Schema V2_WITHOUT_DEFAULT = SchemaRegistryState.parse("""
            {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string"},
             {"name":"b","type":"int"}]}""");

    private final SchemaRegistryState state = new SchemaRegistryState(CompatibilityLevel.BACKWARD);

    @Test
    void the_same_schema_gets_the_same_id_and_version_however_often_it_is_registered() {
        RegisteredSchema first = state.register("s-value", V1, r -> { });
        Schema reformatted = SchemaRegistryState.parse(V1.toString().replace(",", " ,\n "));
        RegisteredSchema again = state.register("s-value", reformatted, r -> { });

        assertThat(again).isEqualTo(first);
        assertThat(first.version()).isEqualTo(1);
    }

    @Test
    void the_same_schema_under_another_subject_keeps_its_global_id() {
        int id = state.register("a-value", V1, r -> { }).id();

        RegisteredSchema other = state.register("b-value", V1, r -> { });

        assertThat(other.id()).isEqualTo(id);
        assertThat(other.version()).isEqualTo(1);
    }

    @Test
    void a_backward_compatible_change_becomes_version_two_with_a_new_id() {
        RegisteredSchema v1 = state.register("s-value", V1, r -> { });

        RegisteredSchema v2 = state.register("s-value", V2_WITH_DEFAULT, r -> { });

        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.id()).isNotEqualTo(v1.id());
        assertThat(state.version("s-value", "latest")).isEqualTo(v2);
    }

    @Test
    void a_new_field_without_default_is_refused_under_backward_with_error_409() {
        state.register("s-value", V1, r -> { });

        assertThatThrownBy(() -> state.register("s-value", V2_WITHOUT_DEFAULT, r -> { }))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
                });
        assertThat(state.versions("s-value")).hasSize(1);
    }

    @Test
    void with_compatibility_none_any_change_is_accepted() {
        state.register("s-value", V1, r -> { });
        state.setLevel("s-value", CompatibilityLevel.NONE, () -> { });

        assertThat(state.register("s-value", V2_WITHOUT_DEFAULT, r -> { }).version()).isEqualTo(2);
    }

    @Test
    void a_failed_persist_leaves_the_state_unchanged() {
        assertThatThrownBy(() -> state.register("s-value", V1, r -> {
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "disk full");
        })).isInstanceOf(SchemaRegistryException.class);

        assertThat(state.subjects()).isEmpty();
        assertThatThrownBy(() -> state.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void unknown_subjects_versions_and_ids_have_confluents_error_codes() {
        state.register("s-value", V1, r -> { });

        assertThatThrownBy(() -> state.versions("nope"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> state.version("s-value", "7"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> state.schemaById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> state.version("s-value", "x"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(42202));
    }

    @Test
    void text_that_is_not_an_avro_schema_is_invalid_with_error_42201() {
        assertThatThrownBy(() -> SchemaRegistryState.parse("{\"type\":\"recrod\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(42201));
    }

    @Test
    void restoring_persisted_versions_rebuilds_ids_and_continues_numbering_after_them() {
        List<RegisteredSchema> persisted = new ArrayList<>();
        state.register("s-value", V1, persisted::add);
        state.register("s-value", V2_WITH_DEFAULT, persisted::add);

        SchemaRegistryState restored = new SchemaRegistryState(CompatibilityLevel.BACKWARD);
        persisted.forEach(restored::restore);
        RegisteredSchema other = restored.register("other-value", V2_WITHOUT_DEFAULT, r -> { });

        assertThat(restored.version("s-value", "2")).isEqualTo(persisted.get(1));
        assertThat(other.id()).isGreaterThan(persisted.get(1).id());
    }

    @Test
    void transitive_levels_check_every_earlier_version() {
        Schema v2DefaultsA = SchemaRegistryState.parse("""
                {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"a","type":"string","default":""},
                 {"name":"b","type":"int","default":0}]}""");
        Schema v3DropsA = SchemaRegistryState.parse("""
                {"type":"record","name":"Thing","namespace":"t","fields":[{"name":"b","type":"int"}]}""");

        String againstLatestOnly = CompatibilityLevel.FORWARD.incompatibility(v3DropsA, List.of(v2DefaultsA, V1));
        String againstAll = CompatibilityLevel.FORWARD_TRANSITIVE.incompatibility(v3DropsA, List.of(v2DefaultsA, V1));

        assertThat(againstLatestOnly).isNull();
        assertThat(againstAll).startsWith("FORWARD: READER_FIELD_MISSING_DEFAULT_VALUE");
    }
}
