package org.homecoming.producer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps the checked-in {@code openapi.yaml} in step with the controllers: the same paths, methods and
 * status codes ({@link Responds}) as the running application maps.
 */
class OpenApiConsistencyTest extends GatewayTestSupport {

    private final RequestMappingHandlerMapping mappings;

    @Autowired
    OpenApiConsistencyTest(MockMvc mvc, @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        super(mvc);
        this.mappings = mappings;
    }

    /** "POST /api/v1/registrations" to its status codes, from the running application. */
    private Map<String, Set<String>> mapped() {
        Map<String, Set<String>> operations = new TreeMap<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            Set<String> paths = entry.getKey().getPatternValues();
            if (paths.stream().noneMatch(p -> p.startsWith("/api/"))) {
                continue;
            }
            Responds responds = entry.getValue().getMethodAnnotation(Responds.class);
            assertThat(responds).as("@Responds on %s", entry.getValue()).isNotNull();
            Set<String> codes = new TreeSet<>();
            for (int code : responds.value()) {
                codes.add(String.valueOf(code));
            }
            for (String path : paths) {
                entry.getKey().getMethodsCondition().getMethods().forEach(method ->
                        operations.put(method.name() + " " + path, codes));
            }
        }
        return operations;
    }

    /** The same, from openapi.yaml. */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> documented() throws IOException {
        Map<String, Set<String>> operations = new TreeMap<>();
        try (InputStream in = OpenApiConsistencyTest.class.getResourceAsStream(RegistrationController.OPENAPI)) {
            Map<String, Object> api = new Yaml().load(in);
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) api.get("paths");
            paths.forEach((path, methods) -> methods.forEach((method, operation) -> {
                Map<Object, Object> responses = (Map<Object, Object>) ((Map<String, Object>) operation).get("responses");
                Set<String> codes = new TreeSet<>();
                responses.keySet().forEach(code -> codes.add(String.valueOf(code)));
                operations.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path, codes);
            }));
        }
        return operations;
    }

    @Test
    void every_mapped_operation_and_status_is_documented_and_nothing_else() throws IOException {
        Map<String, Set<String>> mapped = mapped();
        assertThat(mapped).containsKeys("POST /api/v1/registrations", "POST /api/v1/registrations:batch",
                "GET /api/v1/openapi.yaml");
        assertThat(documented()).isEqualTo(mapped);
    }
}
