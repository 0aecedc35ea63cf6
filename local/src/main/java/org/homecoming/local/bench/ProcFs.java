package org.homecoming.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The few Linux {@code /proc} figures the benchmark reads: memory high-water marks and CPU ticks of a
 * process. Anything unreadable (another OS, a process that just ended) is empty, never a guess.
 */
final class ProcFs {

    /** Linux reports CPU times in USER_HZ ticks, 100 per second on every mainstream architecture. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private ProcFs() {
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} (VmHWM, VmRSS, RssAnon, RssFile, RssShmem), in bytes. */
    static OptionalLong statusBytes(String pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(parseKb(line.substring(field.length() + 1)));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static long parseKb(String value) {
        String trimmed = value.trim();
        if (!trimmed.endsWith("kB")) {
            throw new IllegalArgumentException("Not a kB figure: " + value);
        }
        return Long.parseLong(trimmed.substring(0, trimmed.length() - 2).trim()) * 1024;
    }

    /**
     * CPU time of a process from {@code /proc/<pid>/stat}, in nanoseconds: its own user and system time,
     * plus that of its children it has waited for when {@code withReapedChildren}.
     */
    static OptionalLong cpuNanos(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return OptionalLong.of(parseCpuTicks(stat, withReapedChildren) * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime (+ cutime + cstime): fields 14 to 17, counted after the command name in parentheses. */
    static long parseCpuTicks(String stat, boolean withReapedChildren) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks;
    }
}
