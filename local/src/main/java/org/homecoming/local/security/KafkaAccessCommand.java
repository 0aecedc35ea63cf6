package org.homecoming.local.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code homecoming kafka-access}: the one-shot step of a secured deployment (docker-compose.yml's kafka-access and
 * init services) that creates the service principals and their ACLs ({@link KafkaAccess}), as the broker's super
 * user. Each service's password is {@code HOMECOMING_SECRET_<ACCOUNT>} from the environment, else the file of
 * {@code --secrets-dir} (generated there on first use). Running it again sets the same passwords and ACLs, so a
 * changed variable rotates a password.
 */
@Command(name = "kafka-access", mixinStandardHelpOptions = true,
        description = "Create (or update) the SCRAM-SHA-512 users gateway, streams, view, sink, registry and bi and "
                + "their ACLs on a secured broker, as its super user.")
public final class KafkaAccessCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka (default ${DEFAULT-VALUE}, or $KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--admin-user", defaultValue = "${env:KAFKA_SASL_USERNAME:-" + KafkaAccess.ADMIN + "}",
            description = "The broker's super user (default ${DEFAULT-VALUE}, or $KAFKA_SASL_USERNAME).")
    String adminUser;

    @Option(names = "--admin-password", defaultValue = "${env:KAFKA_SASL_PASSWORD:-}",
            description = "Its password (default $KAFKA_SASL_PASSWORD, else the kafka-admin file of --secrets-dir).")
    String adminPassword;

    @Option(names = "--secrets-dir", defaultValue = ".homecoming/secrets",
            description = "Passwords not given as HOMECOMING_SECRET_<ACCOUNT> are read here, or generated here with mode "
                    + "0600 (default ${DEFAULT-VALUE}).")
    Path secretsDir;

    @Option(names = "--client-config",
            description = "Also write the super user's client settings to this file (mode 0600), for the Kafka tools' "
                    + "--command-config.")
    Path clientConfig;

    @Override
    public Integer call() throws IOException {
        Secrets secrets = Secrets.in(secretsDir);
        String password = adminPassword.isEmpty() ? secrets.password(KafkaAccess.ADMIN) : adminPassword;
        KafkaClientSecurity admin = KafkaClientSecurity.scram(adminUser, password);
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin client = Admin.create(admin.applyTo(config))) {
            KafkaAccess.provision(client, KafkaAccess.servicePasswords(secrets));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        System.out.printf("Kafka at %s: SCRAM-SHA-512 users %s and %d ACLs%n", bootstrapServers,
                String.join(", ", KafkaAccess.SERVICES), KafkaAccess.acls().size());
        if (clientConfig != null) {
            writeClientConfig(admin);
            System.out.printf("Super user's client settings: %s%n", clientConfig);
        }
        return 0;
    }

    private void writeClientConfig(KafkaClientSecurity admin) throws IOException {
        StringBuilder properties = new StringBuilder();
        admin.clientProperties().forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
        Files.deleteIfExists(clientConfig);
        Files.writeString(Files.createFile(clientConfig, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), properties, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }
}
