package io.cairn.raft.core;

import io.cairn.raft.RaftConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A scripted, single-threaded test network of cores. Every Ready is carried out at once (persist,
 * send, acknowledge, apply); messages are delivered in FIFO order unless a filter drops them.
 * Everything observable is written to a transcript for golden-file comparison.
 */
final class Cluster {
    /** One member: its core, its "disk" and what it applied. */
    static final class Node {
        final long id;
        RaftCore core;
        final MemoryLog log;
        final List<Entry> applied = new ArrayList<>();
        final List<ReadState> reads = new ArrayList<>();
        final RaftConfig config;

        Node(long id, RaftConfig config, MemoryLog log, long seed) {
            this.id = id;
            this.config = config;
            this.log = log;
            this.core = new RaftCore(config, log, new Random(seed * 31 + id));
        }

        Status status() {
            return core.status();
        }
    }

    /** The most recently created cluster, so a failing test's transcript can be saved for diagnosis. */
    static Cluster last;

    final TreeMap<Long, Node> nodes = new TreeMap<>();
    private final Deque<Message> network = new ArrayDeque<>();
    private final Set<Long> isolated = new HashSet<>();
    private Predicate<Message> dropFilter = m -> false;
    private final StringBuilder transcript = new StringBuilder();
    private final long seed;
    private final UnaryOperator<RaftConfig.Builder> tweak;

    Cluster(int size, long seed, UnaryOperator<RaftConfig.Builder> tweak) {
        this.seed = seed;
        this.tweak = tweak;
        last = this;
        Long[] ids = new Long[size];
        for (int i = 0; i < size; i++) {
            ids[i] = (long) (i + 1);
        }
        for (Long id : ids) {
            add(id, MemoryLog.bootstrap(ids));
        }
    }

    /** A cluster whose members start from the given disks (for prepared, diverging logs). */
    Cluster(java.util.Map<Long, MemoryLog> disks, long seed, UnaryOperator<RaftConfig.Builder> tweak) {
        this.seed = seed;
        this.tweak = tweak;
        last = this;
        disks.forEach(this::add);
    }

    Cluster(int size) {
        this(size, 1, b -> b);
    }

    RaftConfig configFor(long id) {
        return tweak.apply(RaftConfig.builder(id).electionTicks(10).heartbeatTicks(1)).build();
    }

    /** Adds a member with the given disk (for example an empty one, to join later). */
    Node add(long id, MemoryLog log) {
        Node n = new Node(id, configFor(id), log, seed);
        nodes.put(id, n);
        return n;
    }

    Node node(long id) {
        return nodes.get(id);
    }

    Status status(long id) {
        return nodes.get(id).status();
    }

    // ---- scripting ----

    void note(String text) {
        transcript.append("# ").append(text).append('\n');
    }

    void tick(long id, int times) {
        transcript.append("> tick ").append(id).append(" x").append(times).append('\n');
        for (int i = 0; i < times; i++) {
            nodes.get(id).core.tick();
        }
    }

    void tickAll(int times) {
        transcript.append("> tick all x").append(times).append('\n');
        for (int i = 0; i < times; i++) {
            for (Node n : nodes.values()) {
                n.core.tick();
            }
        }
    }

    /**
     * Ticks every node once, delivering everything after each tick, until {@code condition} holds;
     * fails after {@code maxTicks}.
     */
    void tickAllUntil(String description, java.util.function.BooleanSupplier condition, int maxTicks) {
        transcript.append("> tick all until ").append(description).append('\n');
        for (int i = 1; i <= maxTicks; i++) {
            for (Node n : nodes.values()) {
                n.core.tick();
            }
            stabilize();
            if (condition.getAsBoolean()) {
                transcript.append("  (").append(i).append(" ticks)\n");
                return;
            }
        }
        throw new AssertionError("not reached within " + maxTicks + " ticks: " + description);
    }

    /** Ticks every node with full delivery until one leads; returns the ticks taken, or -1. */
    int ticksUntilALeader(int maxTicks) {
        for (int tick = 1; tick <= maxTicks; tick++) {
            for (long id : nodes.keySet()) {
                tick(id, 1);
            }
            stabilize();
            if (nodes.keySet().stream().anyMatch(id -> status(id).role() == Role.LEADER)) {
                return tick;
            }
        }
        return -1;
    }

    /** Ticks {@code id} alone until it leaves the follower role (starts an election). */
    void campaign(long id) {
        transcript.append("> tick ").append(id).append(" until it campaigns\n");
        RaftCore core = nodes.get(id).core;
        for (int i = 0; i < 100 && core.status().role() == Role.FOLLOWER; i++) {
            core.tick();
        }
        if (core.status().role() == Role.FOLLOWER) {
            throw new AssertionError("node " + id + " never campaigned");
        }
    }

    /** Ticks {@code id} alone, one tick at a time with full delivery, until it leads. */
    void elect(long id) {
        campaign(id);
        stabilize();
        if (status(id).role() != Role.LEADER) {
            throw new AssertionError("node " + id + " did not win: " + status(id));
        }
    }

    ProposeResult propose(long id, String... commands) {
        List<byte[]> data = new ArrayList<>();
        for (String c : commands) {
            data.add(c.getBytes(StandardCharsets.UTF_8));
        }
        ProposeResult result = nodes.get(id).core.propose(data);
        transcript.append("> propose ").append(id).append(' ').append(String.join(",", commands))
                .append(" -> ").append(result).append('\n');
        return result;
    }

