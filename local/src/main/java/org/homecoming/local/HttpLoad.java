package org.homecoming.local;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A closed-loop HTTP/1.1 load: a fixed number of keep-alive connections, each sending its next request
 * as soon as the previous one is answered, all driven by one selector thread. The requests are complete
 * HTTP messages built before the clock starts, so the client spends its CPU on sockets, not on building
 * requests; on two cores a general-purpose client with a thread per request would be the bottleneck.
 */
final class HttpLoad {

    /**
     * What a run measured.
     *
     * @param latencies      per request, nanoseconds from its first byte written to its response's last byte read
     * @param wallNanos      the whole run
     * @param statuses       responses per HTTP status
     * @param failures       requests without a complete response (the connection failed or closed first)
     * @param clientCpuNanos CPU time of the thread that drove the load
     */
    record Result(long[] latencies, long wallNanos, Map<Integer, Integer> statuses, int failures, long clientCpuNanos) {

        /** Responses with a status. */
        int count(int status) {
            return statuses.getOrDefault(status, 0);
        }
    }

    private HttpLoad() {
    }

    /** A POST with a JSON body, as bytes on the wire. */
    static byte[] post(URI uri, String token, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + port(uri) + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(content, 0, message, headBytes.length, content.length);
        return message;
    }

    /** Sends every request once, over {@code connections} connections, and waits for every answer. */
    static Result run(URI uri, List<byte[]> requests, int connections) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBegin = threads.getCurrentThreadCpuTime();
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), port(uri));
        long[] latencies = new long[requests.size()];
        Map<Integer, Integer> statuses = new TreeMap<>();
        int failures = 0;
        int next = 0;
        int done = 0;
        long begin = System.nanoTime();
        try (Selector selector = Selector.open()) {
            for (int c = 0; c < Math.min(connections, requests.size()); c++) {
                Connection connection = new Connection(address, selector);
                connection.send(next, requests.get(next));
                next++;
            }
            while (done < requests.size()) {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Connection connection = (Connection) key.attachment();
                    if (key.isValid() && key.isWritable()) {
                        connection.writeMore();
                    }
                    if (!key.isValid() || !key.isReadable()) {
                        continue;
                    }
                    int outcome = connection.read();
                    if (outcome == Connection.PENDING) {
                        continue;
                    }
                    done++;
                    latencies[connection.index] = System.nanoTime() - connection.sentAt;
                    if (outcome == Connection.FAILED) {
                        failures++;
                    } else {
                        statuses.merge(outcome, 1, Integer::sum);
                    }
                    if (!connection.reusable()) {
                        connection.close();
                        if (next < requests.size()) {
                            connection = new Connection(address, selector);
                        }
                    }
                    if (next < requests.size()) {
                        connection.send(next, requests.get(next));
                        next++;
                    } else {
                        connection.close();
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                ((Connection) key.attachment()).close();
            }
        }
        long wall = System.nanoTime() - begin;
        return new Result(latencies, wall, statuses, failures, threads.getCurrentThreadCpuTime() - cpuBegin);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 80;
    }

    /** One keep-alive connection with at most one request in flight. */
    private static final class Connection {
        static final int PENDING = -1;
        static final int FAILED = -2;

        private final SocketChannel channel;
        private final SelectionKey key;
        private final ResponseReader reader = new ResponseReader();
        private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        private ByteBuffer out;
        private int index;
        private long sentAt;
        private boolean broken;

        Connection(InetSocketAddress address, Selector selector) throws IOException {
            channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ, this);
        }

        void send(int requestIndex, byte[] request) throws IOException {
            index = requestIndex;
            reader.reset();
            out = ByteBuffer.wrap(request);
            sentAt = System.nanoTime();
            writeMore();
        }

        void writeMore() throws IOException {
            try {
                channel.write(out);
            } catch (IOException e) {
                broken = true;
                out.position(out.limit());
            }
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** The response's status once complete, {@link #PENDING} before, {@link #FAILED} on a closed connection. */
        int read() {
            int read;
            try {
                in.clear();
                read = channel.read(in);
            } catch (IOException e) {
                read = -1;
            }
            if (read < 0) {
                broken = true;
                return FAILED;
            }
            in.flip();
            return reader.feed(in) ? reader.status() : PENDING;
        }

        boolean reusable() {
            return !broken && reader.keepAlive();
        }

        void close() throws IOException {
            key.cancel();
            channel.close();
        }
    }

    /**
     * Reads one HTTP/1.1 response: status line, headers, then a body of {@code Content-Length} bytes or in
     * chunks. Keeps only what it needs (status, whether the server keeps the connection open), not the body.
     */
    static final class ResponseReader {
        private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, DONE }

        private final StringBuilder line = new StringBuilder();
        private State state;
        private int status;
        private long remaining;
        private boolean chunked;
        private boolean keepAlive;

        ResponseReader() {
            reset();
        }

        void reset() {
            line.setLength(0);
            state = State.HEAD;
            status = 0;
            remaining = 0;
            chunked = false;
            keepAlive = true;
        }

        int status() {
            return status;
        }

        boolean keepAlive() {
            return keepAlive;
        }

        /** Consumes bytes of the response; true once it is complete. */
        boolean feed(ByteBuffer bytes) {
            while (bytes.hasRemaining() && state != State.DONE) {
                switch (state) {
                    case BODY, CHUNK_DATA -> {
                        int skip = (int) Math.min(remaining, bytes.remaining());
                        bytes.position(bytes.position() + skip);
                        remaining -= skip;
                        if (remaining == 0) {
                            state = state == State.BODY ? State.DONE : State.CHUNK_END;
                        }
                    }
                    default -> {
                        char c = (char) (bytes.get() & 0xff);
                        if (c == '\n') {
                            endOfLine();
                        } else if (c != '\r') {
                            line.append(c);
                        }
                    }
                }
            }
            return state == State.DONE;
        }

        private void endOfLine() {
            String text = line.toString();
            line.setLength(0);
            switch (state) {
                case HEAD -> header(text);
                case CHUNK_SIZE -> {
                    int extension = text.indexOf(';');
                    remaining = Long.parseLong((extension < 0 ? text : text.substring(0, extension)).trim(), 16);
                    state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                }
                case CHUNK_END -> state = State.CHUNK_SIZE;
                case TRAILER -> {
                    if (text.isEmpty()) {
                        state = State.DONE;
                    }
                }
                default -> throw new IllegalStateException("No line expected in state " + state);
            }
        }

        private void header(String text) {
            if (status == 0) {
                // "HTTP/1.1 202 " or "HTTP/1.1 202 Accepted"
                int space = text.indexOf(' ');
                status = Integer.parseInt(text.substring(space + 1, space + 4));
                return;
            }
            if (!text.isEmpty()) {
                int colon = text.indexOf(':');
                String name = text.substring(0, colon).trim();
                String value = text.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    remaining = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    keepAlive = false;
                }
                return;
            }
            if (chunked) {
                state = State.CHUNK_SIZE;
            } else {
                state = remaining == 0 ? State.DONE : State.BODY;
            }
        }
    }
}
