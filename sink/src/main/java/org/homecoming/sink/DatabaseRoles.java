package org.homecoming.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.postgresql.PGConnection;

/**
 * The login roles of the homecoming database, made by a superuser before the first migration. A role belongs to
 * the whole cluster and carries a password and settings, so it is made here and not in a migration: Flyway would
 * need every role's password as a placeholder (and its logs and the migrating process would hold them all), a
 * migration runs once so it could never rotate one, and the owner that runs the migrations is no superuser and
 * may not set another role's password. The migrations grant each role what it may touch (V6, V7).
 * {@code docker-compose.yml} does the same in {@code config/postgres/initdb/10-homecoming-roles.sh};
 * {@code ComposeFileTest} keeps the two alike.
 */
public final class DatabaseRoles {

    /** Owns the database and its schema and runs the migrations; no superuser. */
    public static final String OWNER = "homecoming_owner";
    /** The sink service: writes its tables, the columns its statements name, nothing else. */
    public static final String SINK = "homecoming_sink";
    /** BI tools: read the views and {@code region}, read-only sessions. */
    public static final String BI = "homecoming_bi";

    /**
     * One login role and its longest statement. The sink's is well inside its consumer's max.poll.interval (5 min),
     * so a statement stuck on a lock fails and is retried before the group gives the partitions away; the
     * owner's leaves room for a migration that rewrites a table.
     */
    public record Role(String name, String statementTimeout, boolean readOnly) {
    }

    /** Every role, the owner first. */
    public static final List<Role> ALL = List.of(
            new Role(OWNER, "15min", false),
            new Role(SINK, "2min", false),
            new Role(BI, "5min", true));

    /** What each role may not do, whatever it was made with before. */
    static final String ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS";

    /**
     * Checksum Flyway recorded for migration 6 as first written, when it created the sink and BI roles and set
     * their passwords from placeholders; {@link #ROLES_MIGRATION_CHECKSUM} is the one of its present text.
     */
    static final int ROLES_MIGRATION_CHECKSUM_WITH_PASSWORDS = -1224122456;
    static final int ROLES_MIGRATION_CHECKSUM = -610606093;

    private DatabaseRoles() {
    }

    /**
     * Makes the roles (the missing ones, and the attributes and settings of all), sets the passwords given
     * (a role missing from {@code passwords} keeps its own, or has none), and hands {@code database} to the
     * owner: the database itself and whatever a superuser left in its public schema, as the migrations did when
     * they ran as {@code postgres}. Safe to run at every start.
     *
     * @param superuser a connection of a superuser to {@code database}
     */
    public static void apply(Connection superuser, String database, Map<String, String> passwords) throws SQLException {
        try (Statement statement = superuser.createStatement()) {
            for (Role role : ALL) {
                if (!exists(superuser, role.name())) {
                    statement.execute("CREATE ROLE " + role.name() + " " + ATTRIBUTES);
                }
                statement.execute("ALTER ROLE " + role.name() + " " + ATTRIBUTES);
                statement.execute("ALTER ROLE " + role.name() + " SET statement_timeout = '" + role.statementTimeout() + "'");
                if (role.readOnly()) {
                    statement.execute("ALTER ROLE " + role.name() + " SET default_transaction_read_only = on");
                }
                String password = passwords.get(role.name());
                if (password != null) {
                    // hashed here (SCRAM), so the password itself is in no statement the server could log
                    superuser.unwrap(PGConnection.class).alterUserPassword(role.name(), password.toCharArray(),
                            "scram-sha-256");
                }
            }
            statement.execute("ALTER DATABASE " + quoteIdentifier(database) + " OWNER TO " + OWNER);
            for (String alter : adoptions(superuser)) {
                statement.execute(alter);
            }
            adoptRewrittenRolesMigration(superuser);
        }
    }

    private static boolean exists(Connection connection, String role) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            select.setString(1, role);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** {@code ALTER ... OWNER TO} the owner for each table, view and sequence of the public schema a superuser owns. */
    private static List<String> adoptions(Connection connection) throws SQLException {
        List<String> alters = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                           WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, quote_ident(c.relname)
                     FROM pg_class c
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     JOIN pg_roles r ON r.oid = c.relowner
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND r.rolsuper
                     ORDER BY c.relkind, c.relname""")) {
            while (rs.next()) {
                alters.add("ALTER " + rs.getString(1) + " " + rs.getString(2) + " OWNER TO " + OWNER);
            }
        }
        return alters;
    }

    /**
     * Migration 6 no longer makes roles or sets passwords (see the class comment); a database that ran its first
     * text records that text's checksum, which Flyway's validation would refuse. Exactly that checksum is moved
     * to the present one; any other difference still fails validation.
     */
    private static void adoptRewrittenRolesMigration(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return;
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE public.flyway_schema_history SET checksum = ? WHERE version = '6' AND checksum = ?")) {
            update.setInt(1, ROLES_MIGRATION_CHECKSUM);
            update.setInt(2, ROLES_MIGRATION_CHECKSUM_WITH_PASSWORDS);
            update.executeUpdate();
        }
    }

    private static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
