package io.cairn.http;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStateMachine;
import io.cairn.kv.KvStore;
import io.cairn.kv.KvStoreOptions;
import io.cairn.kv.Member;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-member "cluster" for HTTP tests: commands are applied to a real kv-store state machine on
 * one thread, in order, as Raft would apply them, without Raft.
 */
final class LocalBackend implements ClusterBackend, AutoCloseable {
    static final long MEMBER = 0xd135fd1709435c22L;
    static final long CLUSTER = 0x70f1cd662a9a4784L;

    private final KvStateMachine store;
    private final ExecutorService applier = Executors.newSingleThreadExecutor(r -> new Thread(r, "local-apply"));
    private final AtomicLong raftIndex = new AtomicLong();
    private final Instant started = Instant.now();
    volatile boolean stalled;

    LocalBackend(Path dir) throws IOException {
        store = KvStateMachine.open(KvStoreOptions.defaults(dir));
        // The founding member, as a bootstrap configuration entry would record it.
        byte[] context = KvCommands.memberContext(List.of("http://127.0.0.1:2380"), "", List.of());
        apply(new Entry(1, raftIndex.incrementAndGet(), EntryType.CONFIG_CHANGE,
                new ConfigChange(ConfigChange.Type.ADD_VOTER, MEMBER, context).encode()));
        apply(Entry.normal(1, raftIndex.incrementAndGet(), commands().publishMember(MEMBER, "local",
                List.of("http://127.0.0.1:2379"))));
    }

    private ApplyResult apply(Entry entry) {
        return store.apply(List.of(entry)).get(0);
    }

    @Override
    public KvStore store() {
        return store;
    }

    @Override
    public KvCommands commands() {
        return KvCommands.systemClock();
    }

    @Override
    public CompletableFuture<ApplyResult> propose(byte[] command) {
        if (stalled) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.supplyAsync(() -> apply(Entry.normal(1, raftIndex.incrementAndGet(), command)), applier);
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        return stalled ? new CompletableFuture<>() : CompletableFuture.runAsync(() -> { }, applier);
    }

    @Override
    public Duration requestTimeout() {
        return Duration.ofMillis(500);
    }

    @Override
    public long memberId() {
        return MEMBER;
    }

    @Override
    public long clusterId() {
        return CLUSTER;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public long raftIndex() {
        return raftIndex.get();
    }

    @Override
    public long raftTerm() {
        return 1;
    }

    @Override
    public long leaderId() {
        return stalled ? 0 : MEMBER;
    }

    @Override
    public boolean isReady() {
        return !stalled;
    }

    @Override
    public Instant startTime() {
        return started;
    }

    @Override
    public Instant leaderSince() {
        return started;
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
        return Map.of();
    }

    @Override
    public CompletableFuture<Member> addMember(List<String> peerUrls) {
        return CompletableFuture.failedFuture(MembershipException.internal());
    }

    @Override
    public CompletableFuture<Void> removeMember(long id) {
        return CompletableFuture.failedFuture(store.member(id).isPresent() ? MembershipException.internal()
                : MembershipException.noSuchMember(Long.toHexString(id)));
    }

    @Override
    public CompletableFuture<Void> updateMember(long id, List<String> peerUrls) {
        return removeMember(id);
    }

    @Override
    public void close() {
        applier.shutdownNow();
        store.close();
    }
}
