package org.homecoming.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.homecoming.registry.RegistryApplication;
import org.homecoming.schemas.ContractSchemas;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.sink.SinkApplication;
import org.homecoming.sink.SinkMigrations;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the sink tests run against, without the services unless asked for the sink: a KRaft broker with every topic
 * of the catalogue, the registry holding the contract's schemas, and a migrated PostgreSQL that a test may stop and
 * start again on the same data and port.
 */
final class SinkTestStack {

    private final Path dir;
    private final StackPorts ports = StackPorts.free();
    private KafkaBroker kafka;
    private Postgres postgres;
    private ConfigurableApplicationContext registry;
    private ConfigurableApplicationContext sink;

    private SinkTestStack(Path dir) {
        this.dir = dir;
    }

    /** Starts everything under {@code dir}, on free ports; closes what started if a later part fails. */
    static SinkTestStack start(Path dir) throws Exception {
        SinkTestStack stack = new SinkTestStack(dir);
        try {
            stack.kafka = KafkaBroker.start(dir.resolve("kafka"), stack.ports.kafka(), stack.ports.controller());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(Topics.ALL.stream()
                        .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs())).toList())
                        .all().get(60, TimeUnit.SECONDS);
            }
            stack.startPostgres();
            stack.registry = RegistryApplication.application().run("--server.port=" + stack.ports.registry(),
                    "--homecoming.registry.bootstrap-servers=" + stack.bootstrapServers(),
                    "--spring.autoconfigure.exclude=" + LocalStack.NOT_SINK_EXCLUDES);
            ContractSchemas.registerAll(new RestSchemaRegistryClient(stack.registryUrl()));
            SinkMigrations.migrate(stack.dataSource(Postgres.OWNER));
            return stack;
        } catch (Exception e) {
            stack.stop();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    String registryUrl() {
        return "http://localhost:" + ports.registry();
    }

    /** A data source logging in as {@code user}, whose password the test roles share with their name. */
    DataSource dataSource(String user) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(user);
        dataSource.setPassword(user);
        return dataSource;
    }

    /** Runs the sink service (its Spring application, in this JVM) against the stack until {@link #stop}. */
    void startSinkService() {
        startSinkService(application -> { });
    }

    /** Runs the sink service, changed by {@code customizer} first (an initializer adding a bean, say). */
    ConfigurableApplicationContext startSinkService(Consumer<SpringApplication> customizer) {
        SpringApplication application = SinkApplication.application();
        customizer.accept(application);
        sink = application.run(LocalStack.sinkArguments(ports.sink(), bootstrapServers(), registryUrl(), postgres));
        return sink;
    }

    /** The sink service's base URL. */
    String sinkUrl() {
        return "http://localhost:" + ports.sink();
    }

    void stopPostgres() throws Exception {
        postgres.close();
    }

    /** Starts PostgreSQL on the same data folder and port as before. */
    void startPostgres() throws Exception {
        postgres = Postgres.start(dir.resolve("postgres"), ports.postgres());
    }

    /** Stops whatever started. */
    void stop() throws Exception {
        if (sink != null) {
            sink.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
