package io.cairn.server.http;

import io.cairn.http.ClusterBackend;
import io.cairn.http.MembershipException;
import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStore;
import io.cairn.kv.Member;
import io.cairn.raft.core.ProgressView;
import io.cairn.raft.core.Status;
import io.cairn.raft.node.RaftNode;
import io.cairn.server.member.CairnMember;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP layer's view of a running member: proposals and ReadIndex through its RaftNode, reads
 * and watches from its kv-store, membership changes as Raft configuration changes carrying
 * kv-store's member records.
 */
public final class RaftClusterBackend implements ClusterBackend {
    /** How far the applied index may trail the commit index for /readyz to say "caught up". */
    private static final long READY_LAG = 1000;

    private final CairnMember member;
    private final RaftNode<ApplyResult> node;
    private final KvCommands commands = KvCommands.systemClock();
    private final Duration requestTimeout;
    private final Instant started = Instant.now();
    private volatile Instant leaderSince = started;

    public RaftClusterBackend(CairnMember member) {
        this.member = member;
        this.node = member.node();
        // etcd: 5 s + 2 x election timeout (spec 12.4).
        this.requestTimeout = Duration.ofMillis(5000 + 2L * member.config().electionTimeoutMs());
        node.addLeaderListener((leader, term, isLocal) -> leaderSince = Instant.now());
    }

    @Override
    public KvStore store() {
        return member.store();
    }

    @Override
    public KvCommands commands() {
        return commands;
    }

    @Override
    public CompletableFuture<ApplyResult> propose(byte[] command) {
        return node.propose(command);
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        if (member.negativeControls().staleQuorumReads()) {
            return CompletableFuture.completedFuture(null); // test-only negative control: no ReadIndex
        }
        // readIndex completes once the local store has applied the confirmed read index.
        return node.readIndex().thenApply(index -> null);
    }

    @Override
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public long memberId() {
        return member.memberId();
    }

    @Override
    public long clusterId() {
        return member.clusterId();
    }

    @Override
    public String name() {
        return member.config().name();
    }

    @Override
    public long raftIndex() {
        return node.status().commitIndex();
    }

    @Override
    public long raftTerm() {
        return node.status().term();
    }

    @Override
    public long leaderId() {
        return node.leaderId();
    }

    @Override
    public boolean isReady() {
        Status s = node.status();
        return s.leaderId() != 0 && s.commitIndex() - s.appliedIndex() <= READY_LAG;
    }

    @Override
    public Instant startTime() {
        return started;
    }

    @Override
    public Instant leaderSince() {
        return leaderSince;
    }

    @Override
    public long recvAppendRequests() {
        return 0;
    }

    @Override
    public long sendAppendRequests() {
        return 0;
    }

    @Override
    public Map<Long, FollowerStats> followerStats() {
        if (!node.isLeader()) {
            return null;
        }
        Map<Long, FollowerStats> followers = new LinkedHashMap<>();
        for (Map.Entry<Long, ProgressView> e : node.progress().entrySet()) {
            if (e.getKey() != memberId()) {
                long match = e.getValue().match();
                followers.put(e.getKey(), new FollowerStats(0, 0, 0, 0, 0, e.getValue().recentActive() ? 0 : 1, match));
            }
        }
        return followers;
    }

    @Override
    public CompletableFuture<Member> addMember(List<String> peerUrls) {
        for (Member m : store().members()) {
            for (String url : m.peerUrls()) {
                if (peerUrls.contains(url)) {
                    return CompletableFuture.failedFuture(MembershipException.peerUrlExists());
                }
            }
        }
        long id = newMemberId(peerUrls, Clock.systemUTC().instant().getEpochSecond());
        if (store().member(id).isPresent()) {
            return CompletableFuture.failedFuture(new MembershipException(409, "membership: ID exists"));
        }
        byte[] context = KvCommands.memberContext(peerUrls, "", List.of());
        return node.addVoter(id, context).thenApply(done -> new Member(id, "", peerUrls, List.of()));
    }

    @Override
    public CompletableFuture<Void> removeMember(long id) {
        if (store().isRemoved(id)) {
            return CompletableFuture.failedFuture(MembershipException.removed(Long.toHexString(id)));
        }
        if (store().member(id).isEmpty()) {
            return CompletableFuture.failedFuture(MembershipException.noSuchMember(Long.toHexString(id)));
        }
        return node.removeMember(id);
    }

    @Override
    public CompletableFuture<Void> updateMember(long id, List<String> peerUrls) {
        if (store().member(id).isEmpty()) {
            return CompletableFuture.failedFuture(MembershipException.noSuchMember(Long.toHexString(id)));
        }
        for (Member m : store().members()) {
            if (m.id() != id && m.peerUrls().stream().anyMatch(peerUrls::contains)) {
                return CompletableFuture.failedFuture(MembershipException.peerUrlExists());
            }
        }
        return node.propose(commands.updatePeerUrls(id, peerUrls)).thenApply(result -> null);
    }

    /** etcd's id for a runtime add: SHA-1 of the sorted peer URLs and the Unix time (spec 13.5c). */
    static long newMemberId(List<String> sortedPeerUrls, long unixSeconds) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String url : sortedPeerUrls) {
                sha1.update(url.getBytes(StandardCharsets.UTF_8));
            }
            sha1.update(Long.toString(unixSeconds).getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha1.digest();
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (digest[i] & 0xff);
            }
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
