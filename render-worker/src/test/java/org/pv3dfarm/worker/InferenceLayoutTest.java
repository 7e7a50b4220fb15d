package org.pv3dfarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InferenceLayoutTest {

    @Test
    void neitherSettingGivesOneSingleThreadedLanePerCore() {
        assertEquals(new InferenceLayout(1, 2), InferenceLayout.of(2, 0, 0));
        assertEquals(new InferenceLayout(1, 16), InferenceLayout.of(16, 0, 0));
    }

    @Test
    void oneSettingDividesTheCoresForTheOther() {
        assertEquals(new InferenceLayout(2, 1), InferenceLayout.of(2, 2, 0), "ORT's old default: one lane of 2");
        assertEquals(new InferenceLayout(4, 4), InferenceLayout.of(16, 4, 0));
        assertEquals(new InferenceLayout(3, 1), InferenceLayout.of(2, 3, 0), "never fewer than one lane");
        assertEquals(new InferenceLayout(8, 2), InferenceLayout.of(16, 0, 2));
        assertEquals(new InferenceLayout(1, 4), InferenceLayout.of(2, 0, 4), "never fewer than one thread");
    }

    @Test
    void bothSettingsAreTakenAsGiven() {
        assertEquals(new InferenceLayout(2, 3), InferenceLayout.of(2, 2, 3));
    }

    @Test
    void impossibleValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> InferenceLayout.of(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> InferenceLayout.of(2, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new InferenceLayout(0, 1));
    }
}
