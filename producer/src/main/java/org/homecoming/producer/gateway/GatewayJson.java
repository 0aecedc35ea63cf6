package org.homecoming.producer.gateway;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's one JSON mapper, for the bodies it reads and writes itself. Its buffers are recycled per
 * thread: Jackson's default pool is a lock-free deque shared by every thread, and with a parse and a write
 * per request its contention cost more than the parsing ({@code docs/tuning.md}, "Gateway at 10,000
 * requests/s"). The gateway's threads are pooled platform threads, so a buffer per thread stays bounded.
 */
final class GatewayJson {

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build();

    private GatewayJson() {
    }
}
