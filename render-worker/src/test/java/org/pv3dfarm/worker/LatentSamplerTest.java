package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.model.ModelLocator;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.protocol.GenerateRequest;

class LatentSamplerTest {

    private static ModelManifest manifest;
    private static LatentSampler sampler;

    @BeforeAll
    static void load() {
        manifest = ModelLocator.loadDefault();
        sampler = new LatentSampler(manifest);
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.builder().jobId(UUID.randomUUID());
    }

    private static List<Double> code(int length, double value) {
        return new ArrayList<>(Collections.nCopies(length, value));
    }

    @Test
    void aSeedDrawsBothCodesFromTheManifestDistributionTheSameWayEveryTime() throws Exception {
        JobLatents first = sampler.sample(request().seed(42L).build());
        JobLatents again = sampler.sample(request().seed(42L).build());
        JobLatents other = sampler.sample(request().seed(43L).build());

        assertEquals(manifest.config().zDim(), first.z().length);
        assertEquals(manifest.config().motionDim(), first.zMotion().length);
        assertArrayEquals(first.z(), again.z(), "deterministic");
        assertArrayEquals(first.zMotion(), again.zMotion());
        assertFalse(Arrays.equals(first.z(), other.z()), "another seed, another identity");
        assertFalse(Arrays.equals(first.z(), first.zMotion()), "z and z_motion use separate streams");
        assertEquals(JobLatents.Source.SEED, first.zSource());
        assertEquals(42L, first.seed());
        assertEquals(0.7f, first.truncationPsi(), "the request's default psi");

        // The formula: mean + std * N(0, 1) from the seed's first (z) and second (z_motion) split.
        SplittableRandom root = new SplittableRandom(42L);
        float[] expectedZ = manifest.latentDistribution().z().sample(root.split(), 1).data();
        float[] expectedMotion = manifest.latentDistribution().zMotion().sample(root.split(), 1).data();
        assertArrayEquals(expectedZ, first.z());
        assertArrayEquals(expectedMotion, first.zMotion());
    }

    @Test
    void drawnCodesLookLikeTheirDistribution() throws Exception {
        // The tiny model's distribution is N(0, 1): over 200 seeds x 64 dims the sample mean and variance of z
        // are within 5 standard errors of 0 and 1 (errors ~0.009 and ~0.013).
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (long seed = 0; seed < 200; seed++) {
            for (float v : sampler.sample(request().seed(seed).build()).z()) {
                sum += v;
                squares += v * v;
                n++;
            }
        }
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        assertEquals(0.0, mean, 5 * Math.sqrt(1.0 / n), "mean");
        assertEquals(1.0, variance, 5 * Math.sqrt(2.0 / n), "variance");
    }

    @Test
    void explicitCodesAreUsedAndGivingOneLeavesTheOtherAsTheSeedDrawsIt() throws Exception {
        List<Double> z = code(manifest.config().zDim(), 0.25);
        JobLatents drawn = sampler.sample(request().seed(9L).build());
        JobLatents withZ = sampler.sample(request().seed(9L).z(z).truncationPsi(0.5).build());

        assertEquals(0.25f, withZ.z()[0]);
        assertEquals(0.25f, withZ.z()[manifest.config().zDim() - 1]);
        assertEquals(JobLatents.Source.REQUEST, withZ.zSource());
        assertEquals(JobLatents.Source.SEED, withZ.zMotionSource());
        assertArrayEquals(drawn.zMotion(), withZ.zMotion(), "z_motion does not depend on whether z was given");
        assertEquals(0.5f, withZ.truncationPsi());

        JobLatents both = sampler.sample(request().z(z).zMotion(code(manifest.config().motionDim(), -1.0)).build());
        assertEquals(null, both.seed(), "no seed needed when both codes are given");
        assertEquals(-1f, both.zMotion()[3]);
    }

    @Test
    void codesOfTheWrongLengthForTheModelAreInvalidJobsNamingTheField() {
        InvalidJobException shortZ = assertThrows(InvalidJobException.class,
                () -> sampler.sample(request().seed(1L).z(code(3, 0.0)).build()));
        assertEquals("z", shortZ.field());
        assertTrue(shortZ.getMessage().contains("z_dim = 64") && shortZ.getMessage().contains("has 3"),
                shortZ.getMessage());

        InvalidJobException longMotion = assertThrows(InvalidJobException.class,
                () -> sampler.sample(request().seed(1L).zMotion(code(65, 0.0)).build()));
        assertEquals("z_motion", longMotion.field());
        assertTrue(longMotion.getMessage().contains("motion_dim = 64"), longMotion.getMessage());

        List<Double> withNull = code(manifest.config().zDim(), 0.0);
        withNull.set(7, null);
        assertEquals("z[7]", assertThrows(InvalidJobException.class,
                () -> sampler.sample(request().seed(1L).z(withNull).build())).field());

        assertEquals("seed", assertThrows(InvalidJobException.class,
                () -> sampler.sample(request().z(code(64, 0.0)).build())).field(), "z_motion must come from somewhere");
    }
}
