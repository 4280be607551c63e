package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a member's process is started: its command line and the environment added to the
 * harness's own. Fault injectors that need the member started in a special way (a preloaded
 * library, say) adapt it before the cluster is created; see {@link Adapter}.
 */
public record MemberLaunch(List<String> command, Map<String, String> environment) {
    /** The dynamic linker's list of libraries to preload; several injectors may each add one. */
    public static final String LD_PRELOAD = "LD_PRELOAD";

    public MemberLaunch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** Changes a member's launch before its first start; applied to every member, once. */
    @FunctionalInterface
    public interface Adapter {
        Adapter NONE = (node, launch) -> launch;

        MemberLaunch adapt(NodeSpec node, MemberLaunch launch) throws IOException;
    }

    /** This launch with {@code extra} variables set; a library in {@code LD_PRELOAD} is added to those already preloaded. */
    public MemberLaunch withEnvironment(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        extra.forEach((name, value) -> merged.merge(name, value,
                (old, added) -> name.equals(LD_PRELOAD) ? old + " " + added : added));
        return new MemberLaunch(command, merged);
    }

    /** This launch run through {@code wrapper} (a program that execs the rest of its arguments). */
    public MemberLaunch wrappedIn(List<String> wrapper) {
        List<String> wrapped = new ArrayList<>(wrapper);
        wrapped.addAll(command);
        return new MemberLaunch(wrapped, environment);
    }
}
