package org.pv3dfarm.worker;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * The handler a consumer loop runs: each request goes to the handler of its {@link JobKind}. A kind without one
 * is an invalid job for this worker (the loop only subscribes to the kinds it serves, so that means a request on
 * the wrong topic).
 */
public final class KindDispatchingHandler implements JobHandler {

    private final Map<JobKind, JobHandler> handlers;

    public KindDispatchingHandler(Map<JobKind, JobHandler> handlers) {
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("at least one job kind needs a handler");
        }
        this.handlers = new EnumMap<>(handlers);
    }

    /** The kinds handled. */
    public Set<JobKind> kinds() {
        return handlers.keySet();
    }

    @Override
    public OutputKeys handle(JobContext context) throws Exception {
        JobHandler handler = handlers.get(context.request().kind());
        if (handler == null) {
            throw new InvalidJobException("kind", "this worker runs " + handlers.keySet().stream()
                    .map(JobKind::wireName).toList() + " jobs, not " + context.request().kind().wireName());
        }
        return handler.handle(context);
    }
}
