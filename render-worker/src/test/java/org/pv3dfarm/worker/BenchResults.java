package org.pv3dfarm.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/** bench/results.json for the worker's benchmarks (metric → {value, unit, command, date}). */
public final class BenchResults {

    private BenchResults() {
    }

    /**
     * Merges rows (name → {value as Double, unit}) into bench/results.json, sorted, in Jackson's default pretty
     * format (as the other tools do); other rows' numbers are read as exact decimals so that they keep their text.
     */
    public static void record(Map<String, Object[]> rows, String command) throws IOException {
        Path file = Path.of("bench", "results.json");
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.ESCAPE_NON_ASCII); // as the Python tools write
        ObjectNode all = Files.exists(file) ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
        rows.forEach((name, valueAndUnit) -> {
            ObjectNode row = all.putObject(name);
            row.put("value", (Double) valueAndUnit[0]);
            row.put("unit", (String) valueAndUnit[1]);
            row.put("command", command);
            row.put("date", LocalDate.now().toString());
        });
        Map<String, Object> sorted = new TreeMap<>(json.convertValue(all, Map.class));
        Files.createDirectories(file.getParent());
        String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(sorted);
        // lower-case hex in the escapes of non-ASCII characters, as Python writes them: other rows keep their text
        text = java.util.regex.Pattern.compile("\\\\u([0-9A-F]{4})").matcher(text)
                .replaceAll(m -> "\\\\u" + m.group(1).toLowerCase(java.util.Locale.ROOT));
        Files.writeString(file, text + "\n");
        System.out.println("recorded " + rows.keySet() + " in " + file);
    }
}
