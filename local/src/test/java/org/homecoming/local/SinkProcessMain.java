package org.homecoming.local;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.sink.SinkProperties;
import org.homecoming.sink.StatementForm;

/**
 * The sink's listener container alone in its own JVM, for {@code SinkCrashIT} to kill: no Spring, so a restart takes about a
 * second. Arguments: bootstrap servers, registry URL, JDBC URL, database user, statement form,
 * {@code max.poll.interval.ms}.
 */
public final class SinkProcessMain {

    static final String GROUP = "crash-test-sink";

    private SinkProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(args[2]);
        pool.setUsername(args[3]);
        pool.setPassword(args[3]);
        pool.setMaximumPoolSize(2);
        pool.setConnectionTimeout(2000);
        pool.setInitializationFailTimeout(-1);
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource dataSource = new HikariDataSource(pool);
        SinkProperties properties = new SinkProperties(args[0], args[1], GROUP, Duration.ofMillis(100), 2000,
                Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(50), Duration.ofSeconds(1), "crash-test-sink-1",
                Duration.ofSeconds(10), StatementForm.valueOf(args[4]), null);
        StandaloneSink.start(properties, dataSource, new SimpleMeterRegistry());
        System.out.println("sink process started");
        new CountDownLatch(1).await();
    }
}
