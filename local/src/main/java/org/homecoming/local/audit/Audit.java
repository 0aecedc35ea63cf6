package org.homecoming.local.audit;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.local.audit.AuditReport.ReasonCount;
import org.homecoming.local.audit.Differences.Source;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.region.Regions;
import org.homecoming.schemas.registry.RestSchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryClient;
import org.homecoming.schemas.registry.SchemaRegistryException;
import org.homecoming.streams.counting.Metrics;
import org.homecoming.streams.topology.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recounts the registrations topic, as far as the counting group has committed it, with the reference model, and holds
 * every output of the pipeline against it: the totals topic and {@code region_totals} bucket by bucket, the accepted
 * topic and {@code registration_event} event by event, the rejected topic record by record; and checks that no
 * transaction is left open on an output topic. In the manner of Kafka's own exactly-once system tests, which recount
 * the committed input and compare every output.
 *
 * <p>An attempt that finds a difference is repeated (up to {@link AuditOptions#attempts()}), each reading on from where
 * the last stopped, so a pipeline still catching up (a sink behind the totals topic, partials not yet flushed) is
 * given time. The audit is exact when the pipeline is idle; a report says whether the counting group moved while it ran.
 */
public final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final AuditOptions options;
    private final KafkaSide kafka;
    private final PostgresSide postgres;
    private final Recount recount;
    private final Outputs outputs;
    private final PartitionReader registrations;
    private final PartitionReader totals;
    private final PartitionReader accepted;
    private final PartitionReader rejected;
    private long inputNanos;

    private Audit(AuditOptions options, KafkaSide kafka, SchemaRegistryClient registry) {
        this.options = options;
        this.kafka = kafka;
        this.postgres = new PostgresSide(options);
        this.recount = new Recount(Regions.shanxi(), registry);
        this.outputs = new Outputs(recount.accepted(), registry, options.listed());
        this.registrations = kafka.reader(Topics.REGISTRATIONS.name());
        this.totals = kafka.reader(Topics.TOTALS.name());
        this.accepted = kafka.reader(Topics.ACCEPTED.name());
        this.rejected = kafka.reader(Topics.REJECTED.name());
    }

    /**
     * Runs the audit.
     *
     * @throws AuditException when it cannot: Kafka, the registry or PostgreSQL unusable, or no counting group
     */
    public static AuditReport run(AuditOptions options) {
        long begin = System.nanoTime();
        SchemaRegistryClient registry = new RestSchemaRegistryClient(options.registryUrl(), options.timeout());
        try (KafkaSide kafka = KafkaSide.connect(options)) {
            Audit audit = new Audit(options, kafka, registry);
            audit.postgres.check();
            for (int attempt = 1; ; attempt++) {
                AuditReport report = audit.attempt(attempt, begin);
                LOG.info("Audit attempt {}: {} differences", attempt, report.differences().count());
                if (report.isClean() || attempt >= options.attempts()) {
                    return report;
                }
                pause(options.retryInterval());
            }
        } catch (SchemaRegistryException e) {
            throw new AuditException("The schema registry at " + options.registryUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private AuditReport attempt(int attempt, long begin) {
        Map<TopicPartition, Long> committed = kafka.committedOffsets();
        long start = System.nanoTime();
        registrations.readTo(committed, recount::take);
        inputNanos += System.nanoTime() - start;
        LOG.info("Audit: {} input records recounted in {} ms", recount.records(), (System.nanoTime() - start) / 1_000_000);
        long lap = System.nanoTime();
        totals.readTo(committedEnds(Topics.TOTALS.name()), outputs::takeTotals);
        lap = lap("totals topic", lap);
        accepted.readTo(committedEnds(Topics.ACCEPTED.name()), outputs::takeAccepted);
        lap = lap("accepted topic", lap);
        rejected.readTo(committedEnds(Topics.REJECTED.name()), outputs::takeRejected);
        lap = lap("rejected topic", lap);

        Differences topicBuckets = new Differences(options.listed());
        Differences tableBuckets = new Differences(options.listed());
        Differences acceptedTopic = new Differences(options.listed());
        Differences ledger = new Differences(options.listed());
        Differences rejectedTopic = new Differences(options.listed());
        Differences transactions = new Differences(options.listed());

        Map<Bucket, Metrics> expected = recount.totals();
        lap = lap("recount", lap);
        int compared = Comparisons.buckets(Source.TOTALS_TOPIC, expected, outputs.totals(), topicBuckets);
        Comparisons.acceptedTopic(recount.accepted(), outputs.strays(), acceptedTopic);
        lap = lap("comparisons with the topics", lap);

        recount.accepted().values().forEach(event -> event.inLedger = false);
        long[] ledgerRows = {0};
        Comparisons.BucketStream table = new Comparisons.BucketStream(Source.REGION_TOTALS, expected);
        postgres.snapshot(table::row, row -> {
            ledgerRows[0]++;
            Recount.Accepted event = recount.accepted().get(row.eventId());
            Comparisons.ledgerRow(row, event, event != null && recount.isRetracted(event.event), ledger);
        });
        compared = Math.max(compared, table.finish(tableBuckets));
        Comparisons.ledgerMissing(recount.accepted(), ledger);
        lap = lap("PostgreSQL", lap);
        Map<Integer, Long> audited = new HashMap<>();
        committed.forEach((p, offset) -> audited.put(p.partition(), offset));
        boolean rejectedComplete = kafka.complete(Topics.REJECTED.name());
        SortedMap<String, ReasonCount> byReason = Comparisons.rejected(recount.rejected(), outputs.rejected(), audited,
                rejectedComplete, rejectedTopic);
        int partitions = checkTransactions(transactions);
        lap("transactions", lap);

        Differences all = new Differences(options.listed());
        for (Differences part : List.of(outputs.broken(), topicBuckets, tableBuckets, acceptedTopic, ledger, rejectedTopic,
                transactions)) {
            all.addAll(part);
        }
        boolean quiet = committed.equals(kafka.committedOffsets());
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : kafka.ends(kafka.partitions(Topics.REGISTRATIONS.name()),
                IsolationLevel.READ_COMMITTED).entrySet()) {
            behind += Math.max(0, end.getValue() - committed.get(end.getKey()));
        }
        return new AuditReport(options.applicationId(), recount.records(), behind, recount.accepted().size(),
                recount.duplicates(), recount.rejected().size(), compared, outputs.totalsRecords(), table.rows(),
                outputs.acceptedRecords(), ledgerRows[0], byReason, rejectedComplete, partitions, all, attempt, quiet,
                Duration.ofNanos(inputNanos), Duration.ofNanos(System.nanoTime() - begin));
    }

    private static long lap(String what, long since) {
        long now = System.nanoTime();
        LOG.info("Audit: {} in {} ms", what, (now - since) / 1_000_000);
        return now;
    }

    private Map<TopicPartition, Long> committedEnds(String topic) {
        return kafka.ends(kafka.partitions(topic), IsolationLevel.READ_COMMITTED);
    }

    // The read_uncommitted ends first: a transaction committed between the two calls then only raises the
    // read_committed end, and is not taken for one left open.
    private int checkTransactions(Differences out) {
        List<TopicPartition> outputs = kafka.transactionalOutputs();
        Map<TopicPartition, Long> uncommitted = kafka.ends(outputs, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> committed = kafka.ends(outputs, IsolationLevel.READ_COMMITTED);
        outputs.stream().sorted(Comparator.comparing(TopicPartition::toString)).forEach(p ->
                Comparisons.openTransaction(p.toString(), committed.get(p), uncommitted.get(p), out));
        return outputs.size();
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("Interrupted between attempts", e);
        }
    }
}
