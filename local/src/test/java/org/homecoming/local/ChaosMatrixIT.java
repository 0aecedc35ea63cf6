package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.homecoming.local.chaos.ChaosRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small fault matrix ({@code ./homecoming chaos} with 2 faults per scenario at scale 0.01, one zombie: each of
 * its stops lasts a session timeout, 45 s, the dearest fault of the matrix): the service jars
 * as separate processes against a broker in its own JVM, all seven scenarios on one stack, and after each scenario
 * the audit agrees.
 */
class ChaosMatrixIT {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosMatrixIT.class);

    @TempDir
    Path dir;

    @Test
    void a_few_faults_of_each_scenario_during_noisy_replays_leave_the_audit_agreeing() throws Exception {
        Path root = ComposeFileTest.composeFile().getParent();
        ChaosRun.Options options = new ChaosRun.Options(root, dir.resolve("chaos"),
                List.of("streams", "sink", "postgres", "poison", "broker", "gateway", "zombie=1"), 2, 0.01, 42, (short) 1);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<ChaosRun.Outcome> outcomes;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
             ChaosRun run = ChaosRun.start(options, out)) {
            outcomes = run.runAll();
        }
        LOG.info("The small fault matrix:\n{}", output.toString(StandardCharsets.UTF_8));
        assertThat(outcomes).as("scenarios run").hasSize(7)
                .allSatisfy(outcome -> assertThat(outcome.passed()).as("%s passed: %s", outcome.scenario(), outcome)
                        .isTrue());
    }
}