    ProposeResult proposeConfigChange(long id, ConfigChange change) {
        ProposeResult result = nodes.get(id).core.proposeConfigChange(change);
        transcript.append("> conf ").append(id).append(' ').append(change).append(" -> ").append(result).append('\n');
        return result;
    }

    void readIndex(long id, long requestId) {
        transcript.append("> read ").append(id).append(" ctx=").append(requestId).append('\n');
        nodes.get(id).core.readIndex(requestId);
    }

    void transfer(long id, long transferee) {
        transcript.append("> transfer ").append(id).append(" to ").append(transferee).append('\n');
        nodes.get(id).core.transferLeadership(transferee);
    }

    void isolate(long id) {
        transcript.append("> isolate ").append(id).append('\n');
        isolated.add(id);
    }

    void heal() {
        transcript.append("> heal\n");
        isolated.clear();
        dropFilter = m -> false;
    }

    /** Drops every delivered message matching {@code filter} until {@link #heal()}. */
    void drop(String description, Predicate<Message> filter) {
        transcript.append("> drop ").append(description).append('\n');
        dropFilter = filter;
    }

    /** Stops a node and restarts it from its disk (what it persisted) and applied index. */
    void restart(long id) {
        transcript.append("> restart ").append(id).append('\n');
        Node n = nodes.get(id);
        long applied = n.applied.isEmpty() ? n.log.snapshot().index() : n.applied.get(n.applied.size() - 1).index();
        n.core = new RaftCore(n.config, n.log, Math.max(applied, n.log.snapshot().index()), new Random(seed + id));
        network.removeIf(m -> m.to() == id);
    }

    /** Injects a message as if received from the network (local messages like SNAPSHOT_STATUS). */
    void inject(Message m) {
        transcript.append("> inject ").append(m).append('\n');
        nodes.get(m.to()).core.step(m);
    }

    /** Processes Readys and delivers messages until nothing is left to do. */
    void stabilize() {
        for (int round = 0; round < 10_000; round++) {
            boolean busy = false;
            for (Node n : nodes.values()) {
                busy |= processReadys(n);
            }
            if (network.isEmpty()) {
                if (!busy) {
                    return;
                }
                continue;
            }
            List<Message> batch = new ArrayList<>(network);
            network.clear();
            for (Message m : batch) {
                deliver(m);
            }
        }
        throw new AssertionError("cluster did not stabilize");
    }

    private void deliver(Message m) {
        boolean dropped = isolated.contains(m.from()) || isolated.contains(m.to()) || dropFilter.test(m)
                || !nodes.containsKey(m.to());
        transcript.append(dropped ? "  DROP " : "  ").append(m).append('\n');
        if (!dropped) {
            nodes.get(m.to()).core.step(m);
        }
    }

    private boolean processReadys(Node n) {
        boolean any = false;
        while (n.core.hasReady()) {
            any = true;
            Ready r = n.core.ready();
            if (r.softState() != null) {
                transcript.append(Long.toHexString(n.id)).append(": ").append(r.softState().role())
                        .append(" term=").append(r.softState().term()).append(" leader=")
                        .append(Long.toHexString(r.softState().leaderId())).append('\n');
            }
            network.addAll(r.messagesNow());
            n.log.persist(r);
            network.addAll(r.messagesAfterPersist());
            n.core.onPersisted(r);
            if (r.snapshot() != null) {
                transcript.append(Long.toHexString(n.id)).append(": installed snapshot ")
                        .append(r.snapshot().index()).append('/').append(r.snapshot().term()).append('\n');
            }
            if (!r.committedEntries().isEmpty()) {
                n.applied.addAll(r.committedEntries());
                transcript.append(Long.toHexString(n.id)).append(": apply ").append(describe(r.committedEntries()))
                        .append('\n');
                n.core.onApplied(r.committedEntries().get(r.committedEntries().size() - 1).index());
            }
            for (ReadState rs : r.readStates()) {
                n.reads.add(rs);
                transcript.append(Long.toHexString(n.id)).append(": read ctx=").append(rs.requestId())
                        .append(" at index ").append(rs.index()).append('\n');
            }
        }
        return any;
    }

    private static String describe(List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        for (Entry e : entries) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(e.index()).append('/').append(e.term()).append(':');
            if (e.type() == EntryType.CONFIG_CHANGE) {
                s.append('[').append(ConfigChange.decode(e.data())).append(']');
            } else {
                s.append(e.data().length == 0 ? "noop" : new String(e.data(), StandardCharsets.UTF_8));
            }
        }
        return s.toString();
    }

    /** Appends every node's status line to the transcript. */
    void printStatus() {
        for (Node n : nodes.values()) {
            Status s = n.status();
            transcript.append("  [").append(Long.toHexString(n.id)).append(' ').append(s.role()).append(" term=")
                    .append(s.term()).append(" lead=").append(Long.toHexString(s.leaderId())).append(" commit=")
                    .append(s.commitIndex()).append(" applied=").append(s.appliedIndex()).append(" last=")
                    .append(s.lastIndex()).append(" voters=").append(s.config().voters());
            if (!s.config().learners().isEmpty()) {
                transcript.append(" learners=").append(s.config().learners());
            }
            transcript.append("]\n");
        }
    }

    /** Writes the transcript to target/transcripts/NAME.txt (diagnostics for failed tests). */
    void save(String name) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "transcripts");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(name + ".txt"), transcript);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String transcript() {
        return transcript.toString();
    }
}
