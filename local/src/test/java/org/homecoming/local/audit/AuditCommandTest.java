package org.homecoming.local.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.homecoming.local.HomecomingCommand;
import org.homecoming.local.StackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {

    @Test
    void an_unreachable_broker_gives_exit_code_2() {
        int nobody = StackPorts.free().kafka();

        int exit = new CommandLine(new HomecomingCommand()).execute("audit", "--bootstrap-servers", "localhost:" + nobody,
                "--timeout", "PT2S");

        assertThat(exit).isEqualTo(AuditReport.CANNOT_RUN);
    }

    @Test
    void the_audit_is_a_subcommand_with_its_options_documented() {
        StringWriter help = new StringWriter();
        CommandLine command = new CommandLine(new HomecomingCommand());
        command.setOut(new PrintWriter(help));

        command.execute("audit", "--help");

        assertThat(help.toString()).contains("--bootstrap-servers", "--registry", "--database", "--database-user",
                "--database-password", "--application-id", "--attempts", "--kafka-security-protocol", "--kafka-sasl-username",
                "--kafka-sasl-password", "--secure", "--secrets-dir");
    }

    @Test
    void secure_without_the_passwords_of_a_secured_stack_gives_exit_code_2_and_generates_none(@TempDir Path dir) {
        Path secrets = dir.resolve("secrets");

        int exit = new CommandLine(new HomecomingCommand()).execute("audit", "--secure", "--secrets-dir", secrets.toString(),
                "--timeout", "PT2S");

        assertThat(exit).isEqualTo(AuditReport.CANNOT_RUN);
        assertThat(secrets.resolve("kafka-admin")).doesNotExist();
    }

    @Test
    void sasl_without_a_password_gives_exit_code_2() {
        int exit = new CommandLine(new HomecomingCommand()).execute("audit", "--kafka-security-protocol", "SASL_PLAINTEXT",
                "--kafka-sasl-username", "kafka-admin", "--kafka-sasl-password", "", "--timeout", "PT2S");

        assertThat(exit).isEqualTo(AuditReport.CANNOT_RUN);
    }
}
