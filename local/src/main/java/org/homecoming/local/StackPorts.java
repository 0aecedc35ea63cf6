package org.homecoming.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ports of the embedded stack. The defaults are fixed and documented; tests ask for free ones.
 *
 * @param kafka      Kafka client port
 * @param controller KRaft controller port
 * @param registry   schema registry HTTP port
 * @param postgres   PostgreSQL port
 * @param producer   intake gateway HTTP port
 * @param streams    streams service HTTP port
 * @param sink       sink service HTTP port
 */
public record StackPorts(int kafka, int controller, int registry, int postgres, int producer, int streams, int sink) {

    // Free ports come from below Linux's ephemeral range (32768-60999): a port the OS hands out for ServerSocket(0)
    // is also one it may give the next outgoing client connection before the service binds it ("port already in
    // use" seen in CI). Each JVM starts at a random place and walks on, so stacks of one JVM never share a port.
    private static final int LOWEST = 20_000;
    private static final int RANGE = 12_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(RANGE));

    /** The documented ports of {@code ./homecoming demo} and {@code ./homecoming up}. */
    public static StackPorts defaults() {
        return new StackPorts(9092, 9093, 8081, 15432, 8080, 8082, 8083);
    }

    /** Ports free right now, for tests that run beside other stacks. */
    public static StackPorts free() {
        return new StackPorts(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
    }

    private static int freePort() {
        for (int attempt = 0; attempt < RANGE; attempt++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), RANGE);
            if (available(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + LOWEST + " and " + (LOWEST + RANGE - 1));
    }

    private static boolean available(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
