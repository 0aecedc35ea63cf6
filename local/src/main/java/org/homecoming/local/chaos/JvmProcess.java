package org.homecoming.local.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, started straight from {@code java} with no shell in between so that the signals sent reach it.
 * Its output goes to {@code <logs>/<name>.log}; restarts under the same name append to it.
 */
final class JvmProcess implements AutoCloseable {

    /** What a JVM ended by SIGKILL exits with: 128 + 9. */
    static final int KILLED = 137;

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    private JvmProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = command;
        this.environment = environment;
        this.log = log;
    }

    /** A service's runnable jar, {@code <root>/<module>/target/homecoming-<module>-*-exec.jar}, with a small heap. */
    static JvmProcess serviceJar(Path root, String module, String name, Map<String, String> environment, Path logs)
            throws IOException {
        // a small heap and C1 only: several of these share two cores with the broker and the replay
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar",
                execJar(root, module).toString()));
        return new JvmProcess(name, command, environment, logs.resolve(name + ".log"));
    }

    /**
     * A main class of this module: on the class path of this JVM when it runs from classes (the tests), through
     * Spring Boot's PropertiesLauncher when it runs from the command line's runnable jar.
     */
    static JvmProcess mainClass(Class<?> main, List<String> jvmOptions, List<String> args, Path logs, String name) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith("-exec.jar") && !classPath.contains(java.io.File.pathSeparator)) {
            command.addAll(List.of("-Dloader.main=" + main.getName(), "-cp", classPath,
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        } else {
            command.addAll(List.of("-cp", classPath, main.getName()));
        }
        command.addAll(args);
        return new JvmProcess(name, command, Map.of(), logs.resolve(name + ".log"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path execJar(Path root, String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "homecoming-" + module + "-*-exec.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        throw new IOException("No runnable jar of " + module + " in " + target
                + ": build with ./mvnw -DskipTests package -pl local -am");
    }

    JvmProcess start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " runs already");
        }
        Files.createDirectories(log.getParent());
        Files.writeString(log, "---- " + name + " started " + Instant.now() + " ----\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hooks, no commit or abort. Returns once the process is gone. */
    void kill() throws InterruptedException {
        if (!isAlive()) {
            throw new IllegalStateException(name + " is not running, so cannot be killed; its log: " + log);
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != KILLED) {
            throw new IllegalStateException(name + " did not end by SIGKILL");
        }
    }

    /** SIGTERM, and the JVM's own orderly shutdown within {@code timeout}; SIGKILL and false if it does not finish. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return false;
    }

    /** SIGSTOP or SIGCONT (the JDK sends only TERM and KILL). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid() + " failed");
        }
    }

    @Override
    public void close() {
        if (!isAlive()) {
            return;
        }
        try {
            terminate(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : " (pid " + process.pid() + ", log " + log + ")");
    }
}
