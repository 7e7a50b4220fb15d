package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobKind;

import java.util.Set;
import java.util.stream.Collectors;

/** The job kinds this farm has workers for ({@code pv3d.api.enabled-kinds}). */
public record EnabledKinds(Set<JobKind> kinds) {

    public EnabledKinds {
        kinds = Set.copyOf(kinds);
    }

    public boolean contains(JobKind kind) {
        return kinds.contains(kind);
    }

    /** The wire names, sorted, for messages. */
    public String names() {
        return kinds.stream().map(JobKind::wireName).sorted().collect(Collectors.joining(", "));
    }
}
