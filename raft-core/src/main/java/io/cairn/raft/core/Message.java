package io.cairn.raft.core;

import java.util.List;
import java.util.Objects;

/**
 * A protocol message. One immutable value type for every {@link MessageType}, so transports
 * serialise a single shape; fields a type does not use are zero / empty.
 *
 * <ul>
 *   <li>{@code term}: sender's term (0 for local messages and for PROPOSE/READ_INDEX).</li>
 *   <li>{@code logTerm}, {@code index}: for APPEND the entry preceding {@code entries}; for
 *       VOTE/PRE_VOTE the candidate's last entry; for APPEND_RESPONSE the follower's match (accept)
 *       or the rejected index (reject); for HEARTBEAT_RESPONSE the follower's last index (so a leader
 *       notices a follower whose log regressed); for READ_INDEX_RESPONSE the read index.</li>
 *   <li>{@code commit}: sender's commit index (APPEND, HEARTBEAT).</li>
 *   <li>{@code reject}, {@code rejectHint}, {@code hintTerm}: a refused vote or append; for an
 *       append, the follower's best guess of where logs may match: an index whose term is
 *       {@code hintTerm}, so the leader can skip a whole term per round trip.</li>
 *   <li>{@code context}: ReadIndex request id (HEARTBEAT, READ_INDEX, READ_INDEX_RESPONSE and
 *       their responses); for VOTE, 1 marks an election started by leadership transfer.</li>
 * </ul>
 */
public final class Message {
    /** VOTE context value that marks a campaign caused by a leadership transfer. */
    public static final long CONTEXT_TRANSFER = 1;

    private final MessageType type;
    private final long from;
    private final long to;
    private final long term;
    private final long logTerm;
    private final long index;
    private final List<Entry> entries;
    private final long commit;
    private final boolean reject;
    private final long rejectHint;
    private final long hintTerm;
    private final long context;
    private final SnapshotMetadata snapshot;

    private Message(Builder b) {
        this.type = Objects.requireNonNull(b.type, "type");
        this.from = b.from;
        this.to = b.to;
        this.term = b.term;
        this.logTerm = b.logTerm;
        this.index = b.index;
        this.entries = b.entries == null ? List.of() : List.copyOf(b.entries);
        this.commit = b.commit;
        this.reject = b.reject;
        this.rejectHint = b.rejectHint;
        this.hintTerm = b.hintTerm;
        this.context = b.context;
        this.snapshot = b.snapshot;
    }

    public static Builder builder(MessageType type) {
        return new Builder(type);
    }

    /** A builder pre-filled with this message's fields. */
    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.from = from;
        b.to = to;
        b.term = term;
        b.logTerm = logTerm;
        b.index = index;
        b.entries = entries;
        b.commit = commit;
        b.reject = reject;
        b.rejectHint = rejectHint;
        b.hintTerm = hintTerm;
        b.context = context;
        b.snapshot = snapshot;
        return b;
    }

    public MessageType type() { return type; }
    public long from() { return from; }
    public long to() { return to; }
    public long term() { return term; }
    public long logTerm() { return logTerm; }
    public long index() { return index; }
    public List<Entry> entries() { return entries; }
    public long commit() { return commit; }
    public boolean reject() { return reject; }
    public long rejectHint() { return rejectHint; }
    public long hintTerm() { return hintTerm; }
    public long context() { return context; }
    /**
     * The snapshot's identity for SNAPSHOT messages. An APPEND whose previous index is 0 also
     * carries the leader's bootstrap snapshot point (index 0, term 0, the founding members), so a
     * node that joined with no configuration learns the membership the log starts from. Otherwise
     * null.
     */
    public SnapshotMetadata snapshot() { return snapshot; }

    /** Approximate wire size, for byte-bounded queues and inflight windows. */
    public long sizeBytes() {
        long size = 64;
        for (Entry e : entries) {
            size += e.sizeBytes();
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && m.from == from && m.to == to && m.term == term
                && m.logTerm == logTerm && m.index == index && m.commit == commit && m.reject == reject
                && m.rejectHint == rejectHint && m.hintTerm == hintTerm && m.context == context
                && Objects.equals(m.entries, entries) && Objects.equals(m.snapshot, snapshot);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, from, to, term, index, commit);
    }

    /** A compact one-line rendering, stable so golden transcripts can compare it. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(Long.toHexString(from)).append("->").append(Long.toHexString(to)).append(' ').append(type)
                .append(" term=").append(term);
        if (logTerm != 0 || index != 0) {
            s.append(" log=").append(logTerm).append('/').append(index);
        }
        if (commit != 0) {
            s.append(" commit=").append(commit);
        }
        if (reject) {
            s.append(" REJECT hint=").append(rejectHint).append('/').append(hintTerm);
        }
        if (context != 0) {
            s.append(" ctx=").append(context);
        }
        if (!entries.isEmpty()) {
            s.append(" entries=").append(entries);
        }
        if (snapshot != null) {
            s.append(" snapshot=").append(snapshot.index()).append('/').append(snapshot.term())
                    .append(" voters=").append(snapshot.config().voters());
        }
        return s.toString();
    }

    /** Fluent builder; unset fields are zero / empty. */
    public static final class Builder {
        private final MessageType type;
        private long from;
        private long to;
        private long term;
        private long logTerm;
        private long index;
        private List<Entry> entries;
        private long commit;
        private boolean reject;
        private long rejectHint;
        private long hintTerm;
        private long context;
        private SnapshotMetadata snapshot;

        private Builder(MessageType type) {
            this.type = type;
        }

        public Builder from(long v) { this.from = v; return this; }
        public Builder to(long v) { this.to = v; return this; }
        public Builder term(long v) { this.term = v; return this; }
        public Builder logTerm(long v) { this.logTerm = v; return this; }
        public Builder index(long v) { this.index = v; return this; }
        public Builder entries(List<Entry> v) { this.entries = v; return this; }
        public Builder commit(long v) { this.commit = v; return this; }
        public Builder reject(boolean v) { this.reject = v; return this; }
        public Builder rejectHint(long v) { this.rejectHint = v; return this; }
        public Builder hintTerm(long v) { this.hintTerm = v; return this; }
        public Builder context(long v) { this.context = v; return this; }
        public Builder snapshot(SnapshotMetadata v) { this.snapshot = v; return this; }

        public Message build() {
            return new Message(this);
        }
    }
}
