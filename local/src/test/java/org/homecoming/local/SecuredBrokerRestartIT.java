package org.homecoming.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.homecoming.local.security.KafkaAccess;
import org.homecoming.local.security.Secrets;
import org.homecoming.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./homecoming up --secure} keeps its data: a restarted secured broker finds its super user in the storage
 * formatted with it, the passwords in the secrets folder, and the users and ACLs set again at start-up change nothing.
 */
class SecuredBrokerRestartIT {

    @TempDir
    Path dir;

    @Test
    void a_restarted_secured_broker_takes_the_same_passwords_and_keeps_its_users_and_acls() throws Exception {
        StackPorts ports = StackPorts.free();
        Secrets secrets = Secrets.in(dir.resolve("secrets"));
        try (KafkaBroker broker = start(ports, secrets)) {
            try (Admin admin = Admin.create(admin(broker, secrets))) {
                admin.createTopics(List.of(new NewTopic(Topics.REGISTRATIONS.name(), 1, (short) 1))).all()
                        .get(60, TimeUnit.SECONDS);
            }
        }
        try (KafkaBroker broker = start(ports, Secrets.in(dir.resolve("secrets")))) {
            try (Admin admin = Admin.create(admin(broker, secrets))) {
                assertThat(admin.describeAcls(AclBindingFilter.ANY).values()
                        .get(60, TimeUnit.SECONDS)).containsExactlyInAnyOrderElementsOf(KafkaAccess.acls());
                assertThat(admin.describeUserScramCredentials().users().get(60, TimeUnit.SECONDS))
                        .containsExactlyInAnyOrderElementsOf(List.of(KafkaAccess.ADMIN, KafkaAccess.GATEWAY, KafkaAccess.STREAMS,
                                KafkaAccess.VIEW, KafkaAccess.SINK, KafkaAccess.REGISTRY, KafkaAccess.BI));
            }
            Map<String, Object> gateway = new HashMap<>();
            gateway.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            gateway.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    KafkaAccess.client(secrets, KafkaAccess.GATEWAY).applyTo(gateway), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                assertThat(producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), new byte[] {1})).get(60,
                        TimeUnit.SECONDS).offset()).isZero();
            }
        }
    }

    /** As LocalStack.startSecured starts its broker: the broker, then the users and ACLs set again. */
    private KafkaBroker start(StackPorts ports, Secrets secrets) throws Exception {
        KafkaBroker broker = KafkaBroker.startSecured(dir.resolve("kafka"), ports.kafka(), ports.controller(),
                KafkaAccess.brokerCredentials(secrets));
        try (Admin admin = Admin.create(admin(broker, secrets))) {
            KafkaAccess.provision(admin, KafkaAccess.servicePasswords(secrets));
        }
        return broker;
    }

    private static Map<String, Object> admin(KafkaBroker broker, Secrets secrets) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return KafkaAccess.client(secrets, KafkaAccess.ADMIN).applyTo(config);
    }
}
