package org.homecoming.sink;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sink service: totals and the event ledger into PostgreSQL, exactly once.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SinkApplication {

    /** Where this service's own {@code application.yml} lives, apart from the other services' in one JVM. */
    public static final String CONFIG_LOCATION = "optional:classpath:/org/homecoming/sink/";

    /** The application, configured to read its own {@code application.yml}. */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(SinkApplication.class);
        app.setDefaultProperties(Map.of("spring.config.additional-location", CONFIG_LOCATION));
        return app;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
