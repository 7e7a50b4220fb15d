package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How a job fits latent codes to its input (GAN inversion: Adam on the codes through the model's gradient
 * graphs, the generator frozen). Shared by animate, reconstruct and retarget. Absent fields take the defaults;
 * {@link JobValidator} bounds them ({@link ValidationLimits#maxSteps()}).
 *
 * @param steps        most Adam steps, default {@value #DEFAULT_STEPS}
 * @param learningRate Adam's step size, default {@value #DEFAULT_LEARNING_RATE} (cosine ramp-down over the last
 *                     quarter of the steps), in (0, 1]
 * @param targetLoss   stop once the masked pixel loss is at or below this; 0 (default) never stops early on loss
 * @param patience     stop after this many steps without a 0.1 % improvement of the best loss; default
 *                     {@value #DEFAULT_PATIENCE}, 0 = never
 * @param optimizer    how a portrait's w moves: {@code lbfgs} (the default: a curvature model, the learning rate
 *                     bounds its first move) or {@code adam}; a video fit (reconstruct) always uses Adam, so null
 *                     means the job's own default
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InversionSettings(Integer steps, Double learningRate, Double targetLoss, Integer patience,
        Optimizer optimizer) {

    /** The optimisers a request can pick. */
    public enum Optimizer {
        LBFGS("lbfgs"),
        ADAM("adam");

        private final String wireName;

        Optimizer(String wireName) {
            this.wireName = wireName;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return wireName;
        }
    }

    public static final int DEFAULT_STEPS = 300;
    public static final double DEFAULT_LEARNING_RATE = 0.05;
    public static final int DEFAULT_PATIENCE = 50;
    public static final double MAX_LEARNING_RATE = 1.0;
    public static final double MAX_TARGET_LOSS = 10.0;
    /** Every default. */
    public static final InversionSettings DEFAULTS = new InversionSettings(null, null, null, null, null);

    /** Settings with the job's default optimiser. */
    public InversionSettings(Integer steps, Double learningRate, Double targetLoss, Integer patience) {
        this(steps, learningRate, targetLoss, patience, null);
    }

    public InversionSettings {
        steps = Values.orDefault(steps, DEFAULT_STEPS);
        learningRate = Values.orDefault(learningRate, DEFAULT_LEARNING_RATE);
        targetLoss = Values.orDefault(targetLoss, 0.0);
        patience = Values.orDefault(patience, DEFAULT_PATIENCE);
    }
}
