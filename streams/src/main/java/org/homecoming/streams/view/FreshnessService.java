package org.homecoming.streams.view;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.schemas.Topics;

/**
 * Answers how fresh the totals are: the newest registration the view has seen counted, and from Kafka itself the
 * newest registration received and how many the counting application has yet to commit (its consumer group's
 * offsets against the end of the registrations topic). One answer serves every dashboard for {@code reuseFor}.
 */
public class FreshnessService {

    private final Admin admin;
    private final String countingApplicationId;
    private final TotalsFreshness view;
    private final Clock clock;
    private final Duration reuseFor;
    private Freshness last;

    public FreshnessService(Admin admin, String countingApplicationId, TotalsFreshness view, Clock clock,
                            Duration reuseFor) {
        this.admin = admin;
        this.countingApplicationId = countingApplicationId;
        this.view = view;
        this.clock = clock;
        this.reuseFor = reuseFor;
    }

    /**
     * The current answer.
     *
     * @throws ViewUnavailableException when Kafka does not answer in time
     */
    public synchronized Freshness current() {
        Instant now = clock.instant();
        if (last != null && last.checkedAt().plus(reuseFor).isAfter(now)) {
            return last;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> newestTime = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < Topics.REGISTRATIONS.partitions(); p++) {
            TopicPartition partition = new TopicPartition(Topics.REGISTRATIONS.name(), p);
            latest.put(partition, OffsetSpec.latest());
            newestTime.put(partition, OffsetSpec.maxTimestamp());
            earliest.put(partition, OffsetSpec.earliest());
        }
        try {
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> times = admin.listOffsets(newestTime).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(countingApplicationId)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            long pending = 0;
            long received = -1;
            for (TopicPartition partition : latest.keySet()) {
                OffsetAndMetadata done = committed.get(partition);
                long from = done == null ? starts.get(partition).offset() : done.offset();
                pending += Math.max(0, ends.get(partition).offset() - from);
                received = Math.max(received, times.get(partition).timestamp());
            }
            last = answer(now, pending, received);
            return last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewUnavailableException("Interrupted while asking Kafka how fresh the totals are", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ViewUnavailableException("Kafka did not say how fresh the totals are: " + e.getMessage(), e);
        }
    }

    private Freshness answer(Instant now, long pending, long receivedMillis) {
        OptionalLong counted = view.newest();
        Instant countedAt = counted.isPresent() ? Instant.ofEpochMilli(counted.getAsLong()) : null;
        Instant receivedAt = receivedMillis < 0 ? null : Instant.ofEpochMilli(receivedMillis);
        Double age = countedAt == null ? null : (now.toEpochMilli() - countedAt.toEpochMilli()) / 1000.0;
        Double behind;
        if (pending == 0) {
            behind = 0.0;
        } else if (countedAt == null || receivedAt == null) {
            behind = null;
        } else {
            behind = Math.max(0, receivedAt.toEpochMilli() - countedAt.toEpochMilli()) / 1000.0;
        }
        return new Freshness(countedAt, age, receivedAt, pending, behind, now);
    }
}
