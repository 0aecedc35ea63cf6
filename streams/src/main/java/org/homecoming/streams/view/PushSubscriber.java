package org.homecoming.streams.view;

import java.io.IOException;

/** One open push stream. */
public interface PushSubscriber {

    /** Sends a named event with a JSON body. */
    void send(String event, Object data) throws IOException;

    /** Sends a comment that keeps proxies and the browser from closing an idle stream. */
    void heartbeat() throws IOException;

    /** Ends the stream from the server side. */
    void close();
}
