package org.homecoming.local.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.homecoming.local.HomecomingCommand;
import org.homecoming.local.StackPorts;
import org.junit.jupiter.api.Test;
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
                "--database-password", "--application-id", "--attempts");
    }
}
