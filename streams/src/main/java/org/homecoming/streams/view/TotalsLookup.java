package org.homecoming.streams.view;

import java.util.Collection;
import java.util.Map;

import org.homecoming.streams.topology.Bucket;

/** Reads committed totals of buckets, wherever they live. */
public interface TotalsLookup {

    /**
     * The stored totals of the buckets that have any; a bucket without data is absent from the result.
     *
     * @throws ViewUnavailableException when the answer cannot be had now
     */
    Map<Bucket, StoredTotals> find(Collection<Bucket> buckets);
}
