package org.pv3dfarm.worker;

import java.util.Objects;

/**
 * The request cannot run on this worker for a reason only the worker can see (a code whose length does not match
 * the loaded model, a model name this worker does not serve, a trajectory the model cannot draw). Running it again
 * cannot help, so the {@link JobConsumerLoop} dead-letters it at once with the reason, and announces a final
 * {@code failed} event with code {@code invalid_request}.
 */
public class InvalidJobException extends Exception {

    private final String field;

    /**
     * @param field   the JSON path of the offending field ({@code z}, {@code views[1].amplitude}), or "" for the
     *                request as a whole
     * @param problem what is wrong with it, e.g. {@code must have z_dim = 64 values for model pv3d-demo, has 3}
     */
    public InvalidJobException(String field, String problem) {
        this(field, problem, null);
    }

    public InvalidJobException(String field, String problem, Throwable cause) {
        super(Objects.requireNonNull(field, "field").isEmpty() ? problem : field + ": " + problem, cause);
        this.field = field;
    }

    /** The JSON path of the offending field, or "" for the request as a whole. */
    public String field() {
        return field;
    }
}
