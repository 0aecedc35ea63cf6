package org.homecoming.streams.rocksdb;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store in the JVM, as the Kafka Streams memory-management
 * guide describes: one block cache shared by all stores, which also holds index and filter blocks and
 * is charged for the memtables through one write-buffer manager. Without it each store instance (one per
 * task and store: 18 in the embedded stack) may take a 50 MiB block cache and three 16 MiB memtables.
 *
 * <p>Kafka Streams creates this class by reflection, so the shared cache is static; it is never closed,
 * because every store of the JVM uses it until the JVM ends.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /**
     * Everything RocksDB may hold in memory: blocks, index and filter blocks, and memtables. 64 MiB keeps the
     * embedded stack under 1.5 GiB at scale 1.0; reads that miss it come from the OS page cache
     * (docs/tuning.md, changes 9 and 11).
     */
    public static final long TOTAL_BYTES = 64L * 1024 * 1024;
    /** The part of {@link #TOTAL_BYTES} memtables may use before stores must flush them; 16 MiB cost a quarter more CPU. */
    public static final long MEMTABLE_BYTES = 32L * 1024 * 1024;
    private static final long MEMTABLE_SIZE = 8L * 1024 * 1024;
    private static final int MEMTABLES_PER_STORE = 2;
    private static final double INDEX_AND_FILTER_SHARE = 0.1;

    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, INDEX_AND_FILTER_SHARE);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_SIZE);
        options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store of the JVM: not closed per store.
    }
}
