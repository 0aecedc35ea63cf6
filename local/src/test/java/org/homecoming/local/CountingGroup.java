package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * The counting application's consumer group, seen from outside through the Admin API: which processes are members
 * and which partitions each one's stream threads hold, and how far the group has committed. Nothing here knows the
 * topology: a member is whatever joins under the application id that streams' {@code application.yml} gives.
 */
final class CountingGroup implements AutoCloseable {

    private static final Pattern APPLICATION_ID = Pattern.compile("application-id: \\$\\{STREAMS_APPLICATION_ID:([^}]+)}");

    /** Kafka Streams names a thread's consumer {@code <application.id>-<process id>-StreamThread-<n>-consumer}. */
    private static final String THREAD_SUFFIX = "-StreamThread-";

    private final Admin admin;
    private final String groupId = applicationId();

    CountingGroup(String bootstrapServers) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** With these admin client settings: a secured broker's address and super user. */
    CountingGroup(Map<String, Object> adminConfig) {
        admin = Admin.create(adminConfig);
    }

    /** The default application id in streams' {@code application.yml}: the group id of the counting application. */
    static String applicationId() {
        Matcher id = APPLICATION_ID.matcher(ComposeConsistency.applicationYmlOnClasspath("streams"));
        assertThat(id.find()).as("application-id in streams' application.yml").isTrue();
        return id.group(1);
    }

    /**
     * The group as its coordinator describes it now.
     *
     * @param stable     not rebalancing, so the partitions are those the members hold
     * @param partitions per member process (its client id up to {@code -StreamThread-}), the partitions its stream
     *                   threads hold as active tasks
     */
    record Snapshot(boolean stable, Map<String, Set<TopicPartition>> partitions) {

        Set<String> processes() {
            return partitions.keySet();
        }
    }

    /** The group now; an empty one, not stable, before any member has joined. */
    Snapshot describe() throws ExecutionException, InterruptedException, TimeoutException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return new Snapshot(false, Map.of());
            }
            throw e;
        }
        Map<String, Set<TopicPartition>> partitions = new HashMap<>();
        for (MemberDescription member : group.members()) {
            partitions.computeIfAbsent(process(member.clientId()), p -> new HashSet<>())
                    .addAll(member.assignment().topicPartitions());
        }
        return new Snapshot(group.groupState() == GroupState.STABLE, partitions);
    }

    private static String process(String clientId) {
        int thread = clientId.indexOf(THREAD_SUFFIX);
        return thread < 0 ? clientId : clientId.substring(0, thread);
    }

    /** Sum of the group's committed offsets over {@code partitions}; a partition never committed counts as 0. */
    long committed(Collection<TopicPartition> partitions) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
        return partitions.stream().map(offsets::get).filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Records in {@code partitions} past the group's committed offsets. */
    long backlog(Collection<TopicPartition> partitions) throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        long ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
        return ends - committed(partitions);
    }

    /**
     * Makes the coordinator forget every member now, as {@code kafka-streams-application-reset --force} does. A
     * SIGKILLed member would otherwise stay in the group, holding its partitions, until its session times out (45 s,
     * not a setting the streams service exposes); the live members notice on their next heartbeat and join again.
     */
    void forgetMembers() throws ExecutionException, InterruptedException, TimeoutException {
        if (describe().partitions().isEmpty()) {
            return;
        }
        try {
            admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions()).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // a member that left between the description and the removal is forgotten already
            if (!(e.getCause() instanceof UnknownMemberIdException)) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
