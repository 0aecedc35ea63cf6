package org.homecoming.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where Testcontainers finds a Docker engine; elsewhere every test of it is reported
 * skipped, with the reason and the command to run it where Docker is.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
@interface RequiresDocker {

    /** Decides once per class; Testcontainers caches what it found. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("Docker engine found");
            }
            String reason = "No Docker engine found: " + context.getDisplayName() + " skipped (the embedded-stack ITs run the "
                    + "same scenarios without Docker). Where Docker runs: ./mvnw verify -pl local -am -Dit.test='Docker*IT'";
            if (context.getTestMethod().isEmpty()) {
                LoggerFactory.getLogger(RequiresDocker.class).warn(reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
