package org.pv3dfarm.worker;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.pv3dfarm.model.GaussianLatent;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.protocol.GenerateRequest;

/**
 * Stage 1 of a generate job: the latent codes, from the request's explicit {@code z} / {@code z_motion} or drawn
 * from its seed.
 *
 * <p>Drawing: {@code code = mean + std ⊙ ε} with the model manifest's {@code latent_distribution} and
 * {@code ε ~ N(0, I)} from {@link SplittableRandom}: {@code root = new SplittableRandom(seed)}, then
 * {@code z} takes its ε from {@code root.split()} (the first split) and {@code z_motion} from the second split,
 * each code drawn whether or not the request gives it. So a seed fixes both codes, and giving one code
 * explicitly never changes the other one that the seed draws.
 *
 * <p>Explicit codes must have the model's lengths ({@code config.z_dim}, {@code config.motion_dim}): the job
 * validator cannot check that when it does not know the model, this stage always does and fails with an
 * {@link InvalidJobException} naming the field. Thread-safe.
 */
public final class LatentSampler {

    private final String modelName;
    private final GaussianLatent zDistribution;
    private final GaussianLatent zMotionDistribution;

    public LatentSampler(ModelManifest manifest) {
        Objects.requireNonNull(manifest, "manifest");
        this.modelName = manifest.name();
        this.zDistribution = manifest.latentDistribution().z();
        this.zMotionDistribution = manifest.latentDistribution().zMotion();
        requireDim("z", zDistribution, manifest.config().zDim());
        requireDim("z_motion", zMotionDistribution, manifest.config().motionDim());
    }

    /** The job's codes; throws when an explicit code does not fit the model or a needed seed is missing. */
    public JobLatents sample(GenerateRequest request) throws InvalidJobException {
        Objects.requireNonNull(request, "request");
        float[] z = explicit("z", request.z(), zDistribution.dim(), "z_dim");
        float[] zMotion = explicit("z_motion", request.zMotion(), zMotionDistribution.dim(), "motion_dim");
        Long seed = request.seed();
        if ((z == null || zMotion == null) && seed == null) {
            throw new InvalidJobException("seed", "is required when z or z_motion is not given");
        }
        if (seed != null) {
            SplittableRandom root = new SplittableRandom(seed);
            float[] drawnZ = zDistribution.sample(root.split(), 1).data();
            float[] drawnMotion = zMotionDistribution.sample(root.split(), 1).data();
            z = z != null ? z : drawnZ;
            zMotion = zMotion != null ? zMotion : drawnMotion;
        }
        return new JobLatents(z, zMotion,
                request.z() != null ? JobLatents.Source.REQUEST : JobLatents.Source.SEED,
                request.zMotion() != null ? JobLatents.Source.REQUEST : JobLatents.Source.SEED,
                seed, request.truncationPsi().floatValue());
    }

    private float[] explicit(String field, List<Double> code, int dim, String dimName) throws InvalidJobException {
        return code == null ? null : code(field, code, dim, dimName, modelName);
    }

    /** An explicit code of length {@code dim} (the model's {@code dimName}), every value a finite float. */
    static float[] code(String field, List<Double> code, int dim, String dimName, String modelName)
            throws InvalidJobException {
        if (code.size() != dim) {
            throw new InvalidJobException(field, "must have " + dimName + " = " + dim + " values for model "
                    + modelName + ", has " + code.size());
        }
        float[] values = new float[dim];
        for (int i = 0; i < dim; i++) {
            Double value = code.get(i);
            if (value == null || !Float.isFinite(value.floatValue())) {
                throw new InvalidJobException(field + "[" + i + "]", "must be a finite number, was " + value);
            }
            values[i] = value.floatValue();
        }
        return values;
    }

    private void requireDim(String code, GaussianLatent distribution, int dim) {
        if (distribution.dim() != dim) {
            throw new IllegalArgumentException("model " + modelName + ": latent_distribution." + code + " has "
                    + distribution.dim() + " dimensions but its config says " + dim);
        }
    }
}
