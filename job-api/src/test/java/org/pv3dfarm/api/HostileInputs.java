package org.pv3dfarm.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A deterministic corpus of job request bodies that must each be refused with a 4xx problem: malformed JSON (every
 * truncation of a valid body, garbage), wrong types for every field, NaN and infinities, huge and negative sizes,
 * unknown kinds and fields, hostile strings (path traversal, control characters, oversized) in the string fields.
 */
final class HostileInputs {

    /** One body and what it attacks. */
    record Input(String what, String body) {
    }

    private static final String VALID = "{\"kind\":\"generate\",\"seed\":7,\"frames\":8,\"fps\":25,"
            + "\"views\":[{\"trajectory\":\"orbit\"},{\"trajectory\":\"fixed\",\"yaw\":1.2,\"pitch\":1.5}],"
            + "\"outputs\":{\"png_frames\":true},\"priority\":\"high\",\"truncation_psi\":0.7}";

    private static final String[] FIELDS = {"kind", "seed", "frames", "fps", "views", "outputs", "priority",
            "truncation_psi", "tenant", "idempotency_key", "model", "z", "z_motion", "resolution", "job_id",
            "schema_version"};

    private static final String[] WRONG_VALUES = {"\"text\"", "1.5", "-1", "true", "[]", "{}", "1e400", "\"NaN\"",
            "[1,2,3]", "{\"a\":1}", "\"\"", "99999999999999999999999", "-0.0000001", "\"1\""};

    private HostileInputs() {
    }

