package org.homecoming.streams.view;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.homecoming.streams.lifecycle.RunningStreams;
import org.homecoming.streams.topology.Bucket;
import org.homecoming.streams.topology.Names;

/**
 * Finds totals in the view store of whichever instance owns each bucket: its own store for buckets of
 * its partitions, one forwarded request per other owning instance ({@code /internal/v1/totals}) for
 * the rest. Owners come from the {@code application.server} metadata of the view application. Each bucket's key
 * is serialised once, and those bytes both find its owner and read the store.
 */
public class StreamsTotalsLookup implements TotalsLookup {

    /** The keys are serialised already: the partitioner hashes exactly the bytes the store holds. */
    private static final Serializer<Bytes> SERIALIZED = new BytesSerializer();

    private final RunningStreams view;
    private final TotalsViewCodec codec;
    private final TotalsForwarder forwarder;
    private final HostInfo self;

    /**
     * @param view the view application's client, as its factory bean runs it
     * @param self the {@code application.server} this instance advertises
     */
    public StreamsTotalsLookup(RunningStreams view, HostInfo self, TotalsViewCodec codec, TotalsForwarder forwarder) {
        this.view = view;
        this.codec = codec;
        this.forwarder = forwarder;
        this.self = self;
    }

    @Override
    public Map<Bucket, StoredTotals> find(Collection<Bucket> buckets) {
        KafkaStreams streams = running();
        Map<HostInfo, Map<Bucket, Bytes>> byOwner = new LinkedHashMap<>();
        for (Bucket bucket : buckets) {
            Bytes key = codec.key(bucket);
            byOwner.computeIfAbsent(owner(streams, bucket, key), h -> new LinkedHashMap<>()).put(bucket, key);
        }
        Map<Bucket, StoredTotals> found = new HashMap<>();
        for (Map.Entry<HostInfo, Map<Bucket, Bytes>> owned : byOwner.entrySet()) {
            List<StoredTotals> answer = owned.getKey().equals(self)
                    ? readLocal(streams, owned.getValue().values())
                    : forwarder.fetch(owned.getKey(), new ArrayList<>(owned.getValue().keySet()));
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
        List<Bytes> keys = new ArrayList<>(buckets.size());
        for (Bucket bucket : buckets) {
            Bytes key = codec.key(bucket);
            HostInfo owner = owner(streams, bucket, key);
            if (!owner.equals(self)) {
                throw new ViewUnavailableException("Bucket " + bucket.text() + " is owned by " + owner.host() + ":"
                        + owner.port() + ", not by this instance");
            }
            keys.add(key);
        }
        return readLocal(streams, keys);
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

    private static HostInfo owner(KafkaStreams streams, Bucket bucket, Bytes key) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(Names.TOTALS_VIEW_STORE, key, SERIALIZED);
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw new ViewUnavailableException("No instance owns the totals of " + bucket.text()
                    + " yet (the view is starting or rebalancing)");
        }
        return metadata.activeHost();
    }

    private List<StoredTotals> readLocal(KafkaStreams streams, Collection<Bytes> keys) {
        try {
            ReadOnlyKeyValueStore<Bytes, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    Names.TOTALS_VIEW_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
            return codec.read(store, keys);
        } catch (InvalidStateStoreException e) {
            throw new ViewUnavailableException("The totals view store cannot be read now: " + e.getMessage(), e);
        }
    }
}
