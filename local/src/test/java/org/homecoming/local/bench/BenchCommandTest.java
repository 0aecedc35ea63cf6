package org.homecoming.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    static BenchOptions parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }

    @Test
    void the_defaults_are_the_issue_s_full_run() {
        BenchOptions options = parse();

        assertThat(options.endToEndEvents()).isEqualTo(807_000);
        assertThat(options.rate()).isEqualTo(10_000);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.yardstickRecords()).isEqualTo(1_000_000);
        assertThat(options.out()).isEqualTo(Path.of("target/bench"));
        assertThat(options.quick()).isFalse();
    }

    @Test
    void scale_events_rate_and_duration_are_taken_and_events_override_scale() {
        assertThat(parse("--scale", "0.1").endToEndEvents()).isEqualTo(80_700);
        BenchOptions options = parse("--scale", "0.1", "--events", "1234", "--rate", "500", "--duration", "7",
                "--out", "x/y");
        assertThat(options.endToEndEvents()).isEqualTo(1234);
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.out()).isEqualTo(Path.of("x/y"));
    }

    @Test
    void quick_uses_small_sizes_but_keeps_the_output_folder() {
        BenchOptions options = parse("--quick", "--rate", "99999", "--out", "somewhere");

        assertThat(options.quick()).isTrue();
        assertThat(options.endToEndEvents()).isEqualTo(5_000);
        assertThat(options.yardstickRecords()).isEqualTo(50_000);
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.out()).isEqualTo(Path.of("somewhere"));
    }

    @Test
    void a_rate_below_the_probe_rate_or_a_zero_duration_is_refused() {
        assertThatThrownBy(() -> parse("--rate", "2", "--probes-per-second", "5"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--duration", "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--scale", "0")).isInstanceOf(IllegalArgumentException.class);
    }
}
