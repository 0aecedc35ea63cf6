package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

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
 * One service's runnable jar ({@code <module>/target/homecoming-<module>-*-exec.jar}, what the images run) in a
 * JVM of its own, started straight from {@code java} with no shell in between, so that the signals the tests send
 * reach the service's JVM itself. Its output goes to {@code target/service-jars/<name>.log}; restarts under the
 * same name append to the same log.
 */
final class ServiceProcess implements AutoCloseable {

    /** What {@link Process#exitValue()} gives for a JVM ended by SIGKILL: 128 + 9. */
    static final int KILLED = 137;
    /** ... and for one that ran its shutdown hooks after SIGTERM: 128 + 15. */
    static final int TERMINATED = 143;

    // A small heap and C1 only: several of these share two cores with the broker and the test.
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts the module's runnable jar with {@code environment} added to this JVM's. */
    static ServiceProcess start(String module, String name, Map<String, String> environment) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "service-jars")).resolve(name + ".log");
        Files.writeString(log, "---- " + name + " started " + Instant.now() + " ----\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", execJar(module).toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        ServiceProcess started = new ServiceProcess(name, builder.start(), log);
        started.assertIsAJvmOfItsOwn();
        return started;
    }

    /** The {@code java} of the JVM running the tests. */
    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code <module>/target/homecoming-<module>-*-exec.jar} of this checkout. */
    static Path execJar(String module) throws IOException {
        Path target = ComposeFileTest.composeFile().getParent().resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            throw new IllegalStateException("No " + target + ": build with -am (./mvnw verify -pl local -am)");
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "homecoming-" + module + "-*-exec.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("No runnable jar in " + target + ": build with -am (./mvnw verify -pl local -am)");
    }

    /** The pid the operating system gave the JVM is that of a direct child of this JVM, and runs {@code java}. */
    private void assertIsAJvmOfItsOwn() {
        ProcessHandle handle = process.toHandle();
        assertThat(handle.parent().map(ProcessHandle::pid)).as("parent of %s (pid %d)", name, handle.pid())
                .contains(ProcessHandle.current().pid());
        assertThat(handle.info().command()).as("command of %s (pid %d)", name, handle.pid())
                .hasValueSatisfying(command -> assertThat(Path.of(command).getFileName()).hasToString("java"));
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): the JVM gets no chance to run shutdown hooks, close
     * its clients, commit or abort. Returns once the process is gone.
     */
    void kill() throws InterruptedException {
        assertThat(process.isAlive()).as("%s alive before the kill; its log: %s", name, log).isTrue();
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s gone after SIGKILL", name).isTrue();
        assertThat(process.exitValue()).as("exit status of %s (pid %d): killed by signal 9", name, pid())
                .isEqualTo(KILLED);
        assertThat(ProcessHandle.of(pid()).filter(ProcessHandle::isAlive)).as("pid %d after the kill", pid()).isEmpty();
    }

    /** SIGTERM, and the JVM's own orderly shutdown within {@code timeout}; SIGKILL if it does not finish. */
    void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(exited).as("%s shut down within %s after SIGTERM; its log: %s", name, timeout, log).isTrue();
        assertThat(process.exitValue()).as("exit status of %s after SIGTERM", name).isEqualTo(TERMINATED);
    }

    /** SIGTERM if it still runs, and SIGKILL if it has not ended 30 s later. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}
