package org.homecoming.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.events.RegistrationRetracted;
import org.homecoming.events.Totals;
import org.homecoming.schemas.region.Regions;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.model.RandomRegistrations;
import org.homecoming.streams.model.ReferenceModel;
import org.homecoming.streams.model.SentRecord;

/**
 * Random traffic of many people through the production topology equals the reference model in every
 * bucket, and no bucket is ever written below zero. The stores are kept in memory here: the test driver
 * commits after each record, and a RocksDB flush per commit would make each try 25 times slower. The
 * stores' kind does not touch the rules; the embedded-stack test runs the same traffic on RocksDB.
 */
class CountingRulesProperties {

    static final int TRIES = 120;
    static final int RESTART_TRIES = 100;

    @Property(tries = TRIES)
    void every_bucket_of_the_topology_equals_the_reference_model(@ForAll long seed,
                                                                  @ForAll @IntRange(min = 1, max = 12) int people,
                                                                  @ForAll @IntRange(min = 1, max = 120) int records) {
        List<SentRecord> sent = RandomRegistrations.generate(seed, people, records, Regions.shanxi());
        ReferenceModel model = ReferenceModel.of(Regions.shanxi(), sent);
        Path stateDir = tempDir();
        try (TopologyFixture fixture = new TopologyFixture(stateDir, Stores::inMemoryKeyValueStore)) {
            sent.forEach(fixture::send);

            assertEveryOutputEqualsTheModel(fixture, model);
        } finally {
            delete(stateDir);
        }
        Statistics.label("rejected").collect(model.rejections().isEmpty() ? "none" : "some");
        Statistics.label("duplicates").collect(model.duplicates() == 0 ? "none" : "some");
        Statistics.label("retractions accepted").collect(model.accepted().stream()
                .anyMatch(e -> e.getPayload() instanceof RegistrationRetracted) ? "some" : "none");
    }

    /**
     * The same traffic with the application closed and started again on its state directory at random points,
     * each right after a record whose change the local phase has not flushed: the partials rebuilt from the
     * committed person ledger, and only what differs from what was sent, must still end in every bucket of the
     * model. The stores survive the restart as they would be restored from their changelogs.
     */
    @Property(tries = RESTART_TRIES)
    void every_bucket_equals_the_reference_model_when_the_application_restarts_mid_sequence(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int people,
            @ForAll @IntRange(min = 1, max = 60) int records, @ForAll @IntRange(min = 1, max = 4) int restarts) {
        List<SentRecord> sent = RandomRegistrations.generate(seed, people, records, Regions.shanxi());
        ReferenceModel model = ReferenceModel.of(Regions.shanxi(), sent);
        Random random = new Random(seed);
        Set<Integer> restartAfter = new HashSet<>();
        for (int i = 0; i < restarts; i++) {
            restartAfter.add(random.nextInt(sent.size()));
        }
        Path stateDir = tempDir();
        try (TopologyFixture fixture = new TopologyFixture(stateDir, new SurvivingStores())) {
            for (int i = 0; i < sent.size(); i++) {
                if (restartAfter.contains(i)) {
                    fixture.sendWithoutFlush(sent.get(i));
                    fixture.restart();
                } else {
                    fixture.send(sent.get(i));
                }
            }

            assertEveryOutputEqualsTheModel(fixture, model);
        } finally {
            delete(stateDir);
        }
    }

    private static void assertEveryOutputEqualsTheModel(TopologyFixture fixture, ReferenceModel model) {
        assertThat(fixture.nonZeroTotals()).isEqualTo(model.totals());
        assertThat(fixture.rejectedReasons()).isEqualTo(model.rejections());
        assertThat(fixture.accepted()).isEqualTo(model.accepted());
        assertThat(fixture.totalsRecords()).noneMatch(CountingRulesProperties::negative);
    }

    private static boolean negative(Totals t) {
        return new Metrics(t.getReturnees(), t.getEmployedNearHome(), t.getBusinessesStarted(), t.getGuaranteedLoansFen(),
                t.getJobsCreated(), t.getTrained()).anyNegative();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("homecoming-properties");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
