package org.pv3dfarm.farm;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pv3dfarm.embedded.DockerProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips a test class where no Docker engine answers, logging and reporting why (Testcontainers' own check). The
 * reason shows in the test report as the skip message.
 */
final class RequiresDocker implements ExecutionCondition {

    private static final Logger LOG = LoggerFactory.getLogger(RequiresDocker.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        Optional<String> unavailable = DockerProbe.testcontainers().unavailableReason();
        if (unavailable.isEmpty()) {
            return ConditionEvaluationResult.enabled("a Docker engine answers");
        }
        String reason = "skipped, needs Docker: " + unavailable.get();
        LOG.warn("{} {}", context.getDisplayName(), reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
