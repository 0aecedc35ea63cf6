package org.homecoming.producer.gateway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The HTTP statuses an endpoint answers with. {@code OpenApiConsistencyTest} holds the checked-in
 * {@code openapi.yaml} to these, and the controller tests prove each status occurs.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Responds {
    /** The status codes. */
    int[] value();
}
