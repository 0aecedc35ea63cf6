package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcFsTest {

    private static final String STAT = "4242 (postgres: walwriter) S 1 4242 4242 0 -1 4194368 120 0 0 0 "
            + "37 12 5 3 20 0 1 0 1000 200000000 3000 18446744073709551615";

    @Test
    void cpu_ticks_are_user_plus_system_time_and_the_reaped_children_only_when_asked() {
        assertThat(ProcFs.parseCpuTicks(STAT, false)).isEqualTo(37 + 12);
        assertThat(ProcFs.parseCpuTicks(STAT, true)).isEqualTo(37 + 12 + 5 + 3);
    }

    @Test
    void a_command_name_with_spaces_and_parentheses_does_not_shift_the_fields() {
        String stat = "7 (a (b) c) S 1 7 7 0 -1 0 0 0 0 0 100 200 0 0 20 0 1 0";
        assertThat(ProcFs.parseCpuTicks(stat, false)).isEqualTo(300);
    }

    @Test
    void kilobyte_figures_become_bytes_and_anything_else_is_refused() {
        assertThat(ProcFs.parseKb("   123456 kB")).isEqualTo(123456L * 1024);
        assertThatThrownBy(() -> ProcFs.parseKb("12 MB")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void this_jvm_has_a_peak_resident_size_on_linux_and_an_unknown_process_has_none() {
        assertThat(ProcFs.statusBytes("self", "VmHWM").orElseThrow()).isPositive();
        assertThat(ProcFs.statusBytes("self", "NoSuchField")).isEmpty();
        assertThat(ProcFs.cpuNanos(Long.MAX_VALUE, true)).isEmpty();
        assertThat(ProcFs.cpuNanos(ProcessHandle.current().pid(), false).orElseThrow()).isNotNegative();
    }
}
