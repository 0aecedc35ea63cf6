package org.homecoming.local;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import org.homecoming.sink.Reconciler;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./homecoming reconcile}: recomputes every bucket from the event ledger in PostgreSQL and compares it
 * with {@code region_totals}. Exit code 0 when there is no drift, 1 on drift, 2 when PostgreSQL is unusable.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Recompute the totals from registration_event (the counting rules in SQL), compare them bucket by "
                + "bucket with region_totals and print the drift; exit 1 on drift.")
final class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--database-url",
            defaultValue = "${env:DATABASE_URL:-jdbc:postgresql://localhost:15432/homecoming}",
            description = "JDBC URL (default ${DEFAULT-VALUE}, or $DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--user", defaultValue = "${env:DATABASE_USER:-postgres}",
            description = "Database user; needs to read registration_event and region_totals, e.g. homecoming_sink "
                    + "(default ${DEFAULT-VALUE}, or $DATABASE_USER).")
    String user;

    @Option(names = "--password", defaultValue = "${env:DATABASE_PASSWORD:-}",
            description = "Password (default $DATABASE_PASSWORD).")
    String password;

    @Option(names = "--attempts", defaultValue = "3",
            description = "Snapshots to take before a difference counts as drift, for a sink still catching up "
                    + "(default ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--show", defaultValue = "50", description = "Drifting buckets to list (default ${DEFAULT-VALUE}).")
    int show;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(databaseUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        Reconciler.Report report;
        long begin = System.nanoTime();
        try {
            report = new Reconciler(dataSource).reconcile(Math.max(1, attempts), 2000);
        } catch (SQLException e) {
            System.err.println("Cannot reconcile against " + databaseUrl + ": " + e.getMessage());
            return 2;
        }
        out.printf("Ledger:  %,d events in registration_event%n", report.ledgerEvents());
        out.printf("Buckets: %,d recomputed from the ledger, %,d in region_totals%n", report.expectedBuckets(),
                report.storedBuckets());
        report.drifts().stream().limit(show).forEach(d -> out.println("DRIFT " + d.describe()));
        if (report.drifts().size() > show) {
            out.printf("... and %,d more%n", report.drifts().size() - show);
        }
        out.printf("Drift:   %,d buckets (%.1f s)%n", report.drifts().size(), (System.nanoTime() - begin) / 1e9);
        return report.isClean() ? 0 : 1;
    }
}
