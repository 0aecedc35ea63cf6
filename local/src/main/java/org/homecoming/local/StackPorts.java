package org.homecoming.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

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

    /** The documented ports of {@code ./homecoming demo} and {@code ./homecoming up}. */
    public static StackPorts defaults() {
        return new StackPorts(9092, 9093, 8081, 15432, 8080, 8082, 8083);
    }

    /** Free ports picked by the operating system, for tests that run beside other stacks. */
    public static StackPorts free() {
        return new StackPorts(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
