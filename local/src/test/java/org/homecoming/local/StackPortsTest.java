package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StackPortsTest {

    @Test
    void free_ports_are_distinct_bindable_and_below_the_ephemeral_range() throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StackPorts free = StackPorts.free();
            ports.addAll(List.of(free.kafka(), free.controller(), free.registry(), free.postgres(), free.producer(),
                    free.streams(), free.sink()));
        }

        assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port).isBetween(20_000, 31_999));
        try (ServerSocket socket = new ServerSocket(ports.get(0))) {
            assertThat(socket.getLocalPort()).isEqualTo(ports.get(0));
        }
    }

    @Test
    void a_port_in_use_is_skipped() throws IOException {
        int first = StackPorts.free().kafka();
        try (ServerSocket taken = new ServerSocket(first + 1)) {
            StackPorts next = StackPorts.free();

            assertThat(next.kafka()).isNotEqualTo(taken.getLocalPort());
        }
    }
}
