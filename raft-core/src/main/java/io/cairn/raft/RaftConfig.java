package io.cairn.raft;

import io.cairn.raft.core.CoreFault;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every tunable of a Raft node, with validated defaults. Build with {@link #builder(long)}.
 *
 * <p>Time is expressed in ticks of {@link #tickInterval()}: with the defaults a heartbeat goes
 * out every 100 ms and an election starts after a random 1000 to 2000 ms without a leader,
 * matching etcd's {@code --heartbeat-interval=100 --election-timeout=1000}.
 */
public final class RaftConfig {
    /** How linearizable reads are confirmed. */
    public enum ReadMode {
        /** Confirm leadership with a heartbeat round per batch of reads (safe, the default). */
        READ_INDEX,
        /** Trust a leader lease measured on the monotonic clock; faster, assumes bounded clock drift. */
        LEASE
    }

    private final long nodeId;
    private final Duration tickInterval;
    private final int electionTicks;
    private final int heartbeatTicks;
    private final boolean preVote;
    private final boolean checkQuorum;
    private final boolean initialElectionTickAdvance;
    private final long maxSizePerMessage;
    private final int maxInflightMessages;
    private final long maxInflightBytes;
    private final long maxUncommittedBytes;
    private final ReadMode readMode;
    private final long snapshotEveryEntries;
    private final long entriesKeptAfterSnapshot;
    private final int maxPendingProposals;
    private final Duration requestTimeout;
    private final Set<CoreFault> testFaults;

    private RaftConfig(Builder b) {
        this.nodeId = b.nodeId;
        this.tickInterval = b.tickInterval;
        this.electionTicks = b.electionTicks;
        this.heartbeatTicks = b.heartbeatTicks;
        this.preVote = b.preVote;
        this.checkQuorum = b.checkQuorum;
        this.initialElectionTickAdvance = b.initialElectionTickAdvance;
        this.maxSizePerMessage = b.maxSizePerMessage;
        this.maxInflightMessages = b.maxInflightMessages;
        this.maxInflightBytes = b.maxInflightBytes;
        this.maxUncommittedBytes = b.maxUncommittedBytes;
        this.readMode = b.readMode;
        this.snapshotEveryEntries = b.snapshotEveryEntries;
        this.entriesKeptAfterSnapshot = b.entriesKeptAfterSnapshot;
        this.maxPendingProposals = b.maxPendingProposals;
        this.requestTimeout = b.requestTimeout;
        this.testFaults = Set.copyOf(b.testFaults);
    }

    /** A builder with defaults for the node {@code nodeId} (non-zero). */
    public static Builder builder(long nodeId) {
        return new Builder(nodeId);
    }

    /** This node's id (non-zero, unique in the group). */
    public long nodeId() { return nodeId; }
    /** Wall-clock length of one tick in the runtime. Default 100 ms. */
    public Duration tickInterval() { return tickInterval; }
    /** Base election timeout in ticks; the actual timeout is random in [n, 2n). Default 10. */
    public int electionTicks() { return electionTicks; }
    /** Heartbeat interval in ticks. Default 1. */
    public int heartbeatTicks() { return heartbeatTicks; }
    /** Whether candidates run a PreVote round first. Default true. */
    public boolean preVote() { return preVote; }
    /** Whether a leader steps down without a live majority, and followers ignore votes while a leader is alive. Default true. */
    public boolean checkQuorum() { return checkQuorum; }

    /**
     * Whether a node that boots into a multi-voter cluster starts its election timer nearly
     * expired, so that a cluster restarted as a whole elects within one election timeout instead
     * of two (etcd's {@code --initial-election-tick-advance}). A node that boots beside a live
     * leader hears its heartbeat first, and PreVote refuses it if not; off by default.
     */
    public boolean initialElectionTickAdvance() { return initialElectionTickAdvance; }
    /** Upper bound on the entry bytes in one append message. Default 1 MiB. */
    public long maxSizePerMessage() { return maxSizePerMessage; }
    /** Per-follower bound on unacknowledged append messages. Default 256. */
    public int maxInflightMessages() { return maxInflightMessages; }
    /** Per-follower bound on unacknowledged append bytes. Default 32 MiB. */
    public long maxInflightBytes() { return maxInflightBytes; }
    /** Bound on the bytes of a leader's uncommitted log tail; proposals beyond it are dropped. Default 64 MiB. */
    public long maxUncommittedBytes() { return maxUncommittedBytes; }
    /** How linearizable reads are confirmed. Default {@link ReadMode#READ_INDEX}. */
    public ReadMode readMode() { return readMode; }
    /** Take a snapshot and compact the log after this many applied entries. Default 10,000. */
    public long snapshotEveryEntries() { return snapshotEveryEntries; }
    /** Entries kept behind a snapshot so slow followers catch up without one. Default 5,000. */
    public long entriesKeptAfterSnapshot() { return entriesKeptAfterSnapshot; }
    /** Bound on proposals queued in the runtime; beyond it proposals fail fast. Default 10,000. */
    public int maxPendingProposals() { return maxPendingProposals; }
    /** How long a proposal or read may wait before its future fails. Default 10 s. */
    public Duration requestTimeout() { return requestTimeout; }
    /** Deliberate bugs for negative-control tests. Always empty in production. */
    public Set<CoreFault> testFaults() { return testFaults; }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(nodeId);
        b.tickInterval = tickInterval;
        b.electionTicks = electionTicks;
        b.heartbeatTicks = heartbeatTicks;
        b.preVote = preVote;
        b.checkQuorum = checkQuorum;
        b.initialElectionTickAdvance = initialElectionTickAdvance;
        b.maxSizePerMessage = maxSizePerMessage;
        b.maxInflightMessages = maxInflightMessages;
        b.maxInflightBytes = maxInflightBytes;
        b.maxUncommittedBytes = maxUncommittedBytes;
        b.readMode = readMode;
        b.snapshotEveryEntries = snapshotEveryEntries;
        b.entriesKeptAfterSnapshot = entriesKeptAfterSnapshot;
        b.maxPendingProposals = maxPendingProposals;
        b.requestTimeout = requestTimeout;
        b.testFaults = EnumSet.noneOf(CoreFault.class);
        b.testFaults.addAll(testFaults);
        return b;
    }

    @Override
    public String toString() {
        return "RaftConfig{node=" + Long.toHexString(nodeId) + ", tick=" + tickInterval + ", election=" + electionTicks
                + ", heartbeat=" + heartbeatTicks + ", preVote=" + preVote + ", checkQuorum=" + checkQuorum
                + ", readMode=" + readMode + ", snapshotEvery=" + snapshotEveryEntries + "}";
    }

    /** Builder with defaults; {@link #build()} validates. */
    public static final class Builder {
        private final long nodeId;
        private Duration tickInterval = Duration.ofMillis(100);
        private int electionTicks = 10;
        private int heartbeatTicks = 1;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private boolean initialElectionTickAdvance;
        private long maxSizePerMessage = 1 << 20;
        private int maxInflightMessages = 256;
        private long maxInflightBytes = 32L << 20;
        private long maxUncommittedBytes = 64L << 20;
        private ReadMode readMode = ReadMode.READ_INDEX;
        private long snapshotEveryEntries = 10_000;
        private long entriesKeptAfterSnapshot = 5_000;
        private int maxPendingProposals = 10_000;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private EnumSet<CoreFault> testFaults = EnumSet.noneOf(CoreFault.class);

        private Builder(long nodeId) {
            this.nodeId = nodeId;
        }

        public Builder tickInterval(Duration v) { this.tickInterval = v; return this; }
        public Builder electionTicks(int v) { this.electionTicks = v; return this; }
        public Builder heartbeatTicks(int v) { this.heartbeatTicks = v; return this; }
        public Builder preVote(boolean v) { this.preVote = v; return this; }
        public Builder checkQuorum(boolean v) { this.checkQuorum = v; return this; }
        public Builder initialElectionTickAdvance(boolean v) { this.initialElectionTickAdvance = v; return this; }
        public Builder maxSizePerMessage(long v) { this.maxSizePerMessage = v; return this; }
        public Builder maxInflightMessages(int v) { this.maxInflightMessages = v; return this; }
        public Builder maxInflightBytes(long v) { this.maxInflightBytes = v; return this; }
        public Builder maxUncommittedBytes(long v) { this.maxUncommittedBytes = v; return this; }
        public Builder readMode(ReadMode v) { this.readMode = v; return this; }
        public Builder snapshotEveryEntries(long v) { this.snapshotEveryEntries = v; return this; }
        public Builder entriesKeptAfterSnapshot(long v) { this.entriesKeptAfterSnapshot = v; return this; }
        public Builder maxPendingProposals(int v) { this.maxPendingProposals = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }

        /** Enables deliberate protocol bugs; for negative-control tests only. */
        public Builder testFaults(Set<CoreFault> v) {
            this.testFaults = v.isEmpty() ? EnumSet.noneOf(CoreFault.class) : EnumSet.copyOf(v);
            return this;
        }

        public RaftConfig build() {
            require(nodeId != 0, "nodeId must be non-zero");
            require(tickInterval != null && !tickInterval.isNegative() && !tickInterval.isZero(), "tickInterval must be positive");
            require(heartbeatTicks > 0, "heartbeatTicks must be positive");
            require(electionTicks > heartbeatTicks, "electionTicks must exceed heartbeatTicks");
            require(maxSizePerMessage > 0, "maxSizePerMessage must be positive");
            require(maxInflightMessages > 0, "maxInflightMessages must be positive");
            require(maxInflightBytes >= maxSizePerMessage, "maxInflightBytes must be at least maxSizePerMessage");
            require(maxUncommittedBytes > 0, "maxUncommittedBytes must be positive");
            require(readMode != null, "readMode is required");
            require(snapshotEveryEntries > 0, "snapshotEveryEntries must be positive");
            require(entriesKeptAfterSnapshot >= 0, "entriesKeptAfterSnapshot must not be negative");
            require(maxPendingProposals > 0, "maxPendingProposals must be positive");
            require(requestTimeout != null && !requestTimeout.isNegative() && !requestTimeout.isZero(), "requestTimeout must be positive");
            return new RaftConfig(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