    static List<Input> all() {
        List<Input> out = new ArrayList<>();
        for (int cut = 0; cut < VALID.length() - 1; cut++) {
            out.add(new Input("truncated at " + cut, VALID.substring(0, cut)));
        }
        for (String garbage : new String[] {"null", "[]", "42", "\"generate\"", "{", "}", "{{}}", "{\"kind\"}",
                "{'kind':'generate'}", "{\"kind\":generate}", "{\"kind\":\"generate\",}", "\u0000\u0001",
                "{\"kind\":\"generate\"} {\"kind\":\"generate\"}", "{\"kind\":\"generate\",\"kind\":\"generate\"}",
                "{\"kind\":\"generate\" /* comment */}", "\uFEFF{\"kind\":\"generate\",\"frames\":-1}"}) {
            out.add(new Input("garbage", garbage));
        }
        for (String field : FIELDS) {
            for (String value : WRONG_VALUES) {
                if (isAcceptable(field, value)) {
                    continue;
                }
                out.add(new Input(field + " = " + value, with(field, value)));
            }
        }
        for (String numeric : new String[] {"NaN", "Infinity", "-Infinity", "+1", "0x10", "1_000", ".5", "01"}) {
            out.add(new Input("frames literal " + numeric, with("frames", numeric)));
            out.add(new Input("yaw literal " + numeric, VALID.replace("\"yaw\":1.2", "\"yaw\":" + numeric)));
            out.add(new Input("z literal " + numeric, with("z", "[" + numeric + "]")));
        }
        for (String huge : new String[] {"1025", "100000", "2147483647", "2147483648", "-2147483649"}) {
            out.add(new Input("frames " + huge, with("frames", huge)));
            out.add(new Input("fps " + huge, with("fps", huge)));
            out.add(new Input("resolution " + huge, with("resolution", huge)));
        }
        for (String negative : new String[] {"0", "-1", "-128", "-2147483648"}) {
            out.add(new Input("frames " + negative, with("frames", negative)));
            out.add(new Input("fps " + negative, with("fps", negative)));
            out.add(new Input("resolution " + negative, with("resolution", negative)));
            if (!negative.equals("0")) { // seed 0 is a fine seed
                out.add(new Input("seed " + negative, with("seed", negative)));
            }
        }
        out.add(new Input("17 views", with("views", "[" + String.join(",",
                Collections.nCopies(17, "{\"trajectory\":\"orbit\"}")) + "]")));
        out.add(new Input("frames x views", with("views", "[" + String.join(",",
                Collections.nCopies(16, "{\"trajectory\":\"orbit\"}")) + "]").replace("\"frames\":8",
                "\"frames\":1000")));
        out.add(new Input("z of 100000 codes", with("z", "[" + String.join(",", Collections.nCopies(100_000, "0.1"))
                + "]")));
        out.add(new Input("z code 1e6", with("z", "[" + String.join(",", Collections.nCopies(64, "1e6")) + "]")));
        out.add(new Input("nested 2000 deep", with("outputs", "[".repeat(2000) + "]".repeat(2000))));
        for (String kind : new String[] {"GENERATE", "render", "", " generate", "generate ", "edit2", "null",
                "../generate", "generate\u0000"}) {
            out.add(new Input("kind " + kind, with("kind", quote(kind))));
        }
        out.add(new Input("no kind", VALID.replace("\"kind\":\"generate\",", "")));
        for (String field : new String[] {"extra", "Kind", "FRAMES", "__proto__", "constructor", "job_id "}) {
            out.add(new Input("unknown field " + field, VALID.replace("{\"kind\"", "{" + quote(field) + ":1,\"kind\"")));
        }
        for (String hostile : new String[] {"../acme", "..%2Facme", "/etc/passwd", "acme/../globex", "ACME",
                "a".repeat(64), "acme\n", "acme\u0000", "<script>", "acme;rm -rf /", "ＡＣＭＥ", "-acme", ""}) {
            out.add(new Input("tenant " + hostile, with("tenant", quote(hostile))));
            out.add(new Input("idempotency_key " + hostile, with("idempotency_key", quote(hostile + "/"))));
            out.add(new Input("model " + hostile, with("model", quote(hostile + "/.."))));
        }
        out.add(new Input("idempotency_key of 129", with("idempotency_key", quote("k".repeat(129)))));
        out.add(new Input("view trajectory unknown", VALID.replace("\"orbit\"", "\"spiral\"")));
        out.add(new Input("view yaw string", VALID.replace("\"yaw\":1.2", "\"yaw\":\"1.2\"")));
        out.add(new Input("view extra field", VALID.replace("{\"trajectory\":\"orbit\"}",
                "{\"trajectory\":\"orbit\",\"speed\":2}")));
        out.add(new Input("outputs unknown", VALID.replace("\"png_frames\":true", "\"gif\":true")));
        out.add(new Input("priority urgent", VALID.replace("\"high\"", "\"urgent\"")));
        out.add(new Input("priority number", VALID.replace("\"high\"", "1")));
        out.add(new Input("job_id set", with("job_id", quote("0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10"))));
        out.add(new Input("schema_version 2", with("schema_version", "2")));
        return out;
    }

    /** Values that are in fact valid for the field (so they are not in the corpus). */
    private static boolean isAcceptable(String field, String value) {
        return (field.equals("outputs") && value.equals("{}"))
                || (field.equals("truncation_psi") && value.equals("1.5"))
                || (field.equals("idempotency_key") && value.startsWith("\"") && !value.equals("\"\""));
    }

    /** The valid body with {@code field} set to the raw JSON {@code value} (added when absent). */
    static String with(String field, String value) {
        String key = "\"" + field + "\":";
        int at = VALID.indexOf(key);
        if (at < 0) {
            return VALID.substring(0, VALID.length() - 1) + "," + key + value + "}";
        }
        int start = at + key.length();
        int depth = 0;
        int end = start;
        boolean inString = false;
        for (; end < VALID.length(); end++) {
            char c = VALID.charAt(end);
            if (c == '"' && VALID.charAt(end - 1) != '\\') {
                inString = !inString;
            } else if (!inString && (c == '[' || c == '{')) {
                depth++;
            } else if (!inString && (c == ']' || c == '}')) {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (!inString && c == ',' && depth == 0) {
                break;
            }
        }
        return VALID.substring(0, start) + value + VALID.substring(end);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
