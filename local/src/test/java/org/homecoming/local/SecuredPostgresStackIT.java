package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.homecoming.local.security.KafkaAccess;
import org.homecoming.local.security.Secrets;
import org.homecoming.producer.simulator.ReturneeSimulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack with PostgreSQL secured: the sink service migrates as the owner and writes as
 * {@code homecoming_sink} with their passwords, and BI reads exact totals through the views.
 */
class SecuredPostgresStackIT {

    private static final int EVENTS = 3_000;

    @TempDir
    static Path dataDir;

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(StackPorts.free(), dataDir, Secrets.in(dataDir.resolve("secrets")));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void events_become_exact_totals_that_bi_reads_and_the_sink_is_connected_as_homecoming_sink_only() throws Exception {
        assertThat(stack.postgres().secured()).isTrue();
        assertThat(stack.describe()).anySatisfy(line -> assertThat(line)
                .contains("user homecoming_bi", dataDir.resolve("secrets").resolve(Postgres.BI).toString()));
        ReturneeSimulation simulation = ComposeServices.send(EVENTS, 11, stack.bootstrapServers(), stack.registryUrl(),
                stack.clientSecurity(KafkaAccess.GATEWAY));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> biLong("SELECT coalesce(sum(returnees), 0) FROM v_province_all_time"), total -> total == EVENTS);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(biTownships()).isEqualTo(simulation.expectedByTownship()));

        List<String> users = new ArrayList<>();
        try (Connection superuser = stack.postgres().connect(Postgres.SUPERUSER);
             Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity"
                     + " WHERE datname = '" + Postgres.DATABASE + "' AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                users.add(rs.getString(1));
            }
        }
        assertThat(users).as("who the services are connected as, Flyway's owner connection closed")
                .containsExactly(Postgres.SINK);
    }

    private static long biLong(String sql) throws SQLException {
        try (Connection bi = stack.postgres().connect(Postgres.BI); Statement statement = bi.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static Map<String, Long> biTownships() throws SQLException {
        Map<String, Long> byTownship = new TreeMap<>();
        try (Connection bi = stack.postgres().connect(Postgres.BI); Statement statement = bi.createStatement();
             ResultSet rs = statement.executeQuery("SELECT region_code, returnees FROM v_region_totals"
                     + " WHERE region_level = 'TOWNSHIP' AND period_kind = 'ALL'")) {
            while (rs.next()) {
                byTownship.put(rs.getString(1), rs.getLong(2));
            }
        }
        return byTownship;
    }
}
