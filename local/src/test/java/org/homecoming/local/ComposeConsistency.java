package org.homecoming.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.homecoming.schemas.Topics;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * Checks {@code docker-compose.yml} against the code: the environment each service is given against the
 * placeholders of its {@code application.yml}, the init service's topics against {@link Topics}, its
 * {@code register-schemas} line against the command line, and every port against {@code server.port}.
 * Every finding is a sentence naming the service and what disagrees.
 */
final class ComposeConsistency {

    /** Variables a service may be given that Spring Boot or the JVM read themselves, not its application.yml. */
    static final Set<String> PLATFORM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "SPRING_PROFILES_ACTIVE");

    /** A topic as one {@code kafka-topics.sh --create} line of the init service creates it. */
    record CreatedTopic(String name, int partitions, Map<String, String> configs) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern PORT_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}");
    private static final Pattern LOCALHOST_PORT = Pattern.compile("localhost:(\\d+)");
    private static final Pattern APPLICATION_SERVER_FROM_HOSTNAME =
            Pattern.compile("advertised-host: \\$\\{VIEW_ADVERTISED_HOST:\\$\\{HOSTNAME:");
    private static final Pattern MODULE_LOOP = Pattern.compile("for module in ([a-z ]+); do");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM (\\S+) AS (\\S+)$");
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)#.*$", Pattern.MULTILINE);

    private final Map<String, Object> services;
    private final Function<String, String> applicationYml;

    /**
     * @param compose        the parsed compose file
     * @param applicationYml the text of a service's application.yml, by the SERVICE build argument
     */
    ComposeConsistency(Map<String, Object> compose, Function<String, String> applicationYml) {
        this.services = map(compose.get("services"));
        this.applicationYml = applicationYml;
    }

    /** Reads a compose file; services' application.yml come from the classpath, as the services load them. */
    static ComposeConsistency of(Path composeFile) {
        try {
            return new ComposeConsistency(parse(Files.readString(composeFile)), ComposeConsistency::applicationYmlOnClasspath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> parse(String composeYaml) {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(composeYaml));
    }

    static String applicationYmlOnClasspath(String service) {
        String resource = "org/homecoming/" + service + "/application.yml";
        try (InputStream in = ComposeConsistency.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No " + resource + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything that disagrees; empty when the compose file and the code agree. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        problems.addAll(environmentProblems());
        problems.addAll(portProblems());
        problems.addAll(topicProblems(Topics.ALL));
        problems.addAll(initProblems());
        problems.addAll(dependencyProblems());
        problems.addAll(replicaProblems());
        return problems;
    }

    /**
     * Replicas of one service get one environment, so each must find its own interactive-query address
     * ({@code application.server}) itself: from the container's HOSTNAME, through its application.yml default.
     */
    List<String> replicaProblems() {
        List<String> problems = new ArrayList<>();
        homecomingServices().forEach((name, service) -> {
            if (replicas(name) < 2 || !"streams".equals(service)) {
                return;
            }
            if (environment(name).containsKey("VIEW_ADVERTISED_HOST")) {
                problems.add("service " + name + " gives all its replicas one VIEW_ADVERTISED_HOST");
            }
            if (!APPLICATION_SERVER_FROM_HOSTNAME.matcher(applicationYml.apply(service)).find()) {
                problems.add("service " + name + " has replicas, but " + service
                        + "'s application.yml does not derive advertised-host from HOSTNAME");
            }
        });
        return problems;
    }

    /** Every service the compose file defines, Homecoming's or not. */
    Set<String> services() {
        return services.keySet();
    }

    /** The image a service runs, or null when it builds its own. */
    String image(String service) {
        Object image = map(services.get(service)).get("image");
        return image == null ? null : String.valueOf(image);
    }

    /** The first service running an image of this repository ({@code prom/prometheus} for any tag), if any. */
    Optional<String> serviceRunning(String imageRepository) {
        return services.keySet().stream()
                .filter(name -> image(name) != null && image(name).split(":")[0].equals(imageRepository))
                .findFirst();
    }

    /** How many containers the service runs ({@code deploy.replicas}, 1 when not given). */
    int replicas(String service) {
        Object replicas = map(map(services.get(service)).get("deploy")).get("replicas");
        return replicas == null ? 1 : Integer.parseInt(String.valueOf(replicas));
    }

    /**
     * A service's bind mounts, container path to host path as written (relative to the compose file), in
     * either compose syntax; named volumes are left out.
     */
    Map<String, String> bindMounts(String service) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object entry : list(map(services.get(service)).get("volumes"))) {
            if (entry instanceof Map<?, ?> longSyntax) {
                if ("bind".equals(String.valueOf(longSyntax.get("type")))) {
                    mounts.put(String.valueOf(longSyntax.get("target")), String.valueOf(longSyntax.get("source")));
                }
                continue;
            }
            String[] parts = String.valueOf(entry).split(":");
            if (parts.length >= 2 && (parts[0].startsWith(".") || parts[0].startsWith("/"))) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    /** Compose service name to the Homecoming service it runs (its SERVICE build argument). */
    Map<String, String> homecomingServices() {
        Map<String, String> found = new TreeMap<>();
        services.forEach((name, definition) -> {
            Object build = map(definition).get("build");
            if (build instanceof Map<?, ?> buildMap && map(buildMap.get("args")).get("SERVICE") != null) {
                found.put(name, String.valueOf(map(buildMap.get("args")).get("SERVICE")));
            }
        });
        return found;
    }

    List<String> environmentProblems() {
        List<String> problems = new ArrayList<>();
        homecomingServices().forEach((name, service) -> {
            Set<String> read = placeholders(applicationYml.apply(service));
            for (String variable : environment(name).keySet()) {
                if (!read.contains(variable) && !PLATFORM_VARIABLES.contains(variable)) {
                    problems.add("service " + name + " is given " + variable + ", which " + service
                            + "'s application.yml does not read (it reads " + new TreeSet<>(read) + ")");
                }
            }
        });
        return problems;
    }

    List<String> portProblems() {
        List<String> problems = new ArrayList<>();
        homecomingServices().forEach((name, service) -> {
            Map<String, Object> definition = map(services.get(name));
            int port = serverPort(name, service);
            Object buildPort = map(map(definition.get("build")).get("args")).get("PORT");
            if (buildPort == null || !String.valueOf(port).equals(String.valueOf(buildPort))) {
                problems.add("service " + name + " builds its image with PORT " + buildPort + " but listens on " + port);
            }
            for (Object entry : list(definition.get("ports"))) {
                int[] hostAndTarget = portMapping(entry);
                if (hostAndTarget[1] != port) {
                    problems.add("service " + name + " publishes container port " + hostAndTarget[1]
                            + " but listens on " + port);
                } else if (hostAndTarget[0] != port) {
                    problems.add("service " + name + " publishes its port " + port + " on host port " + hostAndTarget[0]
                            + ": keep them equal so the documented addresses hold");
                }
            }
            for (Object exposed : list(definition.get("expose"))) {
                if (!String.valueOf(exposed).equals(String.valueOf(port))) {
                    problems.add("service " + name + " exposes " + exposed + " but listens on " + port);
                }
            }
            String health = healthCheck(name);
            Matcher matcher = LOCALHOST_PORT.matcher(health);
            boolean any = false;
            while (matcher.find()) {
                any = true;
                if (Integer.parseInt(matcher.group(1)) != port) {
                    problems.add("service " + name + " health check asks port " + matcher.group(1)
                            + " but it listens on " + port);
                }
            }
            if (!any) {
                problems.add("service " + name + " has no health check on localhost:" + port);
            }
        });
        return problems;
    }

    /** The port a service listens on: its *_PORT variable if the compose file sets it, else the yml default. */
    int serverPort(String name, String service) {
        Object server = map(new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(applicationYml.apply(service))
                .iterator().next()).get("server");
        String port = String.valueOf(map(server).get("port"));
        Matcher matcher = PORT_PLACEHOLDER.matcher(port);
        if (!matcher.matches()) {
            throw new IllegalStateException(service + "'s server.port is not ${VARIABLE:default}: " + port);
        }
        String given = environment(name).get(matcher.group(1));
        return Integer.parseInt(given != null ? given : matcher.group(2));
    }

    /** Topics the init service creates, in order. */
    List<CreatedTopic> createdTopics() {
        List<CreatedTopic> created = new ArrayList<>();
        for (String line : initScript()) {
            if (!line.contains("kafka-topics.sh") || !line.contains("--create")) {
                continue;
            }
            List<String> tokens = Arrays.asList(line.trim().split("\\s+"));
            String topic = null;
            int partitions = -1;
            Map<String, String> configs = new TreeMap<>();
            for (int i = 0; i < tokens.size() - 1; i++) {
                String value = tokens.get(i + 1);
                switch (tokens.get(i)) {
                    case "--topic" -> topic = value;
                    case "--partitions" -> partitions = Integer.parseInt(value);
                    case "--config" -> {
                        int equals = value.indexOf('=');
                        configs.put(equals < 0 ? value : value.substring(0, equals),
                                equals < 0 ? "" : value.substring(equals + 1));
                    }
                    default -> {
                        // other options (bootstrap server, replication factor) are not part of the catalogue
                    }
                }
            }
            created.add(new CreatedTopic(topic, partitions, configs));
        }
        return created;
    }

    List<String> topicProblems(List<Topics.TopicSpec> catalogue) {
        List<String> problems = new ArrayList<>();
        Map<String, Topics.TopicSpec> byName = new LinkedHashMap<>();
        catalogue.forEach(spec -> byName.put(spec.name(), spec));
        Set<String> seen = new LinkedHashSet<>();
        for (CreatedTopic topic : createdTopics()) {
            if (topic.name() == null) {
                problems.add("init has a kafka-topics.sh --create line without --topic");
                continue;
            }
            if (!seen.add(topic.name())) {
                problems.add("init creates topic " + topic.name() + " twice");
            }
            Topics.TopicSpec spec = byName.get(topic.name());
            if (spec == null) {
                problems.add("init creates topic " + topic.name() + ", which is not in Topics");
                continue;
            }
            if (topic.partitions() != spec.partitions()) {
                problems.add("init creates topic " + topic.name() + " with " + topic.partitions() + " partitions, Topics says "
                        + spec.partitions());
            }
            if (!topic.configs().equals(new TreeMap<>(spec.configs()))) {
                problems.add("init creates topic " + topic.name() + " with configs " + topic.configs() + ", Topics says "
                        + new TreeMap<>(spec.configs()));
            }
        }
        for (String name : byName.keySet()) {
            if (!seen.contains(name)) {
                problems.add("init does not create topic " + name + " of Topics");
            }
        }
        return problems;
    }

    /** The init service's register-schemas line must be one the command line accepts. */
    List<String> initProblems() {
        List<String> problems = new ArrayList<>();
        List<String> lines = initScript().stream().filter(line -> line.contains(" register-schemas")).toList();
        if (lines.isEmpty()) {
            problems.add("init does not register the schemas (no register-schemas line)");
        }
        for (String line : lines) {
            String[] tokens = line.trim().substring(line.trim().indexOf("register-schemas")).split("\\s+");
            try {
                new CommandLine(new HomecomingCommand()).parseArgs(tokens);
            } catch (CommandLine.ParameterException e) {
                problems.add("init's register-schemas line is refused by the command line: " + e.getMessage());
            }
        }
        return problems;
    }

    /** A service_healthy dependency needs a health check to wait for. */
    List<String> dependencyProblems() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, definition) -> map(map(definition).get("depends_on")).forEach((target, how) -> {
            String condition = String.valueOf(map(how).get("condition"));
            if (!services.containsKey(target)) {
                problems.add("service " + name + " depends on " + target + ", which is not a service");
            } else if ("service_healthy".equals(condition) && map(services.get(target)).get("healthcheck") == null) {
                problems.add("service " + name + " waits for " + target + " to be healthy, but it has no health check");
            }
        }));
        homecomingServices().keySet().forEach(name -> {
            Object onInit = map(map(map(services.get(name)).get("depends_on")).get("init")).get("condition");
            if (!"service_completed_successfully".equals(onInit)) {
                problems.add("service " + name + " does not wait for init to complete (topics and schemas)");
            }
        });
        return problems;
    }

    /**
     * The Dockerfile the compose file builds: it packages every service the compose file asks for (and the
     * command line for init), has the stages the compose file targets, runs them as a non-root user, and
     * takes kafka-topics.sh from the same Kafka image the compose file runs.
     */
    List<String> dockerfileProblems(String dockerfile) {
        List<String> problems = new ArrayList<>();
        Matcher loop = MODULE_LOOP.matcher(dockerfile);
        Set<String> packaged = loop.find() ? new LinkedHashSet<>(Arrays.asList(loop.group(1).trim().split("\\s+"))) : Set.of();
        Set<String> needed = new TreeSet<>(homecomingServices().values());
        needed.add("local");
        for (String module : needed) {
            if (!packaged.contains(module)) {
                problems.add("the Dockerfile does not package module " + module);
            }
        }
        Map<String, String> stages = new LinkedHashMap<>();
        Matcher from = FROM.matcher(dockerfile);
        while (from.find()) {
            stages.put(from.group(2), from.group(1));
        }
        services.forEach((name, definition) -> {
            Object target = map(map(definition).get("build")).get("target");
            if (target != null && !stages.containsKey(String.valueOf(target))) {
                problems.add("service " + name + " builds Dockerfile stage " + target + ", which does not exist");
            }
        });
        for (String stage : List.of("init", "service")) {
            String body = stageBody(dockerfile, stage);
            if (!body.contains("\nUSER ") || body.contains("\nUSER root")) {
                problems.add("Dockerfile stage " + stage + " does not run as a non-root user");
            }
        }
        Object kafkaImage = map(services.get("kafka")).get("image");
        if (!String.valueOf(kafkaImage).equals(stages.get("kafka-dist"))) {
            problems.add("the Dockerfile takes kafka-topics.sh from " + stages.get("kafka-dist") + " but the compose file runs "
                    + kafkaImage);
        }
        return problems;
    }

    private static String stageBody(String dockerfile, String stage) {
        int start = dockerfile.indexOf(" AS " + stage + "\n");
        if (start < 0) {
            return "";
        }
        int end = dockerfile.indexOf("\nFROM ", start);
        return dockerfile.substring(start, end < 0 ? dockerfile.length() : end);
    }

    /** A service's health-check command as text. */
    String healthCheck(String service) {
        return String.valueOf(map(map(services.get(service)).get("healthcheck")).get("test"));
    }

    /** The init service's command, one shell line per element. */
    List<String> initScript() {
        Map<String, Object> init = map(services.get("init"));
        List<String> lines = new ArrayList<>();
        Object command = init.get("command");
        List<Object> parts = command instanceof List<?> ? list(command) : command == null ? List.of() : List.of(command);
        for (Object part : parts) {
            lines.addAll(Arrays.asList(String.valueOf(part).split("\\R")));
        }
        return lines;
    }

    /** The environment a service is given, in either compose syntax (map or KEY=value list). */
    Map<String, String> environment(String service) {
        Object environment = map(services.get(service)).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> given) {
            given.forEach((key, value) -> variables.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else {
            for (Object entry : list(environment)) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                variables.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        return variables;
    }

    /** Environment variables an application.yml reads ({@code ${NAME} or ${NAME:default}}), comments aside. */
    static Set<String> placeholders(String applicationYml) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(COMMENT.matcher(applicationYml).replaceAll(""));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Host port (the first of a range) and container port of a ports entry, short or long syntax. */
    static int[] portMapping(Object entry) {
        if (entry instanceof Map<?, ?> longSyntax) {
            int target = Integer.parseInt(String.valueOf(longSyntax.get("target")));
            Object published = longSyntax.get("published");
            return new int[] {published == null ? -1 : firstPort(String.valueOf(published)), target};
        }
        String[] parts = String.valueOf(entry).replace("/tcp", "").split(":");
        int target = Integer.parseInt(parts[parts.length - 1]);
        return new int[] {parts.length == 1 ? -1 : firstPort(parts[parts.length - 2]), target};
    }

    private static int firstPort(String range) {
        return Integer.parseInt(range.split("-")[0]);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
