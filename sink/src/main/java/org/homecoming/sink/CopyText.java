package org.homecoming.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rows in PostgreSQL's {@code COPY ... FROM STDIN} text format: one line per row, columns separated by a tab,
 * {@code \N} for null, and backslash, tab, newline and carriage return escaped inside a value. A value is written as
 * its {@code toString()}, the same text the unnest form casts on the server (ISO dates and instants, UUIDs).
 */
final class CopyText {

    private CopyText() {
    }

    /**
     * The rows as UTF-8 (the encoding pgjdbc always sets for its sessions). Encoded here in one piece rather than
     * through {@code CopyManager.copyIn(String, Reader)}: that encodes each buffer of characters on its own, so a
     * character outside the BMP whose surrogate pair straddled a buffer boundary would be mangled.
     */
    static byte[] encode(List<? extends SinkRow> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 192);
        for (SinkRow row : rows) {
            appendRow(text, row.values());
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void appendRow(StringBuilder text, Object[] values) {
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                text.append('\t');
            }
            appendValue(text, values[c]);
        }
        text.append('\n');
    }

    static void appendValue(StringBuilder text, Object value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(ch);
            }
        }
    }
}
