package org.homecoming.streams.view;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A table of the query API that can also be downloaded as CSV (RFC 4180): UTF-8 with a byte order mark, so
 * that Excel reads the Chinese names as UTF-8 rather than in the machine's ANSI code page, and CRLF line ends.
 * The columns are the JSON fields of the same answer, so a CSV row and a JSON row say the same.
 */
public interface CsvTable {

    /** {@code text/csv} in UTF-8. */
    MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    /** The {@code produces} value of a CSV mapping. */
    String TEXT_CSV_VALUE = "text/csv";

    /** Column names. */
    List<String> csvHeader();

    /** One list of cells per row, as many as the header has. */
    List<List<Object>> csvRows();

    /** The download's file name, without {@code .csv}. */
    String csvName();

    /** The table as CSV bytes: byte order mark, header, rows. */
    default byte[] toCsv() {
        StringBuilder text = new StringBuilder("\uFEFF");
        line(text, List.copyOf(csvHeader()));
        for (List<Object> row : csvRows()) {
            line(text, row);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The 200 answer of a CSV download: the bytes, {@code text/csv;charset=UTF-8} and an attachment name. */
    default ResponseEntity<byte[]> csvResponse() {
        return ResponseEntity.ok()
                .contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(csvName() + ".csv").build().toString())
                .body(toCsv());
    }

    /** Yuan ×10,000 (万元) of an amount in fen, exact: 1 万元 is 1,000,000 fen. */
    static BigDecimal wanYuan(long fen) {
        BigDecimal value = BigDecimal.valueOf(fen).movePointLeft(6).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    private static void line(StringBuilder text, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(cell(cells.get(i)));
        }
        text.append("\r\n");
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
