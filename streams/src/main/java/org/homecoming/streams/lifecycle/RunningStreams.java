package org.homecoming.streams.lifecycle;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The {@link KafkaStreams} client a {@link StreamsBuilderFactoryBean} currently runs, as the factory bean tells its
 * listeners: for queries and health, without handing the factory bean itself around.
 */
public final class RunningStreams implements StreamsBuilderFactoryBean.Listener {

    private volatile KafkaStreams streams;

    @Override
    public void streamsAdded(String id, KafkaStreams added) {
        streams = added;
    }

    @Override
    public void streamsRemoved(String id, KafkaStreams removed) {
        streams = null;
    }

    /** The client; {@code null} before start and after stop. */
    public KafkaStreams streams() {
        return streams;
    }

    /** The client's state; {@code null} before start and after stop. */
    public KafkaStreams.State state() {
        KafkaStreams running = streams;
        return running == null ? null : running.state();
    }
}
