package org.homecoming.local.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.homecoming.local.KafkaBroker;
import org.homecoming.schemas.Topics;
import org.homecoming.schemas.kafka.KafkaClientSecurity;
import org.homecoming.streams.view.TotalsViewTopology;

/**
 * Who may do what on a secured broker (issue 15): one SCRAM-SHA-512 principal per service, each with only the ACLs
 * it needs, and the broker's own two accounts. The same list serves the embedded stack and {@code docker compose}'s
 * init ({@code homecoming kafka-access}).
 */
public final class KafkaAccess {

    /** The super user: inter-broker traffic, topics, users, ACLs, the audit. */
    public static final String ADMIN = "kafka-admin";
    /** PLAIN on the controller listener only. */
    public static final String CONTROLLER = "kafka-controller";
    public static final String GATEWAY = "gateway";
    public static final String STREAMS = "streams";
    public static final String VIEW = "view";
    public static final String SINK = "sink";
    public static final String REGISTRY = "registry";
    public static final String BI = "bi";

    /** The service principals, created with {@code Admin.alterUserScramCredentials} once the broker runs. */
    public static final List<String> SERVICES = List.of(GATEWAY, STREAMS, VIEW, SINK, REGISTRY, BI);

    /** The counting application's id (StreamsProperties): its group, and with a dash the prefix of its topics and ids. */
    public static final String COUNTING_APPLICATION_ID = "homecoming-totals";
    /** The sink's consumer group (SinkProperties). */
    public static final String SINK_GROUP = "homecoming-sink";

    /** The group Confluent's schema registry elects its leader in ({@code schema.registry.group.id}). */
    public static final String CONFLUENT_REGISTRY_GROUP = "schema-registry";

    private static final int ITERATIONS = 8192;

    private KafkaAccess() {
    }

    /** The broker's own credentials from {@code secrets}. */
    public static KafkaBroker.Credentials brokerCredentials(Secrets secrets) throws IOException {
        return new KafkaBroker.Credentials(ADMIN, secrets.password(ADMIN), CONTROLLER, secrets.password(CONTROLLER));
    }

    /** The client settings of {@code account}, its password from {@code secrets}. */
    public static KafkaClientSecurity client(Secrets secrets, String account) throws IOException {
        return KafkaClientSecurity.scram(account, secrets.password(account));
    }

    /** Every ACL of the service principals. */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        String countingPrefix = COUNTING_APPLICATION_ID + "-";
        String viewApplication = TotalsViewTopology.APPLICATION_ID;
        allow(acls, GATEWAY, topic(Topics.REGISTRATIONS.name()), AclOperation.WRITE);

        allow(acls, STREAMS, topic(Topics.REGISTRATIONS.name()), AclOperation.READ);
        allow(acls, STREAMS, topic(Topics.ACCEPTED.name()), AclOperation.WRITE);
        allow(acls, STREAMS, topic(Topics.REJECTED.name()), AclOperation.WRITE);
        allow(acls, STREAMS, topic(Topics.TOTALS.name()), AclOperation.WRITE);
        // its repartition and changelog topics; the dash keeps a homecoming-totalsX application out
        allow(acls, STREAMS, prefixed(ResourceType.TOPIC, countingPrefix), AclOperation.ALL);
        allow(acls, STREAMS, new ResourcePattern(ResourceType.GROUP, COUNTING_APPLICATION_ID, PatternType.LITERAL),
                AclOperation.READ);
        // exactly_once_v2 names its producers <application.id>-<process id>-<thread>
        allow(acls, STREAMS, prefixed(ResourceType.TRANSACTIONAL_ID, countingPrefix), AclOperation.WRITE);

        allow(acls, VIEW, topic(Topics.TOTALS.name()), AclOperation.READ);
        allow(acls, VIEW, new ResourcePattern(ResourceType.GROUP, viewApplication, PatternType.LITERAL), AclOperation.READ);
        allow(acls, VIEW, prefixed(ResourceType.TOPIC, viewApplication + "-"), AclOperation.ALL);
        // the dashboard beside the view: the rejections by reason, read without a group, and the freshness, which
        // asks for the registrations' offsets and the counting group's committed ones (describe, never read or join)
        allow(acls, VIEW, topic(Topics.REJECTED.name()), AclOperation.READ);
        allow(acls, VIEW, topic(Topics.REGISTRATIONS.name()), AclOperation.DESCRIBE);
        allow(acls, VIEW, new ResourcePattern(ResourceType.GROUP, COUNTING_APPLICATION_ID, PatternType.LITERAL),
                AclOperation.DESCRIBE);

        allow(acls, SINK, topic(Topics.TOTALS.name()), AclOperation.READ);
        allow(acls, SINK, topic(Topics.ACCEPTED.name()), AclOperation.READ);
        allow(acls, SINK, new ResourcePattern(ResourceType.GROUP, SINK_GROUP, PatternType.LITERAL), AclOperation.READ);
        allow(acls, SINK, topic(Topics.SINK_DEAD_LETTER.name()), AclOperation.WRITE);

        // creates it when missing, writes and reads it back; Homecoming's registry needs no group, Confluent's (in
        // docker-compose.yml) elects its leader in the group schema-registry
        allow(acls, REGISTRY, topic(Topics.SCHEMAS_TOPIC_NAME), AclOperation.ALL);
        allow(acls, REGISTRY, prefixed(ResourceType.GROUP, CONFLUENT_REGISTRY_GROUP), AclOperation.READ);

        allow(acls, BI, topic(Topics.TOTALS.name()), AclOperation.READ);
        return List.copyOf(acls);
    }

    /**
     * Creates (or updates) the service principals with their passwords and adds every ACL; safe to run again.
     * {@code admin} must authenticate as the super user.
     */
    public static void provision(Admin admin, Map<String, String> passwords) {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password)));
        try {
            admin.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(acls()).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka users and ACLs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create Kafka users and ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the users and ACLs in time", e);
        }
    }

    /** The passwords of every service principal, from {@code secrets} (generated on first use). */
    public static Map<String, String> servicePasswords(Secrets secrets) throws IOException {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String account : SERVICES) {
            passwords.put(account, secrets.password(account));
        }
        return passwords;
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }

    private static void allow(List<AclBinding> acls, String principal, ResourcePattern resource, AclOperation operation) {
        acls.add(new AclBinding(resource, new AccessControlEntry("User:" + principal, "*", operation,
                AclPermissionType.ALLOW)));
    }
}
