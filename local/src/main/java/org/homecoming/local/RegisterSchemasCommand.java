package org.homecoming.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Registers the contract's schemas with a schema registry (Homecoming's or Confluent's), as the one-shot
 * init step of a deployment: services never register schemas themselves.
 */
@Command(name = "register-schemas", mixinStandardHelpOptions = true,
        description = "Register the contract's Avro schemas (ContractSchemas) with a schema registry.")
final class RegisterSchemasCommand implements Callable<Integer> {

    @Option(names = "--schema-registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description = "Registry base URL (default ${DEFAULT-VALUE}, or $SCHEMA_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--wait", defaultValue = "PT2M",
            description = "How long to wait for the registry to answer (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    public Integer call() throws InterruptedException {
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                registry.subjects();
                break;
            } catch (SchemaRegistryException e) {
                if (e.httpStatus() != 503 || System.nanoTime() > deadline) {
                    System.err.println("Schema registry at " + registryUrl + " not usable: " + e.getMessage());
                    return 2;
                }
                TimeUnit.SECONDS.sleep(1);
            }
        }
        try {
            Map<String, Integer> ids = ContractSchemas.registerAll(registry);
            ids.forEach((subject, id) -> System.out.printf("%-45s id %d%n", subject, id));
            return 0;
        } catch (SchemaRegistryException e) {
            System.err.println("Registration refused (error " + e.errorCode() + "): " + e.getMessage());
            return 1;
        }
    }
}
