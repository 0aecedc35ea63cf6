package org.homecoming.streams;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The streams service: exact totals per region and period, served to the dashboard.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StreamsApplication {

    /** Where this service's own {@code application.yml} lives, apart from the other services' in one JVM. */
    public static final String CONFIG_LOCATION = "optional:classpath:/org/homecoming/streams/";

    /** The application, configured to read its own {@code application.yml}. */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(StreamsApplication.class);
        app.setDefaultProperties(Map.of("spring.config.additional-location", CONFIG_LOCATION));
        return app;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
