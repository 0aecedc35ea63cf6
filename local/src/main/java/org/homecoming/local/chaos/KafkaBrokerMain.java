package org.homecoming.local.chaos;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.homecoming.local.KafkaBroker;

/**
 * The embedded broker in a JVM of its own, so that the fault matrix can SIGKILL or SIGTERM it:
 * {@code KafkaBrokerMain <log dir> <port> <controller port> [transaction version]}. SIGTERM shuts it down in order.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        short transactionVersion = args.length > 3 ? Short.parseShort(args[3]) : 1;
        KafkaBroker broker = KafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                transactionVersion);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        stopped.await();
    }
}
