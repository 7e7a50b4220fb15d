package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures of one benchmark run, merged into {@code bench/results.json} (metric → {value, unit, command, date}):
 * the run's metrics replace those of the same name, the others stay.
 */
final class FarmBenchResults {

    private record Metric(double value, String unit) {
    }

    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    void put(String name, double value, String unit) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " is not a number: " + value);
        }
        metrics.put(name, new Metric(value, unit));
    }

    Map<String, Double> values() {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** Merges into the JSON file (created when missing), keys sorted. */
    void mergeInto(Path file, String command) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> all = new TreeMap<>();
        if (Files.exists(file)) {
            ObjectNode existing = (ObjectNode) json.readTree(file.toFile());
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = existing.fields();
                    it.hasNext(); ) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
                all.put(e.getKey(), e.getValue());
            }
        }
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        metrics.forEach((name, metric) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", round(metric.value()));
            row.put("unit", metric.unit());
            row.put("command", command);
            row.put("date", date);
            all.put(name, row);
        });
        json.writeValue(file.toFile(), all);
    }

    /** Five significant digits: more would only be noise on a shared machine. */
    static double round(double value) {
        if (value == 0) {
            return 0;
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(5)).doubleValue();
    }
}
