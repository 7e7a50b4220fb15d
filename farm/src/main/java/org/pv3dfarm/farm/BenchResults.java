package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/** Merges measured figures into {@code bench/results.json} (metric -> value, unit, command, date), keys sorted. */
final class BenchResults {

    private BenchResults() {
    }

    static void record(Map<String, ? extends Number> figures, String unit, String command) throws IOException {
        Path file = Path.of("bench", "results.json");
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> all = new TreeMap<>();
        if (Files.exists(file)) {
            json.readTree(file.toFile()).fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, ? extends Number> figure : figures.entrySet()) {
            ObjectNode row = json.createObjectNode();
            Number value = figure.getValue();
            if (value instanceof Double d) {
                row.put("value", Math.round(d * 1000) / 1000.0);
            } else {
                row.put("value", value.longValue());
            }
            row.put("unit", unit);
            row.put("command", command);
            row.put("date", LocalDate.now().toString());
            all.put(figure.getKey(), row);
        }
        Files.createDirectories(file.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), all);
    }
}
