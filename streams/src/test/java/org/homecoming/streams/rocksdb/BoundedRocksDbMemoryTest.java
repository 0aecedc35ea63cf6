package org.homecoming.streams.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.homecoming.streams.view.TotalsViewTopology;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void every_store_shares_one_block_cache_that_also_holds_index_filter_blocks_and_memtables() {
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());

            new BoundedRocksDbMemory().setConfig("person-ledger-store", first, Map.of());
            new BoundedRocksDbMemory().setConfig("totals-store", second, Map.of());

            for (Options options : new Options[] {first, second}) {
                BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
                assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
                assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
                assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
                assertThat(options.writeBufferSize()).isEqualTo(8L * 1024 * 1024);
                assertThat(options.maxWriteBufferNumber()).isEqualTo(2);
            }
            assertThat(BoundedRocksDbMemory.MEMTABLE_BYTES).isLessThan(BoundedRocksDbMemory.TOTAL_BYTES);
        }
    }

    @Test
    void both_streams_applications_bound_their_stores_with_it() {
        Properties view = TotalsViewTopology.config("view", "localhost:9092", Path.of("state").toString(), "localhost:8082", 1);

        assertThat(view.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbMemory.class);
    }
}
