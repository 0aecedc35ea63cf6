package org.homecoming.streams.topology;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * In-memory stores whose contents outlive the test driver, standing in for stores that a restarted
 * application restores from their changelogs. {@code TopologyTestDriver} restores nothing and deletes its
 * state directory when it closes, so a restart in a topology test needs this. The driver commits after every
 * input and every wall-clock advance, so what a store holds here is exactly what a commit made durable.
 */
final class SurvivingStores implements Function<String, KeyValueBytesStoreSupplier> {

    private final Map<String, NavigableMap<Bytes, byte[]>> contents = new ConcurrentHashMap<>();

    @Override
    public KeyValueBytesStoreSupplier apply(String name) {
        NavigableMap<Bytes, byte[]> map = contents.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new Store(name, map);
            }

            @Override
            public String metricsScope() {
                return "surviving";
            }
        };
    }

    private static final class Store implements KeyValueStore<Bytes, byte[]> {

        private final String name;
        private final NavigableMap<Bytes, byte[]> map;
        private final Position position = Position.emptyPosition();
        private volatile boolean open;

        Store(String name, NavigableMap<Bytes, byte[]> map) {
            this.name = name;
            this.map = map;
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            context.register(root, (key, value) -> put(Bytes.wrap(key), value));
            open = true;
        }

        @Override
        public void put(Bytes key, byte[] value) {
            if (value == null) {
                map.remove(key);
            } else {
                map.put(key, value);
            }
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            byte[] old = map.get(key);
            if (old == null) {
                put(key, value);
            }
            return old;
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public byte[] delete(Bytes key) {
            return map.remove(key);
        }

        @Override
        public byte[] get(Bytes key) {
            return map.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return iterator(map.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return iterator(map);
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void flush() {
            // nothing buffered
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public Position getPosition() {
            return position;
        }

        private static KeyValueIterator<Bytes, byte[]> iterator(NavigableMap<Bytes, byte[]> view) {
            Iterator<Map.Entry<Bytes, byte[]>> entries = List.copyOf(view.entrySet()).iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public KeyValue<Bytes, byte[]> next() {
                    Map.Entry<Bytes, byte[]> next = entries.next();
                    return KeyValue.pair(next.getKey(), next.getValue());
                }

                @Override
                public void close() {
                    // a copy: nothing to release
                }

                @Override
                public Bytes peekNextKey() {
                    throw new UnsupportedOperationException("not used by the topology");
                }
            };
        }
    }
}
