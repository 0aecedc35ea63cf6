package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.homecoming.schemas.Topics;
import org.homecoming.sink.DatabaseRoles;
import org.junit.jupiter.api.Test;

/**
 * The top-level {@code docker-compose.yml} agrees with the code, checked without Docker; and the checker
 * itself finds each kind of disagreement in a broken file.
 */
class ComposeFileTest {

    /** {@code ${NAME:?message}}: Compose refuses to start without it, and the file holds no value. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Z0-9_]+:\\?[^}]*}");

    static Path composeFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docker-compose.yml above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("docker-compose.yml");
    }

    private static ComposeConsistency real() {
        return ComposeConsistency.of(composeFile());
    }

    private static ComposeConsistency realWith(Consumer<Map<String, Object>> change) throws IOException {
        Map<String, Object> compose = ComposeConsistency.parse(Files.readString(composeFile()));
        change.accept(compose);
        return new ComposeConsistency(compose, ComposeConsistency::applicationYmlOnClasspath);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environmentOf(Map<String, Object> compose, String name) {
        return (Map<String, Object>) service(compose, name).get("environment");
    }

    @Test
    void the_compose_file_agrees_with_the_code() {
        assertThat(real().problems()).isEmpty();
    }

    @Test
    void the_compose_file_runs_producer_streams_and_sink_and_creates_every_catalogue_topic() {
        ComposeConsistency compose = real();
        assertThat(compose.homecomingServices())
                .containsEntry("producer", "producer").containsEntry("streams", "streams").containsEntry("sink", "sink");
        assertThat(compose.createdTopics()).extracting(ComposeConsistency.CreatedTopic::name)
                .containsExactlyElementsOf(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        assertThat(compose.createdTopics()).filteredOn(topic -> topic.name().equals(Topics.TOTALS.name()))
                .singleElement().satisfies(totals -> assertThat(totals.configs()).containsEntry("cleanup.policy", "compact"));
        assertThat(compose.environment("sink")).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "DATABASE_URL",
                "DATABASE_USER", "DATABASE_PASSWORD");
    }

    @Test
    void every_kafka_client_service_authenticates_as_its_own_principal_with_a_password_from_the_environment() {
        assertThat(ComposeKafkaSecurity.problems(real())).isEmpty();
    }

    @Test
    void a_plaintext_listener_a_shared_principal_and_a_password_written_in_the_file_are_each_reported() throws IOException {
        ComposeConsistency broken = realWith(compose -> {
            environmentOf(compose, "kafka").put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                    "INTERNAL:SASL_PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            environmentOf(compose, "kafka").put("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "true");
            environmentOf(compose, "sink").put("KAFKA_SASL_USERNAME", "streams");
            environmentOf(compose, "producer").put("KAFKA_SASL_PASSWORD", "gateway-secret");
            environmentOf(compose, "schema-registry").put("SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"registry\" password=\"x\";");
        });

        assertThat(ComposeKafkaSecurity.problems(broken)).containsExactlyInAnyOrder(
                "kafka listener EXTERNAL:PLAINTEXT does not authenticate its clients",
                "service kafka has KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND=true, not false",
                "service sink has KAFKA_SASL_USERNAME=streams, not sink",
                "service producer does not take KAFKA_SASL_PASSWORD from ${HOMECOMING_SECRET_GATEWAY:?...}: gateway-secret",
                "service schema-registry has a password written in the file: SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG");
    }

    @Test
    void no_service_logs_in_to_postgresql_as_a_superuser_and_every_one_that_talks_to_it_has_credentials() throws IOException {
        assertThat(postgresProblems(real())).isEmpty();
        assertThat(real().environment("sink")).containsEntry("DATABASE_USER", DatabaseRoles.SINK)
                .containsEntry("DATABASE_OWNER_USER", DatabaseRoles.OWNER);
    }

    @Test
    void a_superuser_a_password_in_the_file_a_missing_password_or_a_trusting_postgres_is_reported() throws IOException {
        ComposeConsistency superuser = realWith(compose -> environmentOf(compose, "sink").put("DATABASE_USER", "postgres"));
        ComposeConsistency literal = realWith(compose -> environmentOf(compose, "sink").put("DATABASE_PASSWORD", "secret"));
        ComposeConsistency defaulted = realWith(compose -> environmentOf(compose, "sink")
                .put("DATABASE_OWNER_PASSWORD", "${HOMECOMING_DB_OWNER_PASSWORD:-owner}"));
        ComposeConsistency superuserPassword = realWith(compose -> environmentOf(compose, "sink")
                .put("DATABASE_PASSWORD", "${POSTGRES_PASSWORD:?set it}"));
        ComposeConsistency missing = realWith(compose -> environmentOf(compose, "sink").remove("DATABASE_OWNER_PASSWORD"));
        ComposeConsistency trusting = realWith(compose -> {
            environmentOf(compose, "postgres").remove("POSTGRES_INITDB_ARGS");
            environmentOf(compose, "postgres").put("POSTGRES_HOST_AUTH_METHOD", "trust");
        });
        assertThat(postgresProblems(superuser)).containsExactly("service sink logs in to PostgreSQL as the superuser postgres");
        assertThat(postgresProblems(literal)).containsExactly(
                "service sink: DATABASE_PASSWORD is not a required variable (${NAME:?...}) but secret");
        assertThat(postgresProblems(defaulted)).containsExactly("service sink: DATABASE_OWNER_PASSWORD is not a required "
                + "variable (${NAME:?...}) but ${HOMECOMING_DB_OWNER_PASSWORD:-owner}");
        assertThat(postgresProblems(superuserPassword)).containsExactly(
                "service sink is given the superuser's password (POSTGRES_PASSWORD)");
        assertThat(postgresProblems(missing))
                .containsExactly("service sink gives DATABASE_OWNER_USER but no DATABASE_OWNER_PASSWORD");
        assertThat(postgresProblems(trusting)).containsExactly(
                "postgres: POSTGRES_INITDB_ARGS does not set --auth=scram-sha-256 (initdb would trust local connections)",
                "postgres: POSTGRES_HOST_AUTH_METHOD is trust");
    }

    /** The init script the postgres image runs on an empty volume, as the compose file mounts it. */
    static Path postgresInitScript() {
        return composeFile().resolveSibling("config/postgres/initdb/10-homecoming-roles.sh");
    }

