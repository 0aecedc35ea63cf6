package org.homecoming.streams.view;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.homecoming.events.Totals;
import org.homecoming.events.TotalsKey;
import org.homecoming.streams.topology.Bucket;
import org.homecoming.streams.topology.Names;

/**
 * Finds totals in the view store of whichever instance owns each bucket: its own store for buckets of
 * its partitions, one forwarded request per other owning instance ({@code /internal/v1/totals}) for
 * the rest. Owners come from the {@code application.server} metadata of the view application.
 */
public class StreamsTotalsLookup implements TotalsLookup {

    private final TotalsViewService view;
    private final Serializer<TotalsKey> keySerializer;
    private final TotalsForwarder forwarder;
    private final HostInfo self;

    public StreamsTotalsLookup(TotalsViewService view, Serializer<TotalsKey> keySerializer, TotalsForwarder forwarder) {
        this.view = view;
        this.keySerializer = keySerializer;
        this.forwarder = forwarder;
        this.self = new HostInfo(view.properties().advertisedHost(), view.properties().advertisedPort());
    }

    @Override
    public Map<Bucket, StoredTotals> find(Collection<Bucket> buckets) {
        KafkaStreams streams = running();
        Map<HostInfo, List<Bucket>> byOwner = new LinkedHashMap<>();
        for (Bucket bucket : buckets) {
            byOwner.computeIfAbsent(owner(streams, bucket), h -> new ArrayList<>()).add(bucket);
        }
        Map<Bucket, StoredTotals> found = new HashMap<>();
        for (Map.Entry<HostInfo, List<Bucket>> owned : byOwner.entrySet()) {
            List<StoredTotals> answer = owned.getKey().equals(self)
                    ? readLocal(streams, owned.getValue())
                    : forwarder.fetch(owned.getKey(), owned.getValue());
            for (StoredTotals totals : answer) {
                found.put(totals.bucket(), totals);
            }
        }
        return found;
    }

    /**
     * The totals of buckets this instance owns, read from its own store only.
     *
     * @throws ViewUnavailableException when this instance does not own one of them (a rebalance moved it)
     */
    public List<StoredTotals> findLocal(Collection<Bucket> buckets) {
        KafkaStreams streams = running();
        for (Bucket bucket : buckets) {
            HostInfo owner = owner(streams, bucket);
            if (!owner.equals(self)) {
                throw new ViewUnavailableException("Bucket " + bucket.text() + " is owned by " + owner.host() + ":"
                        + owner.port() + ", not by this instance");
            }
        }
        return readLocal(streams, buckets);
    }

    /** The view's instances as the metadata of this one knows them. */
    public List<ViewInstance> instances() {
        return running().metadataForAllStreamsClients().stream()
                .filter(m -> m.stateStoreNames().contains(Names.TOTALS_VIEW_STORE))
                .map(m -> new ViewInstance(m.host(), m.port(), m.hostInfo().equals(self),
                        m.topicPartitions().stream().map(tp -> tp.topic() + "-" + tp.partition()).sorted().toList()))
                .sorted(Comparator.comparing(ViewInstance::host).thenComparing(ViewInstance::port))
                .toList();
    }

    private KafkaStreams running() {
        KafkaStreams streams = view.streams();
        if (streams == null || !streams.state().isRunningOrRebalancing()) {
            throw new ViewUnavailableException("The totals view is not running ("
                    + (streams == null ? "not started" : streams.state()) + ")");
        }
        return streams;
    }

    private HostInfo owner(KafkaStreams streams, Bucket bucket) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(Names.TOTALS_VIEW_STORE, bucket.toKey(), keySerializer);
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw new ViewUnavailableException("No instance owns the totals of " + bucket.text()
                    + " yet (the view is starting or rebalancing)");
        }
        return metadata.activeHost();
    }

    private static List<StoredTotals> readLocal(KafkaStreams streams, Collection<Bucket> buckets) {
        try {
            ReadOnlyKeyValueStore<TotalsKey, Totals> store = streams.store(StoreQueryParameters.fromNameAndType(
                    Names.TOTALS_VIEW_STORE, QueryableStoreTypes.<TotalsKey, Totals>keyValueStore()));
            List<StoredTotals> found = new ArrayList<>(buckets.size());
            for (Bucket bucket : buckets) {
                Totals totals = store.get(bucket.toKey());
                if (totals != null) {
                    found.add(StoredTotals.of(totals));
                }
            }
            return found;
        } catch (InvalidStateStoreException e) {
            throw new ViewUnavailableException("The totals view store cannot be read now: " + e.getMessage(), e);
        }
    }
}
