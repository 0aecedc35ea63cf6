package org.homecoming.sink;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.regex.Pattern;

import org.postgresql.util.PSQLException;

/**
 * Sorts PostgreSQL's refusals into the ones worth retrying and the ones a given record will always get.
 * Only data errors of one record (SQLSTATE classes 22 and 23: bad value, constraint violation) are
 * permanent; everything else (08 connection, 40 serialization/deadlock, 53 resources, 57P shutdown, no state
 * at all from a pool time-out, even 42 from a missing migration) is retried, because skipping data is worse
 * than waiting for an operator.
 */
public final class SqlErrors {

    private static final Pattern LONG_NUMBER = Pattern.compile("\\d{12,}[0-9Xx]?");

    private SqlErrors() {
    }

    /** True when the error is about the data of the statement and will repeat on every attempt. */
    public static boolean isPermanentDataError(SQLException e) {
        String state = sqlState(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The most specific SQLSTATE in the chain: a batch's own state or that of the statement that failed in it. */
    public static String sqlState(SQLException e) {
        String found = null;
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                found = sql.getSQLState();
                if (!(t instanceof BatchUpdateException)) {
                    return found;
                }
            }
        }
        return found;
    }

    /**
     * A reason fit for a header or a log line: the SQLSTATE and PostgreSQL's primary message without its detail
     * (which quotes the failing row), any long digit run (an ID number that should never have been sent) masked.
     */
    public static String reason(SQLException e) {
        String message = null;
        for (Throwable t = e; t != null && message == null; t = next(t)) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                message = psql.getServerErrorMessage().getMessage();
            }
        }
        if (message == null) {
            message = e.getMessage();
        }
        return sqlState(e) + ": " + LONG_NUMBER.matcher(String.valueOf(message)).replaceAll("[redacted]");
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }
}
