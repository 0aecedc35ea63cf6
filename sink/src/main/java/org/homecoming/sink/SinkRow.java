package org.homecoming.sink;

/**
 * A row the sink writes, as the values it binds in column order. Values are {@link String}, {@link Long},
 * {@link Integer} or objects whose {@code toString()} PostgreSQL reads as the column's type (dates, instants,
 * UUIDs), or null.
 */
interface SinkRow {

    /** The values in the column order of the statement. */
    Object[] values();
}
