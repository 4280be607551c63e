package io.cairn.server.unsafe;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvStateMachine;
import io.cairn.raft.node.StateMachine;
import io.cairn.raft.storage.FileStorageOptions;
import io.cairn.server.config.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The negative controls a member runs with: none unless the test-only flag
 * {@code --unsafe-negative-control=<name>} is given (repeatable, or comma-separated). The flag is
 * not one of etcd's and is not listed by {@code --help}; {@link #extract} removes it from the
 * command line before etcd's flags are parsed, so it has no {@code ETCD_*} variable and no
 * config-file key. The member logs a warning for each control at startup.
 */
public final class NegativeControls {
    /** The flag's name, without dashes. */
    public static final String FLAG = "unsafe-negative-control";

    private static final NegativeControls NONE = new NegativeControls(EnumSet.noneOf(NegativeControl.class));

    private final Set<NegativeControl> enabled;

    private NegativeControls(EnumSet<NegativeControl> enabled) {
        this.enabled = Collections.unmodifiableSet(EnumSet.copyOf(enabled));
    }

    /** A correct member: no control enabled. */
    public static NegativeControls none() {
        return NONE;
    }

    public static NegativeControls of(NegativeControl... controls) {
        EnumSet<NegativeControl> set = EnumSet.noneOf(NegativeControl.class);
        Collections.addAll(set, controls);
        return new NegativeControls(set);
    }

    /** A command line without the negative-control flag, and the controls it asked for. */
    public record Extracted(String[] remaining, NegativeControls controls) {
    }

    /**
     * Takes {@code --unsafe-negative-control=<name>} and {@code --unsafe-negative-control <name>}
     * (also with one dash, as Go's flag package allows) out of {@code args}.
     *
     * @throws ConfigException (exit 2) for an unknown name or a missing value
     */
    public static Extracted extract(String[] args) throws ConfigException {
        List<String> remaining = new ArrayList<>(args.length);
        EnumSet<NegativeControl> enabled = EnumSet.noneOf(NegativeControl.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                // Go's flag package stops at "--"; keep the rest for the etcd parser to judge.
                for (; i < args.length; i++) {
                    remaining.add(args[i]);
                }
                break;
            }
            String bare = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
            if (bare == null || !(bare.equals(FLAG) || bare.startsWith(FLAG + "="))) {
                remaining.add(arg);
                continue;
            }
            String value;
            if (bare.equals(FLAG)) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("flag needs an argument: -" + FLAG, ConfigException.EXIT_FLAG_SYNTAX);
                }
                value = args[++i];
            } else {
                value = bare.substring(FLAG.length() + 1);
            }
            for (String name : value.split(",", -1)) {
                enabled.add(NegativeControl.parse(name).orElseThrow(() -> ConfigException.badFlagValue(FLAG, value,
                        "unknown negative control (one of " + NegativeControl.names() + ")")));
            }
        }
        return new Extracted(remaining.toArray(String[]::new), enabled.isEmpty() ? NONE : new NegativeControls(enabled));
    }

    public boolean isEnabled(NegativeControl control) {
        return enabled.contains(control);
    }

    public boolean isEmpty() {
        return enabled.isEmpty();
    }

    public Set<NegativeControl> enabled() {
        return enabled;
    }

    /** Whether quorum reads skip ReadIndex ({@link NegativeControl#STALE_QUORUM_READS}). */
    public boolean staleQuorumReads() {
        return isEnabled(NegativeControl.STALE_QUORUM_READS);
    }

    /** The Raft log's storage options: the defaults, or the lying file system of {@link NegativeControl#ACK_BEFORE_PERSIST}. */
    public FileStorageOptions storageOptions() {
        if (!isEnabled(NegativeControl.ACK_BEFORE_PERSIST)) {
            return FileStorageOptions.defaults();
        }
        // No preallocation: its megabytes of zeros would otherwise sit in the deferred buffer too.
        return FileStorageOptions.builder()
                .fileIO(DeferredWriteFileIO.ofRaftSegments())
                .preallocationBytes(0)
                .build();
    }

    /**
     * The state machine the node drives: {@code store}, or {@code store} fed every entry twice
     * ({@link NegativeControl#APPLY_TWICE}). With {@link NegativeControl#ACK_BEFORE_PERSIST} the
     * store also stops logging its own writes, so that a kill loses what it applied from the
     * lossy Raft log instead of keeping it (which would hide the loss).
     */
    public StateMachine<ApplyResult> stateMachine(KvStateMachine store) {
        if (isEnabled(NegativeControl.ACK_BEFORE_PERSIST)) {
            store.unsafeSkipWriteAheadLog();
        }
        return isEnabled(NegativeControl.APPLY_TWICE) ? new ApplyTwiceStateMachine<>(store) : store;
    }

    /** One line per enabled control, for the startup log. */
    public List<String> warnings() {
        return enabled.stream()
                .map(c -> "UNSAFE NEGATIVE CONTROL --" + FLAG + "=" + c.flagValue() + " is enabled: " + c.breaks()
                        + ". This member is deliberately broken, for the fault-injection suite only.")
                .toList();
    }

    @Override
    public String toString() {
        return enabled.stream().map(NegativeControl::flagValue).toList().toString();
    }
}
