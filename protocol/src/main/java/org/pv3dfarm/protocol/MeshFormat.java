package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** A mesh file format. */
public enum MeshFormat {
    /** Binary little-endian PLY: float vertices, int triangle lists. */
    PLY("ply", "application/octet-stream"),
    /** Binary glTF 2.0 (one mesh, positions, normals, 32-bit indices). */
    GLB("glb", "model/gltf-binary");

    private final String wireName;
    private final String contentType;

    MeshFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public String extension() {
        return wireName;
    }

    public String contentType() {
        return contentType;
    }
}
