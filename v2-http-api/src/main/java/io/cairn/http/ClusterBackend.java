package io.cairn.http;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStore;
import io.cairn.kv.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP layer needs from the member it runs in, beyond the local store: consensus, raft
 * status and membership. The server implements it over its RaftNode; tests implement it over a
 * store applied in-process.
 */
public interface ClusterBackend {

    /** The local store: reads and watches are served from it. */
    KvStore store();

    /** Builds the commands proposed through {@link #propose}. */
    KvCommands commands();

    /**
     * Proposes a kv command through Raft from this member (forwarded to the leader when this member
     * follows). Completes with the result of applying it on this member.
     */
    CompletableFuture<ApplyResult> propose(byte[] command);

    /**
     * Completes once this member's store reflects every write acknowledged before the call
     * (ReadIndex, then the local apply catches up): a {@code quorum=true} read may then be served
     * locally.
     */
    CompletableFuture<Void> readBarrier();

    /** How long a proposal or read barrier may take before it answers 500 "request timed out". */
    Duration requestTimeout();

    /** This member's id. */
    long memberId();

    /** The cluster id ({@code X-Etcd-Cluster-Id}). */
    long clusterId();

    /** This member's name (--name). */
    String name();

    /** The raft commit index now ({@code X-Raft-Index}). */
    long raftIndex();

    /** The raft term now ({@code X-Raft-Term}). */
    long raftTerm();

    /** The leader's id, 0 when none is known. */
    long leaderId();

    /** Whether this member can serve reads that reflect the cluster: a leader is known and the store is caught up. */
    boolean isReady();

    /** When this member started. */
    Instant startTime();

    /** When the current leader was elected (as this member saw it). */
    Instant leaderSince();

    /** Appends received and sent, for /v2/stats/self. */
    long recvAppendRequests();

    long sendAppendRequests();

    /**
     * On the leader, per follower (id) the replication statistics for /v2/stats/leader; null on a
     * member that does not lead.
     */
    Map<Long, FollowerStats> followerStats();

    /** Adds a member with these peer URLs (validated by the caller). Fails with {@link MembershipException}. */
    CompletableFuture<Member> addMember(List<String> peerUrls);

    /** Removes a member. Fails with {@link MembershipException}. */
    CompletableFuture<Void> removeMember(long id);

    /** Replaces a member's peer URLs. Fails with {@link MembershipException}. */
    CompletableFuture<Void> updateMember(long id, List<String> peerUrls);

    /** Replication statistics of one follower, as the leader sees them. */
    record FollowerStats(double latencyCurrentMs, double latencyAverageMs, double latencyStdDevMs,
            double latencyMinMs, double latencyMaxMs, long failures, long successes) {
    }
}
