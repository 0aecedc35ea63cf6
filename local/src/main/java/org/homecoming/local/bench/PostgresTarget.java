package org.homecoming.local.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The probe township's all-time returnees in PostgreSQL's {@code region_totals}, polled. */
public final class PostgresTarget implements VisibilityTarget {

    private final PostgresTotals totals;
    private final String township;
    private final Duration interval;
    private boolean first = true;

    public PostgresTarget(String jdbcUrl, String user, String township, Duration interval) {
        this.totals = new PostgresTotals(jdbcUrl, user);
        this.township = township;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public long read() throws Exception {
        if (!first) {
            TimeUnit.NANOSECONDS.sleep(interval.toNanos());
        }
        first = false;
        return totals.allTime(township).returnees();
    }

    @Override
    public void close() {
        totals.close();
    }
}
