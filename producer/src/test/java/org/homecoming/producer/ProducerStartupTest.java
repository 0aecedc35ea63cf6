package org.homecoming.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.homecoming.producer.gateway.Terminals;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class ProducerStartupTest {

    private static final String[] COMMON = {"--server.port=0", "--homecoming.producer.bootstrap-servers=localhost:1",
        "--homecoming.producer.schema-registry-url=http://localhost:1", "--homecoming.producer.max-block=1s"};

    private static String[] args(String... more) {
        String[] all = new String[COMMON.length + more.length];
        System.arraycopy(COMMON, 0, all, 0, COMMON.length);
        System.arraycopy(more, 0, all, COMMON.length, more.length);
        return all;
    }

    @Test
    void the_gateway_refuses_to_start_without_a_person_key_outside_the_demo_profile() {
        assertThatThrownBy(() -> ProducerApplication.application().run(args("--homecoming.producer.person-key=")))
                .hasStackTraceContaining("personKey");
    }

    @Test
    void the_gateway_refuses_a_person_key_shorter_than_32_bytes_without_printing_it() {
        String shortKey = "c2hvcnQta2V5LTE2LWJ5dGVz"; // "short-key-16-bytes"
        assertThatThrownBy(() -> ProducerApplication.application().run(args("--homecoming.producer.person-key=" + shortKey)))
                .hasStackTraceContaining("at least 32 bytes")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(shortKey));
    }

    @Test
    void a_terminal_serving_an_unknown_region_is_refused_at_start() {
        assertThatThrownBy(() -> ProducerApplication.application().run(args("--spring.profiles.active=demo",
                "--homecoming.producer.terminals[0].id=T-X",
                "--homecoming.producer.terminals[0].token-sha256=" + "a".repeat(64),
                "--homecoming.producer.terminals[0].townships[0]=149999")))
                .hasStackTraceContaining("serves unknown region 149999");
    }

    @Test
    void the_demo_profile_starts_with_its_public_key_and_demo_terminal() {
        try (ConfigurableApplicationContext context = ProducerApplication.application()
                .run(args("--spring.profiles.active=demo"))) {
            Terminals terminals = context.getBean(Terminals.class);
            Optional<Terminals.Terminal> demo = terminals.authenticate("Bearer demo-terminal-token");
            assertThat(demo).map(Terminals.Terminal::id).contains("T-DEMO-01");
            assertThat(terminals.serves(demo.orElseThrow(), "141102001")).isTrue();
            assertThat(terminals.authenticate("Bearer demo-terminal-token2")).isEmpty();
            assertThat(terminals.authenticate("Basic demo-terminal-token")).isEmpty();
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
