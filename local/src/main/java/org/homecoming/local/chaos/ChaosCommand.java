package org.homecoming.local.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.homecoming.local.audit.AuditReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./homecoming chaos}: the fault matrix. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "The fault matrix: the service jars as separate processes and a broker in its own JVM, a noisy "
                + "province-year replay per scenario with its faults (SIGKILL, SIGTERM, SIGSTOP, immediate stops, poison), "
                + "then the audit, which must agree. Exit 0 when every scenario passed, 1 when one did not, 2 when it cannot"
                + " run.")
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--scenario", split = ",", description = "Scenarios to run, in order, each NAME or NAME=FAULTS "
            + "(default: all: streams, sink, postgres, poison, broker, gateway, zombie).")
    List<String> scenarios;

    @Option(names = "--faults", defaultValue = "0",
            description = "Faults per scenario (default: streams 20, sink 20, postgres 10, poison 10 rounds, "
                    + "broker 10 (SIGKILL and SIGTERM in turn), gateway 10, zombie 5).")
    int faults;

    @Option(names = "--scale", defaultValue = "0.05", description = "Scale of each replay (default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--seed", defaultValue = "20200118", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", defaultValue = ".homecoming/chaos",
            description = "Data folder, emptied first (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--root", defaultValue = ".", description = "Checkout whose service jars run (default ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--transaction-version", defaultValue = "1",
            description = "The broker's transaction.version feature, 1 or 2 (KIP-890) (default ${DEFAULT-VALUE}).")
    short transactionVersion;

    @Override
    public Integer call() throws Exception {
        List<String> names = scenarios == null || scenarios.isEmpty()
                ? Arrays.stream(Scenario.values()).map(Scenario::label).toList() : scenarios;
        for (String name : names) {
            if (Arrays.stream(Scenario.values()).noneMatch(s -> s.label().equals(ChaosRun.scenarioName(name)))) {
                System.err.println("Unknown scenario " + name + "; known: "
                        + Arrays.stream(Scenario.values()).map(Scenario::label).toList());
                return AuditReport.CANNOT_RUN;
            }
        }
        deleteRecursively(dataDir);
        ChaosRun.Options options = new ChaosRun.Options(root, dataDir, names, faults, scale, seed, transactionVersion);
        List<ChaosRun.Outcome> outcomes;
        try (ChaosRun run = ChaosRun.start(options, System.out)) {
            outcomes = run.runAll();
        } catch (Exception e) {
            System.err.println("The fault matrix cannot run: " + e.getMessage());
            return AuditReport.CANNOT_RUN;
        }
        if (outcomes.stream().anyMatch(o -> o.auditExit() == AuditReport.CANNOT_RUN)) {
            return AuditReport.CANNOT_RUN;
        }
        return outcomes.stream().allMatch(ChaosRun.Outcome::passed) ? 0 : 1;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
