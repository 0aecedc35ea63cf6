package org.homecoming.local.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.TopicPartition;
import org.homecoming.local.Postgres;
import org.homecoming.local.audit.Audit;
import org.homecoming.local.audit.AuditOptions;
import org.homecoming.local.audit.AuditReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault matrix on one stack: each scenario in turn replays its own people with its faults, then the audit
 * recounts everything the registrations topic holds and must agree (exit 0), and what a scenario injected must be
 * what the audit finds rejected.
 */
public final class ChaosRun implements AutoCloseable {

    /**
     * What to run.
     *
     * @param root               the checkout whose service jars run
     * @param dataDir            data of the stack, emptied first
     * @param scenarios          in this order
     * @param faults             faults per scenario; 0 for each scenario's own default
     * @param scale              of the province-year replay of each scenario
     * @param seed               of the replays and of the random moments
     * @param transactionVersion the broker's transaction.version feature (KIP-890): 1 or 2
     */
    public record Options(Path root, Path dataDir, List<String> scenarios, int faults, double scale, long seed,
                          short transactionVersion) {
    }

    /** One scenario's outcome. */
    public record Outcome(String scenario, String faults, Duration elapsed, int auditExit, List<String> problems) {

        public boolean passed() {
            return auditExit == AuditReport.AGREES && problems.isEmpty();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final Duration CATCH_UP = Duration.ofMinutes(10);
    private static final Duration NUDGE = Duration.ofSeconds(15);

    private final Options options;
    private final PrintStream out;
    private final ChaosStack stack;
    private final CountingGroupView group;
    private final Map<String, Long> expectedRejections = new LinkedHashMap<>();
    private Scenario current;
    /** The faults {@code NAME=FAULTS} gave the current scenario; 0 when it gave none. */
    private int currentFaults;
    private int nudges;

    private ChaosRun(Options options, PrintStream out, ChaosStack stack) {
        this.options = options;
        this.out = out;
        this.stack = stack;
        this.group = new CountingGroupView(stack.admin());
    }

    /** Starts the stack; the scenarios run with {@link #runAll()}. */
    public static ChaosRun start(Options options, PrintStream out) throws Exception {
        out.printf("Starting the stack for the fault matrix (data in %s, transaction.version=%d) ...%n",
                options.dataDir(), options.transactionVersion());
        long begin = System.nanoTime();
        ChaosStack stack = ChaosStack.start(options.root(), options.dataDir(), options.transactionVersion());
        out.printf("Up in %.0f s: broker pid %d, counting pids %d and %d, sink pid %d; logs in %s%n",
                (System.nanoTime() - begin) / 1e9, stack.broker().pid(), stack.counting().get(0).pid(),
                stack.counting().get(1).pid(), stack.sink().pid(), options.dataDir().resolve("logs"));
        return new ChaosRun(options, out, stack);
    }

    /** Runs the scenarios in order; each one's outcome. Stops at the first that cannot go on. */
    public List<Outcome> runAll() {
        List<Outcome> outcomes = new ArrayList<>();
        for (String name : options.scenarios()) {
            int equals = name.indexOf('=');
            currentFaults = equals < 0 ? 0 : Integer.parseInt(name.substring(equals + 1));
            Outcome outcome = runOne(Scenario.valueOf(scenarioName(name).toUpperCase(java.util.Locale.ROOT)));
            outcomes.add(outcome);
            if (outcome.auditExit() == AuditReport.CANNOT_RUN) {
                break;
            }
        }
        out.println();
        out.printf("%-10s %-8s %-6s %s%n", "scenario", "time", "audit", "faults");
        for (Outcome outcome : outcomes) {
            out.printf("%-10s %-8s %-6s %s%s%n", outcome.scenario(), outcome.elapsed().toSeconds() + " s",
                    "exit " + outcome.auditExit(), outcome.faults(),
                    outcome.problems().isEmpty() ? "" : "  PROBLEMS: " + outcome.problems());
        }
        return outcomes;
    }

    private Outcome runOne(Scenario scenario) {
        current = scenario;
        expectedRejections.clear();
        out.printf("%n== %s: %d faults, replay at scale %s ==%n", scenario.label(), faults(), options.scale());
        long begin = System.nanoTime();
        List<String> problems = new ArrayList<>();
        String faults;
        try {
            faults = scenario.run(this);
            out.println("Faults: " + faults);
        } catch (Exception | AssertionError e) {
            LOG.error("{} did not finish", scenario.label(), e);
            faults = "did not finish: " + e;
            problems.add(faults);
            out.println("FAILED: " + faults);
        }
        int exit = audit(problems);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
        out.printf("%s: %s in %d s, audit exit %d%n", scenario.label(), problems.isEmpty() && exit == 0 ? "PASSED"
                : "FAILED", elapsed.toSeconds(), exit);
        return new Outcome(scenario.label(), faults, elapsed, exit, problems);
    }

    private int audit(List<String> problems) {
        try {
            Deadline.of(CATCH_UP, "the counting group to commit the whole registrations topic")
                    .await(() -> group.backlog() == 0);
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
        }
        for (JvmProcess process : processes()) {
            if (!process.isAlive()) {
                problems.add(process.name() + " is not running at the end; its log: " + process.log());
            }
        }
        AuditReport report;
        try {
            report = Audit.run(AuditOptions.of(stack.bootstrapServers(), stack.registryUrl(), stack.jdbcUrl(),
                    Postgres.SUPERUSER, "").withAttempts(60, Duration.ofSeconds(2)).withTimeout(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            out.println("Audit cannot run: " + e.getMessage());
            return AuditReport.CANNOT_RUN;
        }
        report.print(out);
        expectedRejections.forEach((reason, count) -> {
            AuditReport.ReasonCount found = report.rejectedByReason().get(reason);
            long topic = found == null ? 0 : found.topic();
            long oracle = found == null ? 0 : found.oracle();
            if (topic != count || oracle != count) {
                problems.add(String.format("%s: %d injected, %d rejected by the oracle, %d in the rejected topic",
                        reason, count, oracle, topic));
            } else {
                out.printf("Injected %s: %,d, rejected %,d: equal%n", reason, count, topic);
            }
        });
        return report.exitCode();
    }

    private List<JvmProcess> processes() {
        List<JvmProcess> all = new ArrayList<>(stack.counting());
        all.add(stack.sink());
        all.add(stack.broker());
        return all;
    }

    ChaosStack stack() {
        return stack;
    }

    CountingGroupView group() {
        return group;
    }

    int faults() {
        if (currentFaults > 0) {
            return currentFaults;
        }
        return options.faults() > 0 ? options.faults() : current.defaultFaults();
    }

    /** The scenario a {@code --scenario} entry names: {@code NAME} or {@code NAME=FAULTS}. */
    static String scenarioName(String entry) {
        int equals = entry.indexOf('=');
        return equals < 0 ? entry : entry.substring(0, equals);
    }

    long seed() {
        return options.seed() + current.ordinal();
    }

    /** This scenario's replay, in one chunk more than faults and a rest. */
    Replay replay(Scenario scenario) {
        return replay(scenario, faults() + 2);
    }

    /** This scenario's replay in {@code chunks}. */
    Replay replay(Scenario scenario, int chunks) {
        return new Replay(stack, options.scale(), seed(), scenario.label(), chunks);
    }

    /** Rejections of a reason the audit must find, each once, over everything the stack has seen. */
    void expectRejected(String reason, long count) {
        expectedRejections.merge(reason, count, Long::sum);
    }

    /**
     * Waits until {@code victim} has joined a stable group beside {@code survivor} and holds input partitions, and
     * returns them. An instance whose state is far behind (after a SIGKILL or a fencing under exactly-once its local
     * stores are wiped) is first given warm-up replicas only, and active tasks at the next probing rebalance, 10
     * minutes later; when it has held nothing for {@link #NUDGE} in a stable group the members are removed, so that
     * the group rebalances now, with the warm-up caught up.
     */
    Set<TopicPartition> awaitHolding(JvmProcess victim, JvmProcess survivor) {
        AtomicReference<Set<TopicPartition>> held = new AtomicReference<>(Set.of());
        AtomicLong idleSince = new AtomicLong(Long.MAX_VALUE);
        Deadline.of(Duration.ofMinutes(4), victim.name() + " to join and hold partitions")
                .failIf(() -> !victim.isAlive() || !survivor.isAlive(), () -> "a counting instance exited; logs: "
                        + victim.log() + ", " + survivor.log())
                .await(() -> {
                    Optional<String> id = processId(victim);
                    CountingGroupView.Snapshot now = group.describe();
                    if (id.isEmpty() || !now.stable() || now.partitions().size() < 2) {
                        idleSince.set(Long.MAX_VALUE);
                        return false;
                    }
                    held.set(now.partitions().entrySet().stream().filter(e -> e.getKey().contains(id.get()))
                            .map(Map.Entry::getValue).findFirst().orElse(Set.of()));
                    if (!held.get().isEmpty()) {
                        return true;
                    }
                    idleSince.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                    if (System.nanoTime() - idleSince.get() > NUDGE.toNanos()) {
                        out.printf("%s has held no partition for %d s in a stable group: removing the members, so that"
                                + " the group rebalances before the probing rebalance would%n", victim.name(),
                                NUDGE.toSeconds());
                        nudges++;
                        group.forgetMembersOf(Optional.empty());
                        idleSince.set(Long.MAX_VALUE);
                    }
                    return false;
                });
        return Set.copyOf(held.get());
    }

    /** Times {@link #awaitHolding} made the group rebalance. */
    int nudges() {
        return nudges;
    }

    /** The Kafka Streams process id of a counting instance, once it has written it to its state folder. */
    Optional<String> processId(JvmProcess counting) throws IOException {
        return Scenario.processId(options.dataDir().toAbsolutePath().resolve(counting.name()).resolve("streams"));
    }

    /** Sends the next chunk, and waits until the sink has written rows since. */
    void sendAndAwaitRows(Replay replay, JvmProcess sink) {
        long before = Math.max(0, stack.count("registration_event"));
        replay.sendNextChunk();
        Deadline.of(Duration.ofMinutes(4), "the sink to write rows of the chunk sent")
                .failIf(() -> !sink.isAlive(), () -> "the sink exited; its log: " + sink.log())
                .await(() -> stack.count("registration_event") > before);
    }

    @Override
    public void close() {
        group.close();
        stack.close();
    }
}
