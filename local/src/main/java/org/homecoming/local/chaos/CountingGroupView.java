package org.homecoming.local.chaos;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.homecoming.local.audit.AuditOptions;
import org.homecoming.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counting application's consumer group seen through the Admin API: which processes are members, which input
 * partitions each holds, how far the group has committed. A member process is its client id up to
 * {@code -StreamThread-}; Kafka Streams keeps its process id in the state folder, so a restarted instance is the
 * same member process.
 */
final class CountingGroupView implements AutoCloseable {

    private static final String THREAD_SUFFIX = "-StreamThread-";
    private static final String GROUP = AuditOptions.APPLICATION_ID;
    private static final Logger LOG = LoggerFactory.getLogger(CountingGroupView.class);

    private final Admin admin;

    CountingGroupView(Admin admin) {
        this.admin = admin;
    }

    /** Stable or not, and per member process the registrations partitions its threads hold. */
    record Snapshot(boolean stable, Map<String, Set<TopicPartition>> partitions) {
    }

    Snapshot describe() throws ExecutionException, InterruptedException, TimeoutException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new Snapshot(false, Map.of());
            }
            throw e;
        }
        Map<String, Set<TopicPartition>> partitions = new HashMap<>();
        for (MemberDescription member : group.members()) {
            int thread = member.clientId().indexOf(THREAD_SUFFIX);
            String process = thread < 0 ? member.clientId() : member.clientId().substring(0, thread);
            Set<TopicPartition> held = partitions.computeIfAbsent(process, p -> new HashSet<>());
            member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(Topics.REGISTRATIONS.name())).forEach(held::add);
        }
        return new Snapshot(group.groupState() == GroupState.STABLE, partitions);
    }

    /** Sum of the committed offsets over {@code partitions}. */
    long committed(Collection<TopicPartition> partitions) throws ExecutionException, InterruptedException,
            TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
        return partitions.stream().map(offsets::get).filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Records of the registrations topic past the group's committed offsets. */
    long backlog() throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < Topics.REGISTRATIONS.partitions(); p++) {
            latest.put(new TopicPartition(Topics.REGISTRATIONS.name(), p), OffsetSpec.latest());
        }
        long ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
        return ends - committed(latest.keySet());
    }

    /**
     * Has the coordinator forget the members of a process that is gone (SIGKILLed), as
     * {@code kafka-streams-application-reset --force} does, and waits until the group no longer lists them: a dead
     * member would otherwise hold its partitions until its session times out (45 s). The Admin API removes dynamic
     * members only all at once, so the live ones rejoin at their next heartbeat. The removal is tried again until the
     * dead process is gone from the group: the call fails when a member leaves or joins meanwhile, or while the
     * coordinator is busy with a rebalance; the first attempt can also miss members that were still joining.
     *
     * @param processId the dead process's Kafka Streams process id, which its members' client ids carry; empty when
     *                  it never wrote one, and then every member is removed once
     */
    void forgetMembersOf(Optional<String> processId) {
        Deadline.of(Duration.ofMinutes(2), "the coordinator to forget the members of " + processId.orElse("the group"))
                .await(() -> {
                    Snapshot now = describe();
                    boolean present = processId.isEmpty() ? !now.partitions().isEmpty()
                            : now.partitions().keySet().stream().anyMatch(member -> member.contains(processId.get()));
                    if (!present) {
                        return true;
                    }
                    try {
                        admin.removeMembersFromConsumerGroup(GROUP, new RemoveMembersFromConsumerGroupOptions()).all()
                                .get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        LOG.info("Removing the members of {} failed ({}); looking again", GROUP, e.getCause().toString());
                    }
                    return processId.isEmpty();
                });
    }

    @Override
    public void close() {
        admin.close();
    }
}
