package org.homecoming.local;

import static org.homecoming.local.ComposeConsistency.list;
import static org.homecoming.local.ComposeConsistency.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks the monitoring {@code docker-compose.yml} runs against its services: Prometheus's scrape jobs (the
 * config its {@code prom/prometheus} service mounts) reach every Homecoming service, each replica, at the
 * service's port and {@code /actuator/prometheus}; Grafana's provisioned datasource is that Prometheus; the
 * provisioned dashboards query only {@link #AGREED_SERIES} (and {@link #PROMETHEUS_SERIES}) and show every
 * agreed series; and Grafana keeps no password in git. Findings are sentences, as {@link ComposeConsistency}'s.
 */
final class MonitoringConsistency {

    /**
     * Homecoming's series as Prometheus names them, the list agreed for docs/operations.md (issue 14). A
     * dashboard query naming another series is reported, so a renamed meter cannot leave a panel empty.
     */
    static final Set<String> AGREED_SERIES = Set.of(
            "homecoming_counting_accepted_total",
            "homecoming_counting_rejected_total",
            "homecoming_counting_duplicates_total",
            "homecoming_totals_freshness_seconds",
            "homecoming_sink_rows_total",
            "homecoming_sink_dead_letters_total",
            "homecoming_gateway_records_total",
            "kafka_consumer_fetch_manager_records_lag");

    /** Series Prometheus writes itself for every target it scrapes. */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    static final String METRICS_PATH = "/actuator/prometheus";
    static final String PROMETHEUS_IMAGE = "prom/prometheus";
    static final String GRAFANA_IMAGE = "grafana/grafana";
    /** Where the Prometheus image reads its config (its default {@code --config.file}). */
    static final String PROMETHEUS_CONFIG = "/etc/prometheus/prometheus.yml";
    /** Where the Grafana image reads its provisioning. */
    static final String GRAFANA_PROVISIONING = "/etc/grafana/provisioning";
    /** Prometheus's listen port (its default {@code --web.listen-address}). */
    static final int PROMETHEUS_PORT = 9090;

    /** One address Prometheus scrapes: a static target, or a DNS name it resolves to every container. */
    record ScrapeTarget(String job, String host, int port, String path, boolean discovered) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /** PromQL's parts that hold no series name: strings, label matchers, ranges and subqueries, variables. */
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][\\w:]*(?![\\w:])(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    /** A compose value that is only an interpolation, without a default: {@code ${NAME}} or {@code ${NAME:?why}}. */
    private static final Pattern FROM_ENVIRONMENT = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*(:?\\?[^}]*)?}");

    private final ComposeConsistency compose;
    private final Path composeDir;

    MonitoringConsistency(ComposeConsistency compose, Path composeDir) {
        this.compose = compose;
        this.composeDir = composeDir;
    }

    static MonitoringConsistency of(Path composeFile) {
        return new MonitoringConsistency(ComposeConsistency.of(composeFile), composeFile.toAbsolutePath().getParent());
    }

    /** Everything that disagrees; empty when Prometheus, Grafana and the compose services agree. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        Optional<Map<String, Object>> prometheus = prometheusConfig();
        if (prometheus.isEmpty()) {
            problems.add(compose.serviceRunning(PROMETHEUS_IMAGE).isEmpty()
                    ? "docker-compose.yml runs no " + PROMETHEUS_IMAGE + " service"
                    : "service " + compose.serviceRunning(PROMETHEUS_IMAGE).get() + " mounts no config file at "
                    + PROMETHEUS_CONFIG);
        } else {
            problems.addAll(scrapeProblems(prometheus.get()));
        }
        Optional<String> grafana = compose.serviceRunning(GRAFANA_IMAGE);
        if (grafana.isEmpty()) {
            problems.add("docker-compose.yml runs no " + GRAFANA_IMAGE + " service");
            return problems;
        }
        List<Map<String, Object>> datasources = datasources();
        problems.addAll(datasourceProblems(datasources, prometheus.orElse(Map.of())));
        Set<String> uids = new TreeSet<>();
        datasources.forEach(datasource -> uids.add(String.valueOf(datasource.get("uid"))));
        Map<String, Map<String, Object>> dashboards = dashboards();
        if (dashboards.isEmpty()) {
            problems.add("service " + grafana.get() + " provisions no dashboard");
        }
        dashboards.forEach((file, dashboard) -> problems.addAll(dashboardProblems(file, dashboard, uids)));
        problems.addAll(grafanaAccessProblems());
        return problems;
    }

    /** The config the Prometheus service mounts, parsed afresh (so a test may change it). */
    Optional<Map<String, Object>> prometheusConfig() {
        return compose.serviceRunning(PROMETHEUS_IMAGE)
                .flatMap(service -> hostPath(service, PROMETHEUS_CONFIG))
                .filter(Files::isRegularFile)
                .map(file -> ComposeConsistency.parse(read(file)));
    }

    /** Every address the scrape jobs reach, as Prometheus would: static targets and DNS-discovered names. */
    static List<ScrapeTarget> scrapeTargets(Map<String, Object> prometheusConfig) {
        List<ScrapeTarget> targets = new ArrayList<>();
        for (Object entry : list(prometheusConfig.get("scrape_configs"))) {
            Map<String, Object> job = map(entry);
            String name = String.valueOf(job.get("job_name"));
            String path = String.valueOf(job.getOrDefault("metrics_path", "/metrics"));
            for (Object group : list(job.get("static_configs"))) {
                for (Object target : list(map(group).get("targets"))) {
                    URI address = URI.create("http://" + target);
                    targets.add(new ScrapeTarget(name, address.getHost(), address.getPort(), path, false));
                }
            }
            for (Object discovery : list(job.get("dns_sd_configs"))) {
                Object port = map(discovery).get("port");
                for (Object host : list(map(discovery).get("names"))) {
                    targets.add(new ScrapeTarget(name, String.valueOf(host),
                            port == null ? -1 : Integer.parseInt(String.valueOf(port)), path, true));
                }
            }
        }
        return targets;
    }

    /**
     * Each scrape target is a Homecoming service of the compose file, at its server port and
     * {@code /actuator/prometheus}; a replicated service is found by DNS (a static target reaches one replica
     * at random); and every Homecoming service is scraped.
     */
    List<String> scrapeProblems(Map<String, Object> prometheusConfig) {
        List<String> problems = new ArrayList<>();
        Map<String, String> homecoming = compose.homecomingServices();
        for (Object entry : list(prometheusConfig.get("scrape_configs"))) {
            Map<String, Object> job = map(entry);
            for (String kind : job.keySet()) {
                if (kind.endsWith("_sd_configs") && !"dns_sd_configs".equals(kind)) {
                    problems.add("job " + job.get("job_name") + " finds targets through " + kind
                            + ", which this check cannot follow: use static_configs or dns_sd_configs");
                }
            }
            for (Object relabel : list(job.get("relabel_configs"))) {
                Object label = map(relabel).get("target_label");
                if ("__address__".equals(label) || "__metrics_path__".equals(label)) {
                    problems.add("job " + job.get("job_name") + " rewrites " + label + ", which this check cannot follow");
                }
            }
            for (Object discovery : list(job.get("dns_sd_configs"))) {
                Object type = map(discovery).getOrDefault("type", "SRV");
                if (!"A".equals(type) && !"AAAA".equals(type)) {
                    problems.add("job " + job.get("job_name") + " looks up DNS " + type
                            + " records, which the compose network does not serve: use type A and the service port");
                }
            }
        }
        Set<String> scraped = new LinkedHashSet<>();
        for (ScrapeTarget target : scrapeTargets(prometheusConfig)) {
            String where = "job " + target.job() + " scrapes " + target.host() + ":" + target.port();
            if (!compose.services().contains(target.host())) {
                problems.add(where + ", but " + target.host() + " is not a service of docker-compose.yml");
                continue;
            }
            if (!homecoming.containsKey(target.host())) {
                problems.add(where + ", but " + target.host() + " is not a Homecoming service");
                continue;
            }
            scraped.add(target.host());
            int port = compose.serverPort(target.host(), homecoming.get(target.host()));
            if (target.port() != port) {
                problems.add(where + ", but " + target.host() + " listens on " + port);
            }
            if (!METRICS_PATH.equals(target.path())) {
                problems.add(where + " at " + target.path() + ", not " + METRICS_PATH);
            }
            int replicas = compose.replicas(target.host());
            if (!target.discovered() && replicas > 1) {
                problems.add(where + " as a static target, which reaches one of its " + replicas
                        + " replicas at random: use dns_sd_configs");
            }
        }
        for (String service : homecoming.keySet()) {
            if (!scraped.contains(service)) {
                problems.add("service " + service + " is not scraped by Prometheus");
            }
        }
        return problems;
    }

    /**
     * Each scraped service's application.yml exposes the endpoint Prometheus asks for
     * ({@code management.endpoints.web.exposure.include} holds {@code prometheus} or {@code *}).
     */
    List<String> exposureProblems(Function<String, String> applicationYml) {
        List<String> problems = new ArrayList<>();
        compose.homecomingServices().forEach((name, service) -> {
            Object include = map(map(map(map(ComposeConsistency.parse(applicationYml.apply(service)).get("management"))
                    .get("endpoints")).get("web")).get("exposure")).get("include");
            List<String> exposed = include instanceof List<?> items
                    ? items.stream().map(String::valueOf).toList()
                    : include == null ? List.of() : List.of(String.valueOf(include).split("\\s*,\\s*"));
            if (!exposed.contains("prometheus") && !exposed.contains("*")) {
                problems.add("service " + name + " is scraped at " + METRICS_PATH + ", but " + service
                        + "'s application.yml exposes only " + exposed);
            }
        });
        return problems;
    }

    /** The datasources Grafana provisions (every file under provisioning/datasources). */
    List<Map<String, Object>> datasources() {
        List<Map<String, Object>> datasources = new ArrayList<>();
        for (Path file : provisioningFiles("datasources")) {
            list(ComposeConsistency.parse(read(file)).get("datasources")).forEach(entry -> datasources.add(map(entry)));
        }
        return datasources;
    }

    /**
     * A Prometheus datasource is provisioned, at the compose Prometheus service's address, with
     * Prometheus's scrape interval (so {@code $__rate_interval} spans enough scrapes).
     */
    List<String> datasourceProblems(List<Map<String, Object>> datasources, Map<String, Object> prometheusConfig) {
        List<String> problems = new ArrayList<>();
        String expected = "http://" + compose.serviceRunning(PROMETHEUS_IMAGE).orElse(PROMETHEUS_IMAGE) + ":"
                + PROMETHEUS_PORT;
        List<Map<String, Object>> prometheus = datasources.stream()
                .filter(datasource -> "prometheus".equals(datasource.get("type"))).toList();
        if (prometheus.isEmpty()) {
            problems.add("Grafana provisions no Prometheus datasource");
        }
        Object scrapeInterval = map(prometheusConfig.get("global")).getOrDefault("scrape_interval", "1m");
        for (Map<String, Object> datasource : prometheus) {
            String name = "Grafana datasource " + datasource.get("name");
            if (datasource.get("uid") == null) {
                problems.add(name + " has no uid for the dashboards to refer to");
            }
            String url = String.valueOf(datasource.get("url")).replaceAll("/+$", "");
            if (!url.equals(expected)) {
                problems.add(name + " points at " + url + ", not the compose service " + expected);
            }
            Object timeInterval = map(datasource.get("jsonData")).get("timeInterval");
            if (!String.valueOf(scrapeInterval).equals(String.valueOf(timeInterval))) {
                problems.add(name + " assumes scrapes every " + timeInterval + ", Prometheus scrapes every "
                        + scrapeInterval);
            }
        }
        return problems;
    }

    /**
     * The dashboards Grafana provisions, by file name: the JSON files in every file provider's path, found
     * on the host through the Grafana service's mounts.
     */
    Map<String, Map<String, Object>> dashboards() {
        Map<String, Map<String, Object>> dashboards = new LinkedHashMap<>();
        String grafana = compose.serviceRunning(GRAFANA_IMAGE).orElseThrow();
        for (Path file : provisioningFiles("dashboards")) {
            for (Object provider : list(ComposeConsistency.parse(read(file)).get("providers"))) {
                Object path = map(map(provider).get("options")).get("path");
                Optional<Path> dir = path == null ? Optional.empty() : hostPath(grafana, String.valueOf(path));
                if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir.get())) {
                    for (Path json : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                        dashboards.put(composeDir.relativize(json).toString(), JSON.readValue(read(json), JSON_OBJECT));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return dashboards;
    }

    /**
     * Every query of the dashboard names only agreed series, every agreed series is shown, and every
     * datasource a panel names is provisioned.
     */
    static List<String> dashboardProblems(String file, Map<String, Object> dashboard, Set<String> datasourceUids) {
        List<String> problems = new ArrayList<>();
        Set<String> shown = new TreeSet<>();
        for (Map<String, Object> panel : panels(list(dashboard.get("panels")))) {
            String title = "panel '" + panel.get("title") + "' of " + file;
            List<Object> references = new ArrayList<>();
            references.add(panel.get("datasource"));
            for (Object entry : list(panel.get("targets"))) {
                Map<String, Object> target = map(entry);
                references.add(target.get("datasource"));
                Object expr = target.get("expr");
                if (expr == null) {
                    continue;
                }
                for (String series : seriesIn(String.valueOf(expr))) {
                    shown.add(series);
                    if (!AGREED_SERIES.contains(series) && !PROMETHEUS_SERIES.contains(series)) {
                        problems.add(title + " queries " + series + ", which is not an agreed series");
                    }
                }
            }
            for (Object reference : references) {
                Object uid = map(reference).get("uid");
                if (uid != null && !datasourceUids.contains(String.valueOf(uid))) {
                    problems.add(title + " uses datasource " + uid + ", which Grafana does not provision "
                            + datasourceUids);
                }
            }
        }
        for (String series : new TreeSet<>(AGREED_SERIES)) {
            if (!shown.contains(series)) {
                problems.add(file + " shows no panel of " + series);
            }
        }
        return problems;
    }

    /** Panels, including those inside collapsed rows; rows themselves hold no query. */
    private static List<Map<String, Object>> panels(List<Object> entries) {
        List<Map<String, Object>> panels = new ArrayList<>();
        for (Object entry : entries) {
            Map<String, Object> panel = map(entry);
            panels.add(panel);
            panels.addAll(panels(list(panel.get("panels"))));
        }
        return panels;
    }

    /** The series a PromQL expression selects: identifiers that are not functions, keywords or labels. */
    static Set<String> seriesIn(String promql) {
        String bare = STRING.matcher(promql).replaceAll("\"\"");
        bare = MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGE.matcher(bare).replaceAll(" ");
        bare = VARIABLE.matcher(bare).replaceAll(" ");
        bare = LABEL_LIST.matcher(bare).replaceAll(" ");
        Set<String> series = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            if (!KEYWORDS.contains(matcher.group().toLowerCase(Locale.ROOT))) {
                series.add(matcher.group());
            }
        }
        return series;
    }

    /**
     * No Grafana password lives in git: the admin password, if given, comes from the environment; without
     * one, Grafana's own default (admin) must be unusable, login form and basic auth off; anonymous visitors
     * only view.
     */
    List<String> grafanaAccessProblems() {
        List<String> problems = new ArrayList<>();
        String grafana = compose.serviceRunning(GRAFANA_IMAGE).orElseThrow();
        Map<String, String> environment = compose.environment(grafana);
        String password = environment.get("GF_SECURITY_ADMIN_PASSWORD");
        if (password != null && !FROM_ENVIRONMENT.matcher(password).matches()) {
            problems.add("service " + grafana + " sets its admin password in docker-compose.yml:"
                    + " take it from the environment, ${GRAFANA_ADMIN_PASSWORD:?...}, with no default");
        }
        boolean loginOff = "true".equals(environment.get("GF_AUTH_DISABLE_LOGIN_FORM"))
                && "false".equals(environment.get("GF_AUTH_BASIC_ENABLED"));
        if (password == null && !environment.containsKey("GF_SECURITY_ADMIN_PASSWORD__FILE") && !loginOff) {
            problems.add("service " + grafana + " keeps Grafana's default admin password with its login on:"
                    + " take the password from the environment or turn the login form and basic auth off");
        }
        String role = environment.getOrDefault("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
        if ("true".equals(environment.get("GF_AUTH_ANONYMOUS_ENABLED")) && !"Viewer".equals(role)) {
            problems.add("service " + grafana + " lets anonymous visitors in as " + role + ": Viewer only");
        }
        return problems;
    }

    private List<Path> provisioningFiles(String kind) {
        Optional<Path> dir = compose.serviceRunning(GRAFANA_IMAGE)
                .flatMap(grafana -> hostPath(grafana, GRAFANA_PROVISIONING + "/" + kind))
                .filter(Files::isDirectory);
        if (dir.isEmpty()) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir.get())) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a container path of a service is on the host, through the bind mount closest to it. */
    Optional<Path> hostPath(String service, String containerPath) {
        String best = null;
        for (String target : compose.bindMounts(service).keySet()) {
            String dir = target.endsWith("/") ? target : target + "/";
            if ((containerPath.equals(target) || containerPath.startsWith(dir))
                    && (best == null || target.length() > best.length())) {
                best = target;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String rest = containerPath.substring(best.length()).replaceFirst("^/", "");
        Path source = composeDir.resolve(compose.bindMounts(service).get(best));
        return Optional.of((rest.isEmpty() ? source : source.resolve(rest)).normalize());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
