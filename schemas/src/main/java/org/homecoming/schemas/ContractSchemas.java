package org.homecoming.schemas;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.homecoming.events.RegistrationEvent;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.schemas.registry.SchemaRegistryClient;

/**
 * Which schema each subject of the contract holds. Services never register schemas (production does not
 * auto-register); the embedded stack and the init service register these ahead of them.
 */
public final class ContractSchemas {

    private ContractSchemas() {
    }

    /** Every subject of the contract and its current schema, in registration order. */
    public static Map<String, Schema> subjects() {
        Map<String, Schema> subjects = new LinkedHashMap<>();
        subjects.put(Topics.valueSubject(Topics.REGISTRATIONS.name()), RegistrationEvent.getClassSchema());
        subjects.put(Topics.valueSubject(Topics.ACCEPTED.name()), RegistrationEvent.getClassSchema());
        subjects.put(Topics.keySubject(Topics.TOTALS.name()), TotalsKey.getClassSchema());
        subjects.put(Topics.valueSubject(Topics.TOTALS.name()), Totals.getClassSchema());
        return subjects;
    }

    /**
     * Registers every subject's schema; a schema the registry finds incompatible fails with error 409.
     *
     * @return the id of each subject's schema
     */
    public static Map<String, Integer> registerAll(SchemaRegistryClient registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        subjects().forEach((subject, schema) -> ids.put(subject, registry.register(subject, schema)));
        return ids;
    }
}
