package org.homecoming.sink;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Readiness of the sink: up only while its listener container runs. A container stopped by an operator, or by
 * its consumer thread dying (an {@link Error} in the listener, a fatal consumer error), is down, so an
 * orchestrator replaces the instance instead of leaving a sink that writes nothing.
 */
final class SinkHealthIndicator implements HealthIndicator {

    private final MessageListenerContainer container;

    SinkHealthIndicator(MessageListenerContainer container) {
        this.container = container;
    }

    @Override
    public Health health() {
        boolean running = container.isRunning();
        boolean expected = container.isInExpectedState();
        return (running && expected ? Health.up() : Health.down())
                .withDetail("listener", container.getListenerId())
                .withDetail("running", running)
                .withDetail("stoppedAbnormally", !expected)
                .withDetail("assignedPartitions", String.valueOf(container.getAssignedPartitions()))
                .build();
    }
}