    /**
     * What is wrong with how the compose file secures PostgreSQL: a service logging in as the superuser or with
     * its password, a user without a password, a password written in the file or with a default, a postgres
     * service that trusts connections, does not mount the init script, or whose script misses a role's settings.
     */
    static List<String> postgresProblems(ComposeConsistency compose) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> postgres = compose.environment("postgres");
        String superuser = postgres.getOrDefault("POSTGRES_USER", "postgres");
        for (String service : compose.services()) {
            Map<String, String> environment = compose.environment(service);
            environment.forEach((name, value) -> {
                if (!service.equals("postgres") && value != null && value.contains("${POSTGRES_PASSWORD")) {
                    problems.add("service " + service + " is given the superuser's password (POSTGRES_PASSWORD)");
                }
            });
            if (service.equals("postgres") || environment.values().stream()
                    .noneMatch(value -> value != null && value.startsWith("jdbc:postgresql:"))) {
                continue;
            }
            for (String user : List.of("DATABASE_USER", "DATABASE_OWNER_USER")) {
                String password = user.replace("_USER", "_PASSWORD");
                if (!environment.containsKey(user)) {
                    problems.add("service " + service + " talks to PostgreSQL without " + user);
                    continue;
                }
                if (superuser.equals(environment.get(user))) {
                    problems.add("service " + service + " logs in to PostgreSQL as the superuser " + superuser);
                }
                if (!environment.containsKey(password)) {
                    problems.add("service " + service + " gives " + user + " but no " + password);
                } else if (!REQUIRED_VARIABLE.matcher(String.valueOf(environment.get(password))).matches()) {
                    problems.add("service " + service + ": " + password + " is not a required variable (${NAME:?...}) but "
                            + environment.get(password));
                }
            }
        }
        for (String password : List.of("POSTGRES_PASSWORD", "HOMECOMING_DB_OWNER_PASSWORD", "HOMECOMING_DB_SINK_PASSWORD",
                "HOMECOMING_DB_BI_PASSWORD")) {
            if (!REQUIRED_VARIABLE.matcher(String.valueOf(postgres.get(password))).matches()) {
                problems.add("postgres: " + password + " is not a required variable (${NAME:?...}) but "
                        + postgres.get(password));
            }
        }
        if (!String.valueOf(postgres.get("POSTGRES_INITDB_ARGS")).contains("--auth=scram-sha-256")) {
            problems.add("postgres: POSTGRES_INITDB_ARGS does not set --auth=scram-sha-256"
                    + " (initdb would trust local connections)");
        }
        if (postgres.containsKey("POSTGRES_HOST_AUTH_METHOD")
                && !"scram-sha-256".equals(postgres.get("POSTGRES_HOST_AUTH_METHOD"))) {
            problems.add("postgres: POSTGRES_HOST_AUTH_METHOD is " + postgres.get("POSTGRES_HOST_AUTH_METHOD"));
        }
        if (!"./config/postgres/initdb".equals(compose.bindMounts("postgres").get("/docker-entrypoint-initdb.d"))) {
            problems.add("postgres: ./config/postgres/initdb is not mounted at /docker-entrypoint-initdb.d");
        }
        String script = Files.readString(postgresInitScript());
        for (DatabaseRoles.Role role : DatabaseRoles.ALL) {
            List<String> expected = new ArrayList<>(List.of("CREATE ROLE " + role.name() + " LOGIN NOSUPERUSER NOCREATEDB"
                    + " NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS", "ALTER ROLE " + role.name()
                    + " SET statement_timeout = '" + role.statementTimeout() + "';"));
            if (role.readOnly()) {
                expected.add("ALTER ROLE " + role.name() + " SET default_transaction_read_only = on;");
            }
            expected.stream().filter(line -> !script.contains(line))
                    .forEach(line -> problems.add("the init script lacks: " + line));
        }
        return problems;
    }

    @Test
    void the_dockerfile_packages_every_service_and_takes_kafka_tools_from_the_broker_image() throws IOException {
        assertThat(real().dockerfileProblems(dockerfile())).isEmpty();
    }

    @Test
    void a_dockerfile_that_misses_a_module_runs_as_root_or_has_another_kafka_is_reported() throws IOException {
        String broken = dockerfile()
                .replace("for module in producer streams sink registry local; do", "for module in producer streams local; do")
                .replace("FROM apache/kafka:", "FROM apache/kafka:3.9.0-was-")
                .replace("USER homecoming:homecoming\nWORKDIR /opt/homecoming\nEXPOSE",
                        "USER root\nWORKDIR /opt/homecoming\nEXPOSE");

        assertThat(real().dockerfileProblems(broken)).hasSize(3)
                .contains("the Dockerfile does not package module sink",
                        "Dockerfile stage service does not run as a non-root user")
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("the Dockerfile takes kafka-topics.sh from apache/kafka:3.9.0"));
        ComposeConsistency noInitStage = realWith(compose -> service(compose, "init").put("build",
                Map.of("context", ".", "target", "setup")));
        assertThat(noInitStage.dockerfileProblems(dockerfile()))
                .containsExactly("service init builds Dockerfile stage setup, which does not exist");
    }

    private static String dockerfile() throws IOException {
        return Files.readString(composeFile().resolveSibling("Dockerfile"));
    }

    @Test
    void streams_replicas_given_one_fixed_address_or_a_yml_without_the_hostname_default_are_reported() throws IOException {
        ComposeConsistency fixed = realWith(compose -> environmentOf(compose, "streams")
                .put("VIEW_ADVERTISED_HOST", "streams"));
        ComposeConsistency withoutHostname = new ComposeConsistency(
                ComposeConsistency.parse(Files.readString(composeFile())), service -> {
                    String yml = ComposeConsistency.applicationYmlOnClasspath(service);
                    return yml.replace("${VIEW_ADVERTISED_HOST:${HOSTNAME:localhost}}",
                            "${VIEW_ADVERTISED_HOST:localhost}");
                });

        assertThat(fixed.replicaProblems())
                .containsExactly("service streams gives all its replicas one VIEW_ADVERTISED_HOST");
        assertThat(withoutHostname.replicaProblems()).containsExactly(
                "service streams has replicas, but streams's application.yml does not derive advertised-host from HOSTNAME");
        assertThat(real().replicaProblems()).isEmpty();
    }

    @Test
    void a_variable_no_application_yml_reads_is_reported() throws IOException {
        ComposeConsistency broken = realWith(compose -> environmentOf(compose, "producer").put("PRODUCER_KAFKA_URL", "kafka:1"));

        assertThat(broken.problems()).singleElement().asString()
                .startsWith("service producer is given PRODUCER_KAFKA_URL, which producer's application.yml does not read");
    }

    @Test
    void a_database_variable_given_to_the_streams_service_is_reported_but_spring_and_jvm_variables_are_not() throws IOException {
        ComposeConsistency broken = realWith(compose -> {
            environmentOf(compose, "streams").put("DATABASE_URL", "jdbc:postgresql://postgres/homecoming");
            environmentOf(compose, "streams").put("JAVA_TOOL_OPTIONS", "-Xmx512m");
            environmentOf(compose, "streams").put("SPRING_PROFILES_ACTIVE", "default");
        });

        assertThat(broken.problems()).singleElement().asString().startsWith("service streams is given DATABASE_URL");
    }

    @Test
    void a_topic_with_other_partitions_or_settings_an_unknown_topic_and_a_missing_one_are_each_reported() throws IOException {
        ComposeConsistency broken = realWith(compose -> {
            List<Object> command = new ArrayList<>();
            command.add(String.join("\n",
                    "kafka-topics.sh --bootstrap-server kafka:19092 --create --topic homecoming.registrations --partitions 3"
                            + " --config cleanup.policy=delete --config retention.ms=-1",
                    "kafka-topics.sh --bootstrap-server kafka:19092 --create --topic homecoming.totals --partitions 6"
                            + " --config cleanup.policy=delete --config min.compaction.lag.ms=60000",
                    "kafka-topics.sh --bootstrap-server kafka:19092 --create --topic homecoming.totals.v2 --partitions 6",
                    "java -jar homecoming.jar register-schemas --schema-registry-url http://schema-registry:8081"));
            service(compose, "init").put("command", command);
        });

        assertThat(broken.topicProblems(Topics.ALL)).containsExactlyInAnyOrder(
                "init creates topic homecoming.registrations with 3 partitions, Topics says 6",
                "init creates topic homecoming.totals with configs {cleanup.policy=delete, min.compaction.lag.ms=60000},"
                        + " Topics says {cleanup.policy=compact, min.compaction.lag.ms=60000}",
                "init creates topic homecoming.totals.v2, which is not in Topics",
                "init does not create topic homecoming.registrations.accepted of Topics",
                "init does not create topic homecoming.registrations.rejected of Topics",
                "init does not create topic homecoming.sink.dlq of Topics",
                "init does not create topic _homecoming_schemas of Topics");
        assertThat(broken.initProblems()).isEmpty();
    }

    @Test
    void a_register_schemas_line_the_command_line_refuses_or_its_absence_is_reported() throws IOException {
        ComposeConsistency misspelt = realWith(compose -> service(compose, "init").put("command",
                List.of("java -jar homecoming.jar register-schemas --registry http://schema-registry:8081")));
        ComposeConsistency absent = realWith(compose -> service(compose, "init").put("command", List.of("true")));

        assertThat(misspelt.initProblems()).singleElement().asString()
                .startsWith("init's register-schemas line is refused by the command line").contains("--registry");
        assertThat(absent.initProblems()).containsExactly("init does not register the schemas (no register-schemas line)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void ports_and_health_checks_that_miss_the_server_port_are_reported() throws IOException {
        ComposeConsistency broken = realWith(compose -> {
            service(compose, "producer").put("ports", List.of("8080:9090"));
            service(compose, "sink").put("healthcheck", Map.of("test", List.of("CMD-SHELL", "curl -f http://localhost:8080/")));
            ((Map<String, Object>) service(compose, "streams").get("build"))
                    .put("args", Map.of("SERVICE", "streams", "PORT", "80"));
        });

        assertThat(broken.portProblems()).containsExactlyInAnyOrder(
                "service producer publishes container port 9090 but listens on 8080",
                "service sink health check asks port 8080 but it listens on 8083",
                "service streams builds its image with PORT 80 but listens on 8082");
    }

    @Test
    void a_port_variable_given_in_the_environment_moves_the_expected_port() throws IOException {
        ComposeConsistency moved = realWith(compose -> environmentOf(compose, "producer").put("PRODUCER_PORT", "9080"));

        assertThat(moved.serverPort("producer", "producer")).isEqualTo(9080);
        assertThat(moved.portProblems()).contains("service producer publishes container port 8080 but listens on 9080");
    }

    @Test
    void a_host_port_other_than_the_service_port_is_reported() throws IOException {
        ComposeConsistency broken = realWith(compose -> service(compose, "producer").put("ports", List.of("18080:8080")));

        assertThat(broken.portProblems()).singleElement().asString()
                .startsWith("service producer publishes its port 8080 on host port 18080");
    }

    @Test
    void services_that_start_before_init_or_wait_on_a_service_without_health_check_are_reported() throws IOException {
        ComposeConsistency broken = realWith(compose -> {
            service(compose, "sink").put("depends_on", Map.of("postgres", Map.of("condition", "service_healthy")));
            service(compose, "postgres").remove("healthcheck");
        });

        assertThat(broken.dependencyProblems()).containsExactlyInAnyOrder(
                "service sink waits for postgres to be healthy, but it has no health check",
                "service sink does not wait for init to complete (topics and schemas)");
    }

    @Test
    void the_list_form_of_environment_is_read_and_commented_placeholders_do_not_count() {
        String compose = String.join("\n",
                "services:",
                "  producer:",
                "    build: {context: ., args: {SERVICE: producer, PORT: 8080}}",
                "    environment:",
                "      - KAFKA_BOOTSTRAP_SERVERS=kafka:19092",
                "      - COMMENTED_OUT=1");
        ComposeConsistency checker = new ComposeConsistency(ComposeConsistency.parse(compose),
                service -> "server:\n  port: ${PRODUCER_PORT:8080}\n"
                        + "x: ${KAFKA_BOOTSTRAP_SERVERS:localhost:9092} # ${COMMENTED_OUT}\n");

        assertThat(checker.environment("producer")).containsOnlyKeys("KAFKA_BOOTSTRAP_SERVERS", "COMMENTED_OUT");
        assertThat(checker.environmentProblems()).singleElement().asString()
                .startsWith("service producer is given COMMENTED_OUT");
    }

    private static MonitoringConsistency monitoring() {
        return MonitoringConsistency.of(composeFile());
    }

    private static MonitoringConsistency monitoringWith(Consumer<Map<String, Object>> change) throws IOException {
        return new MonitoringConsistency(realWith(change), composeFile().getParent());
    }

    private static Map<String, Object> prometheusConfig() {
        return monitoring().prometheusConfig().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrapeJob(Map<String, Object> prometheusConfig, String name) {
        return ((List<Object>) prometheusConfig.get("scrape_configs")).stream().map(job -> (Map<String, Object>) job)
                .filter(job -> name.equals(job.get("job_name"))).findFirst().orElseThrow();
    }

    @Test
    void prometheus_and_grafana_agree_with_the_compose_services() {
        assertThat(monitoring().problems()).isEmpty();
    }

    @Test
    void prometheus_scrapes_producer_every_streams_replica_and_sink_at_their_ports_and_actuator_prometheus() {
        List<MonitoringConsistency.ScrapeTarget> targets = MonitoringConsistency.scrapeTargets(prometheusConfig());

        assertThat(targets).extracting(MonitoringConsistency.ScrapeTarget::host, MonitoringConsistency.ScrapeTarget::port,
                        MonitoringConsistency.ScrapeTarget::path)
                .containsExactlyInAnyOrder(tuple("producer", 8080, "/actuator/prometheus"),
                        tuple("streams", 8082, "/actuator/prometheus"), tuple("sink", 8083, "/actuator/prometheus"));
        assertThat(targets).filteredOn(target -> target.host().equals("streams"))
                .singleElement().satisfies(streams -> assertThat(streams.discovered()).isTrue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void scrape_targets_off_a_service_port_or_path_a_static_target_on_replicas_and_an_unscraped_service_are_reported() {
        Map<String, Object> config = prometheusConfig();
        ((List<Object>) config.get("scrape_configs")).remove(scrapeJob(config, "sink"));
        scrapeJob(config, "producer").remove("metrics_path");
        Map<String, Object> streams = scrapeJob(config, "streams");
        streams.remove("dns_sd_configs");
        streams.put("static_configs", List.of(Map.of("targets", List.of("streams:8083", "kafka:9092", "nowhere:1"))));
        streams.put("file_sd_configs", List.of(Map.of("files", List.of("targets.json"))));
        streams.put("dns_sd_configs", List.of(Map.of("names", List.of("_streams._tcp.local"))));

        assertThat(monitoring().scrapeProblems(config)).containsExactlyInAnyOrder(
                "job streams finds targets through file_sd_configs, which this check cannot follow:"
                        + " use static_configs or dns_sd_configs",
                "job streams looks up DNS SRV records, which the compose network does not serve:"
                        + " use type A and the service port",
                "job producer scrapes producer:8080 at /metrics, not /actuator/prometheus",
                "job streams scrapes _streams._tcp.local:-1, but _streams._tcp.local is not a service of docker-compose.yml",
                "job streams scrapes streams:8083, but streams listens on 8082",
                "job streams scrapes streams:8083 as a static target, which reaches one of its 2 replicas at random:"
                        + " use dns_sd_configs",
                "job streams scrapes kafka:9092, but kafka is not a Homecoming service",
                "job streams scrapes nowhere:1, but nowhere is not a service of docker-compose.yml",
                "service sink is not scraped by Prometheus");
    }

    @Test
    void a_scraped_service_whose_application_yml_does_not_expose_prometheus_is_reported() {
        Map<String, String> exposure = Map.of("producer", "health,info,prometheus", "streams", "'*'",
                "sink", "health,info,metrics");

        assertThat(monitoring().exposureProblems(service -> "management:\n  endpoints:\n    web:\n      exposure:\n"
                + "        include: " + exposure.get(service) + "\n")).containsExactly("service sink is scraped at"
                + " /actuator/prometheus, but sink's application.yml exposes only [health, info, metrics]");
    }

    @Test
    void only_series_names_are_read_from_a_query_not_functions_labels_strings_ranges_or_keywords() {
        String query = "sum by (job, topic) (rate(homecoming_sink_rows_total{table=\"totals\", job=~\"up|sink\"}"
                + "[$__rate_interval] offset 5m)) / on(job) group_left(instance) max without (pod) (up) > bool 0.5e3"
                + " or histogram_quantile(0.99, sum(rate(x_bucket[5m])) by (le))";

        assertThat(MonitoringConsistency.seriesIn(query)).containsExactly("homecoming_sink_rows_total", "up", "x_bucket");
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_dashboard_query_on_a_series_not_agreed_a_series_left_unshown_and_an_unknown_datasource_are_reported() {
        Map.Entry<String, Map<String, Object>> dashboard = monitoring().dashboards().entrySet().iterator().next();
        Map<String, Object> freshness = ((List<Object>) dashboard.getValue().get("panels")).stream()
                .map(panel -> (Map<String, Object>) panel).filter(panel -> "Totals freshness".equals(panel.get("title")))
                .findFirst().orElseThrow();
        Map<String, Object> query = (Map<String, Object>) ((List<Object>) freshness.get("targets")).get(0);
        query.put("expr", "max(homecoming_totals_age_seconds)");
        query.put("datasource", Map.of("type", "prometheus", "uid", "elsewhere"));
        String panel = "panel 'Totals freshness' of " + dashboard.getKey();

        assertThat(MonitoringConsistency.dashboardProblems(dashboard.getKey(), dashboard.getValue(), Set.of("prometheus")))
                .containsExactlyInAnyOrder(
                        panel + " queries homecoming_totals_age_seconds, which is not an agreed series",
                        panel + " uses datasource elsewhere, which Grafana does not provision [prometheus]",
                        dashboard.getKey() + " shows no panel of homecoming_totals_freshness_seconds");
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_datasource_away_from_the_compose_prometheus_or_on_another_scrape_interval_is_reported() {
        List<Map<String, Object>> datasources = monitoring().datasources();
        datasources.get(0).put("url", "http://localhost:9090/");
        ((Map<String, Object>) datasources.get(0).get("jsonData")).put("timeInterval", "1m");

        assertThat(monitoring().datasourceProblems(datasources, prometheusConfig())).containsExactlyInAnyOrder(
                "Grafana datasource Prometheus points at http://localhost:9090, not the compose service http://prometheus:9090",
                "Grafana datasource Prometheus assumes scrapes every 1m, Prometheus scrapes every 15s");
    }

    @Test
    void a_grafana_password_written_in_the_compose_file_its_default_password_or_anonymous_editors_are_reported()
            throws IOException {
        MonitoringConsistency literal = monitoringWith(compose -> environmentOf(compose, "grafana")
                .put("GF_SECURITY_ADMIN_PASSWORD", "s3cret"));
        MonitoringConsistency defaulted = monitoringWith(compose -> environmentOf(compose, "grafana")
                .put("GF_SECURITY_ADMIN_PASSWORD", "${GRAFANA_ADMIN_PASSWORD:-admin}"));
        MonitoringConsistency loginOn = monitoringWith(compose -> environmentOf(compose, "grafana")
                .put("GF_AUTH_DISABLE_LOGIN_FORM", "false"));
        MonitoringConsistency fromEnvironment = monitoringWith(compose -> {
            environmentOf(compose, "grafana").put("GF_AUTH_DISABLE_LOGIN_FORM", "false");
            environmentOf(compose, "grafana").put("GF_SECURITY_ADMIN_PASSWORD", "${GRAFANA_ADMIN_PASSWORD:?set it}");
        });
        MonitoringConsistency editors = monitoringWith(compose -> environmentOf(compose, "grafana")
                .put("GF_AUTH_ANONYMOUS_ORG_ROLE", "Editor"));

        assertThat(literal.grafanaAccessProblems()).singleElement().asString()
                .startsWith("service grafana sets its admin password in docker-compose.yml");
        assertThat(defaulted.grafanaAccessProblems()).singleElement().asString()
                .startsWith("service grafana sets its admin password in docker-compose.yml");
        assertThat(loginOn.grafanaAccessProblems()).singleElement().asString()
                .startsWith("service grafana keeps Grafana's default admin password with its login on");
        assertThat(fromEnvironment.grafanaAccessProblems()).isEmpty();
        assertThat(editors.grafanaAccessProblems())
                .containsExactly("service grafana lets anonymous visitors in as Editor: Viewer only");
    }

    /**
     * Where a Compose CLI is installed, it must accept the file too (it checks the schema, merges anchors and
     * interpolates). Skipped elsewhere: the checks above need no Docker.
     */
    @Test
    void docker_compose_accepts_the_file_where_a_compose_cli_is_installed() throws Exception {
        List<String> cli = composeCli();
        assumeThat(cli).as("no `docker compose` or `docker-compose` on this machine: Compose's own validation skipped")
                .isNotEmpty();
        Path file = composeFile();

        Map<String, String> passwords = ComposeServices.testPasswords();
        Map<String, String> all = new HashMap<>(passwords);
        all.put("HOMECOMING_PERSON_KEY", "dGVzdC1vbmx5LWtleS10ZXN0LW9ubHkta2V5LTEyMzQ1Njc4");
        Result withKey = run(cli, file, all);
        Result withoutKey = run(cli, file, passwords);

        assertThat(withKey.exitCode()).as(withKey.output()).isZero();
        assertThat(withKey.output()).contains("homecoming.totals", "cleanup.policy=compact", "register-schemas");
        assertThat(withoutKey.exitCode()).isNotZero();
        assertThat(withoutKey.output()).contains("HOMECOMING_PERSON_KEY");
    }

    private record Result(int exitCode, String output) {
    }

    private static List<String> composeCli() throws InterruptedException {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notInstalled) {
                // try the next form
            }
        }
        return List.of();
    }

    private static Result run(List<String> cli, Path file, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(cli);
        command.addAll(List.of("-f", file.toString(), "config"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("HOMECOMING_PERSON_KEY");
        ComposeServices.testPasswords().keySet().forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
