package org.homecoming.sink;

/**
 * PostgreSQL or the schema registry could not take a batch; the container retries the same batch with back-off.
 * The message names the cause (an SQLSTATE and PostgreSQL's primary message), never a record's data.
 */
final class SinkUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
