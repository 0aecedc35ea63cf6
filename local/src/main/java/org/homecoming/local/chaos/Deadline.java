package org.homecoming.local.chaos;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; a fail-fast condition ends the wait early. */
final class Deadline {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Duration within;
    private final String what;
    private BooleanSupplier failed = () -> false;
    private Supplier<String> failure = () -> "";

    private Deadline(Duration within, String what) {
        this.within = within;
        this.what = what;
    }

    static Deadline of(Duration within, String what) {
        return new Deadline(within, what);
    }

    Deadline failIf(BooleanSupplier condition, Supplier<String> message) {
        failed = condition;
        failure = message;
        return this;
    }

    /** Waits for {@code condition}; an exception it throws counts as not yet. */
    void await(Callable<Boolean> condition) {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            } catch (Exception notYet) {
                // the broker or database being away is what the scenarios cause: try again
            }
            if (failed.getAsBoolean()) {
                throw new IllegalStateException("While waiting for " + what + ": " + failure.get());
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("Gave up after " + within + " waiting for " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }
}
