package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BulkBodyTest {

    private static List<BulkBody.Item> split(String body, boolean ndjson, int max) {
        return BulkBody.split(body.getBytes(StandardCharsets.UTF_8), ndjson, max);
    }

    private static String text(BulkBody.Item item) {
        return new String(item.json(), StandardCharsets.UTF_8);
    }

    @Test
    void arrayElementsAreSlicedExactlyAndNonObjectsAreItemErrors() {
        List<BulkBody.Item> items = split(" [ {\"a\":[1,{\"b\":\"}\"}]} , 7, \"x\", [1], {} ] ", false, 10);
        assertEquals(5, items.size());
        assertEquals("{\"a\":[1,{\"b\":\"}\"}]}", text(items.get(0)));
        for (int i = 1; i <= 3; i++) {
            assertNull(items.get(i).json());
            assertNotNull(items.get(i).error());
        }
        assertEquals("{}", text(items.get(4)));
        assertEquals(List.of(0, 1, 2, 3, 4), items.stream().map(BulkBody.Item::index).toList());
    }

    @Test
    void ndjsonSkipsBlankLinesAndCarriageReturns() {
        List<BulkBody.Item> items = split("{\"a\":1}\r\n\n  \n{\"b\":2}\nnot json", true, 10);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "not json"), items.stream().map(BulkBodyTest::text).toList());
    }

    @Test
    void wholeBodyProblems() {
        for (String body : new String[] {"{}", "[{}", "[{}] x", "", "[{\"a\":}]"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> split(body, false, 10), body);
            assertEquals(ProblemType.MALFORMED_BULK, e.type(), body);
        }
        assertEquals(ProblemType.BULK_TOO_LARGE,
                assertThrows(ProblemException.class, () -> split("[{},{},{}]", false, 2)).type());
        assertEquals(ProblemType.BULK_TOO_LARGE,
                assertThrows(ProblemException.class, () -> split("{}\n{}\n{}", true, 2)).type());
        assertEquals(List.of(), split("[]", false, 2));
    }
}
