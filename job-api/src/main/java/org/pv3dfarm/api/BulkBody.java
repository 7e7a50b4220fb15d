package org.pv3dfarm.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.pv3dfarm.protocol.JobCodecException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a bulk submission into its job requests without decoding them, so that each is decoded by the strict
 * {@code JobCodec} on its own and a bad one fails alone. Two shapes: a JSON array of request objects, or NDJSON
 * (one request object per line, blank lines ignored). An item's index counts items from 0 (blank lines do not
 * count). A JSON array that is not well-formed cannot be split, so it fails as a whole.
 */
final class BulkBody {

    /** One item: its raw bytes, or why it cannot be a request (an array element that is not an object). */
    record Item(int index, byte[] json, JobCodecException error) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private BulkBody() {
    }

    static List<Item> split(byte[] body, boolean ndjson, int maxItems) {
        return ndjson ? lines(body, maxItems) : array(body, maxItems);
    }

    private static List<Item> lines(byte[] body, int maxItems) {
        List<Item> items = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!blank(body, start, end)) {
                    checkCount(items.size() + 1, maxItems);
                    items.add(new Item(items.size(), Arrays.copyOfRange(body, start, end), null));
                }
                start = i + 1;
            }
        }
        return items;
    }

    private static List<Item> array(byte[] body, int maxItems) {
        List<Item> items = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw malformed("a JSON array of job requests (or application/x-ndjson) is required");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw malformed("the JSON array is not closed");
                }
                checkCount(items.size() + 1, maxItems);
                if (token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    items.add(new Item(items.size(), null,
                            new JobCodecException("", "each item must be a JSON object (a job request)", null)));
                    continue;
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                items.add(new Item(items.size(), Arrays.copyOfRange(body, start, end), null));
            }
            if (parser.nextToken() != null) {
                throw malformed("nothing may follow the JSON array");
            }
        } catch (JsonProcessingException e) {
            throw malformed("the body is not well-formed JSON: " + e.getOriginalMessage() + " at byte "
                    + e.getLocation().getByteOffset());
        } catch (IOException e) {
            throw malformed("the body could not be read: " + e.getMessage());
        }
        return items;
    }

    private static void checkCount(int count, int maxItems) {
        if (count > maxItems) {
            throw new ProblemException(ProblemType.BULK_TOO_LARGE, "a bulk request may carry at most " + maxItems
                    + " jobs; split it", null);
        }
    }

    private static boolean blank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_BULK, detail, null);
    }
}
