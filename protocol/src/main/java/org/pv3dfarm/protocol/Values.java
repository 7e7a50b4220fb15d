package org.pv3dfarm.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Null-tolerant defaults and defensive copies that keep {@code null} elements, so that the validator can name them instead of an NPE. */
final class Values {

    private Values() {
    }

    static <T> List<T> copyOrNull(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static List<List<Double>> copyNested(List<List<Double>> lists) {
        if (lists == null) {
            return null;
        }
        List<List<Double>> copy = new ArrayList<>(lists.size());
        for (List<Double> inner : lists) {
            copy.add(copyOrNull(inner));
        }
        return Collections.unmodifiableList(copy);
    }

    static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
