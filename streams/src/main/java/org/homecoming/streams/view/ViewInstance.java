package org.homecoming.streams.view;

import java.util.List;

/**
 * One instance of the view application.
 *
 * @param host       advertised host
 * @param port       advertised HTTP port
 * @param self       true for the instance answering
 * @param partitions the totals-topic partitions whose store it serves ({@code homecoming.totals-3})
 */
public record ViewInstance(String host, int port, boolean self, List<String> partitions) {
}
