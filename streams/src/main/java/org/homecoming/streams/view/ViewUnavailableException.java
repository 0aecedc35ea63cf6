package org.homecoming.streams.view;

/**
 * The view cannot answer now (stores restoring, a rebalance, the owning instance not answering):
 * answered with 503 problem details and {@code Retry-After}.
 */
public class ViewUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ViewUnavailableException(String message) {
        super(message);
    }

    public ViewUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
