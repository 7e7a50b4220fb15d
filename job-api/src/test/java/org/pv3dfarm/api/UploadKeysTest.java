package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadKeysTest {

    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @Test
    void keysLieUnderTheTenantsInputPrefix() {
        assertEquals("inputs/" + ID + "/face.png", UploadKeys.objectKey(null, ID, "face.png"));
        assertEquals("tenants/acme/inputs/" + ID + "/face.png", UploadKeys.objectKey("acme", ID, "face.png"));
        assertEquals("tenants/acme/inputs/" + ID + "/.upload.json", UploadKeys.recordKey("acme", ID));
        assertEquals("input.mov", UploadKeys.defaultName("video/quicktime"));
        assertEquals(Optional.of(new UploadKeys.Parsed(ID, "face.png")),
                UploadKeys.parse("acme", "tenants/acme/inputs/" + ID + "/face.png"));
    }

    @Test
    void namesCannotEscapeOrImpersonateTheRecord() {
        for (String bad : new String[] {"..", "../x.png", "a/b.png", ".upload.json", "", "a..png", "x\u0000.png",
                "-rf", "é.png", "a".repeat(200), null}) {
            assertFalse(UploadKeys.validName(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> UploadKeys.objectKey("acme", ID, "../../etc/passwd"));
        assertTrue(UploadKeys.validName("portrait_01.final-v2.JPG"));
    }

    @Test
    void onlyAnExactKeyOfTheTenantParses() {
        for (String key : new String[] {"tenants/globex/inputs/" + ID + "/face.png", "inputs/" + ID + "/face.png",
                "tenants/acme/inputs/" + ID + "/../../globex/inputs/" + ID + "/face.png",
                "tenants/acme/inputs/" + ID + "/.upload.json", "tenants/acme/inputs/" + ID + "/a/b.png",
                "tenants/acme/inputs/" + ID.toString().toUpperCase() + "/face.png",
                "tenants/acme/inputs/not-a-uuid-at-all-but-36-characters-/x.png", "tenants/acme/inputs/",
                "tenants/acme/" + ID + "/manifest.json"}) {
            assertEquals(Optional.empty(), UploadKeys.parse("acme", key), key);
        }
        assertEquals(Optional.empty(), UploadKeys.parse(null, "tenants/acme/inputs/" + ID + "/face.png"));
    }
}
