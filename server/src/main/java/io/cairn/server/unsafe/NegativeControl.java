package io.cairn.server.unsafe;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A deliberate bug, switched on only by the fault-injection suite's negative controls
 * ({@code bin/jepsen --negative-controls}) to prove that its checkers can fail. Each breaks exactly
 * one guarantee; none may ever be enabled on a member that holds data anyone cares about.
 */
public enum NegativeControl {
    /** {@code quorum=true} GETs are answered from the local store without a ReadIndex round. */
    STALE_QUORUM_READS("stale-quorum-reads",
            "quorum=true reads skip ReadIndex and are served from local state (stale reads on an isolated or lagging member)"),
    /** Raft log writes stay in this process's memory for a second while fsync reports success. */
    ACK_BEFORE_PERSIST("ack-before-persist",
            "Raft log writes are held in process memory (not even the OS page cache) for "
                    + DeferredWriteFileIO.DEFAULT_DELAY_MILLIS + " ms while fsync reports success: "
                    + "entries are acknowledged, committed and applied before they are durable, and kill -9 loses them"),
    /** Every committed entry reaches the state machine twice, under two fresh indexes. */
    APPLY_TWICE("apply-twice",
            "every committed entry is applied to the store twice (the applied-index guard is bypassed)");

    private final String flagValue;
    private final String breaks;

    NegativeControl(String flagValue, String breaks) {
        this.flagValue = flagValue;
        this.breaks = breaks;
    }

    /** The name on the command line: {@code --unsafe-negative-control=<flagValue>}. */
    public String flagValue() {
        return flagValue;
    }

    /** What the control breaks, for the startup warning. */
    public String breaks() {
        return breaks;
    }

    /** The control named {@code value} (as written on the command line, case-insensitive). */
    public static Optional<NegativeControl> parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.flagValue.equals(v)).findFirst();
    }

    /** The accepted names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(NegativeControl::flagValue).collect(Collectors.joining(", "));
    }
}
