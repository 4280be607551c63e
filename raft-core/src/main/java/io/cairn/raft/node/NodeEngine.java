package io.cairn.raft.node;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.ProgressView;
import io.cairn.raft.core.ProposeResult;
import io.cairn.raft.core.RaftCore;
import io.cairn.raft.core.ReadState;
import io.cairn.raft.core.Ready;
import io.cairn.raft.core.Role;
import io.cairn.raft.core.SoftState;
import io.cairn.raft.core.Status;
import io.cairn.raft.node.RaftException.Reason;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.storage.Storage;
import io.cairn.raft.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@link RaftNode}: the event loop that owns the {@link RaftCore} and
 * carries out every {@link Ready} in the order its contract demands (send now, persist, send
 * after persist, apply, serve reads), plus the ticker and the wiring to storage, transport and
 * the apply thread.
 *
 * <p>Fields marked "loop" are touched only on the event-loop thread.
 */
final class NodeEngine<R> implements Transport.InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(NodeEngine.class);
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    /** A learner this close to the commit index counts as caught up for auto-promotion. */
    private static final long PROMOTION_LAG = 64;

    private final RaftConfig config;
    private final long id;
    private final Storage storage;
    private final Transport transport;
    private final LongSupplier nanoClock;
    private final boolean autoPromoteLearners;
    private final Function<byte[], String> addressOfContext;
    private final RaftCore core;
    private final EventLoop loop;
    private final ScheduledExecutorService ticker;
    private final Applier<R> applier;
    private final SnapshotManager snapshots;
    private final ProposalTracker<R> proposals;
    private final ReadTracker reads;
    private final MembershipTracker membership = new MembershipTracker();
    private final LeaderLease lease;
    private final NodeMetrics metrics;
    private final List<LeaderListener> leaderListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long timeoutNanos;

    private final PersistPipeline persistence; // loop
    private List<ProposalTracker.Pending<R>> heldProposals = new ArrayList<>(); // loop
    private boolean retryHeld; // loop
    private long appliedIndex; // loop
    private long ticks; // loop
    /** Removed members still reachable, by the tick after which the transport forgets them. */
    private final Map<Long, Long> retiringPeers = new java.util.concurrent.ConcurrentHashMap<>();
    private long lastTerm = -1; // loop

    private volatile Status status;
    private volatile Map<Long, ProgressView> progress = Map.of();
    private volatile Throwable failure;
    private final CompletableFuture<Throwable> failed = new CompletableFuture<>();

    NodeEngine(NodeSettings<R> settings) {
        this.config = settings.config();
        this.id = config.nodeId();
        this.storage = settings.storage();
        this.transport = settings.transport();
        this.nanoClock = settings.nanoClock();
        this.autoPromoteLearners = settings.autoPromoteLearners();
        this.addressOfContext = settings.addressOfContext();
        this.timeoutNanos = config.requestTimeout().toNanos();
        this.metrics = new NodeMetrics(settings.meterRegistry(), id);
        this.snapshots = new SnapshotManager(id, storage, transport, config.entriesKeptAfterSnapshot());
        this.proposals = new ProposalTracker<>(id, settings.incarnation(), config.maxPendingProposals(), timeoutNanos,
                nanoClock, metrics::proposalCompleted);
        this.reads = new ReadTracker(config.maxPendingProposals(), timeoutNanos,
                config.tickInterval().toNanos() * config.heartbeatTicks());
        long electionNanos = config.tickInterval().toNanos() * config.electionTicks();
        // The lease must end before any follower could time out: keep a fifth of the minimum
        // election timeout as margin for clock-rate drift and message delay.
        this.lease = new LeaderLease(electionNanos * 4 / 5, electionNanos / 2, nanoClock.getAsLong());

        StartupState start = StartupState.recover(settings, snapshots);
        this.appliedIndex = start.appliedIndex();
        this.core = new RaftCore(config, storage, start.coreAppliedIndex(), settings.random());
        this.status = core.status();
        String name = Long.toHexString(id);
        this.applier = new Applier<>("cairn-apply-" + name, settings.stateMachine(), proposals, membership, snapshots,
                metrics, new ApplyCallbacks(), config.snapshotEveryEntries(), storage.snapshot(),
                start.appliedIndex(), start.appliedTerm(), start.appliedConfig());
        this.loop = new EventLoop("cairn-raft-" + name, Math.max(1024, config.maxPendingProposals()),
                this::afterBatch, this::fatal);
        this.persistence = new PersistPipeline(storage, loop::wakeUp);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-tick-" + name);
            t.setDaemon(true);
            return t;
        });
        metrics.appliedIndex(appliedIndex);
        settings.peers().forEach((peer, address) -> {
            if (peer != id) {
                transport.addPeer(peer, address);
            }
        });
    }

    void start() {
        applier.start();
        loop.start();
        transport.start(this);
        long tickMillis = config.tickInterval().toMillis();
        ticker.scheduleAtFixedRate(this::scheduleTick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    // ---- requests from any thread ----

    long id() {
        return id;
    }

    CompletableFuture<R> propose(byte[] command) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        ProposalTracker.Pending<R> pending;
        try {
            pending = proposals.register(command);
        } catch (RaftException e) {
            return CompletableFuture.failedFuture(e);
        }
        loop.wakeUp();
        if (closed.get()) {
            proposals.fail(pending, closedException());
        }
        return pending.future;
    }

    CompletableFuture<Long> readIndex() {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        CompletableFuture<Long> future = reads.register(nanoClock.getAsLong() + timeoutNanos);
        loop.wakeUp();
        return future;
    }

    CompletableFuture<Void> transferLeadership(long target) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        submit(future, () -> {
            if (status.leaderId() == target) {
                future.complete(null);
                return;
            }
            membership.addTransfer(target, core.status().term(), future, nanoClock.getAsLong() + timeoutNanos);
            lease.invalidate();
            core.transferLeadership(target);
        });
        return future;
    }

    CompletableFuture<Void> changeMembership(ConfigChange change) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        submit(future, () -> {
            // Reach a newcomer at once, so it can be replicated to as soon as the change commits.
            // A member being removed stays reachable until its removal commits (and a little
            // longer, see updatePeers): it may be needed to commit it, and must hear that it did.
            if (change.type() != ConfigChange.Type.REMOVE_NODE) {
                updatePeers(change);
            }
            membership.addChange(change, future, nanoClock.getAsLong() + timeoutNanos);
            ProposeResult result = core.proposeConfigChange(change);
            if (result != ProposeResult.APPENDED && result != ProposeResult.FORWARDED) {
                future.completeExceptionally(rejection(result, "membership change " + change));
            }
        });
        return future;
    }

    private void submit(CompletableFuture<?> future, Runnable onLoop) {
        if (closed.get()) {
            future.completeExceptionally(closedException());
        } else if (!loop.offerExternal(onLoop)) {
            future.completeExceptionally(new RaftException(Reason.OVERLOADED, "node inbox is full"));
        }
    }

    Status status() {
        return status;
    }

    Map<Long, ProgressView> progress() {
        return progress;
    }

    void addLeaderListener(LeaderListener listener) {
        leaderListeners.add(listener);
    }

    void removeLeaderListener(LeaderListener listener) {
        leaderListeners.remove(listener);
    }

    // ---- inbound traffic (transport threads) ----

    @Override
    public void onMessage(Message message) {
        // A full inbox drops the message: Raft retransmits, and dropping keeps memory bounded.
        loop.offerExternal(() -> core.step(message));
    }

    @Override
    public SnapshotStore.Writer openSnapshot(Message message) throws IOException {
        if (closed.get()) {
            throw new IOException("node " + Long.toHexString(id) + " is closed");
        }
        return snapshots.receive(message);
    }

    @Override
    public void onUnreachable(long peerId) {
        loop.offerExternal(() -> core.step(Message.builder(MessageType.UNREACHABLE).from(peerId).to(id).build()));
    }

    @Override
    public void onReachable(long peerId) {
        loop.offerExternal(() -> core.peerReachable(peerId));
    }

    // ---- the event loop ----

    private void scheduleTick() {
        if (tickQueued.compareAndSet(false, true)) {
            loop.execute(this::onTick);
        }
    }

    private void onTick() {
        tickQueued.set(false);
        long now = nanoClock.getAsLong();
        lease.onTick(now);
        core.tick();
        ticks++;
        retirePeers();
        proposals.expire(now);
        reads.expire(now);
        membership.expire(now);
        retryHeld = true;
        Status st = core.status();
        membership.transfersStalled(st);
        if (st.role() == Role.LEADER) {
            if (config.readMode() == RaftConfig.ReadMode.LEASE && ticks % config.heartbeatTicks() == 0) {
                // Renew the lease with a read round of its own; its confirmation extends the lease.
                core.readIndex(reads.startRound(new ArrayList<>(), now, st.term(), true));
            }
            progress = core.progress();
            if (autoPromoteLearners && !st.config().learners().isEmpty()) {
                promoteCaughtUpLearners(st);
            }
        } else if (!progress.isEmpty()) {
            progress = Map.of();
        }
    }

    private void afterBatch() {
        if (closed.get()) {
            return;
        }
        submitProposals();
        submitReads();
        processReadies();
        if (retryHeld) {
            retryHeld = false;
            submitProposals();
            submitReads();
            processReadies();
        }
        if (reads.hasQueued() && !reads.roundInFlight(nanoClock.getAsLong())) {
            // the round the waiting reads queued behind was just confirmed: nothing else may wake us
            submitReads();
            processReadies();
        }
        status = core.status();
        metrics.commitIndex(status.commitIndex());
    }

    private void processReadies() {
        while (true) {
            drainPersisted();
            if (!core.hasReady()) {
                return;
            }
            handle(core.ready());
        }
    }

    private void submitProposals() {
        List<ProposalTracker.Pending<R>> batch = heldProposals;
        heldProposals = new ArrayList<>();
        batch.removeIf(p -> p.future.isDone());
        batch.addAll(proposals.takeUnsubmitted());
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> commands = new ArrayList<>(batch.size());
        batch.forEach(p -> commands.add(p.wrapped));
        ProposeResult result = core.propose(commands);
        switch (result) {
            case APPENDED -> {
                long first = core.status().lastIndex() - batch.size() + 1;
                for (int i = 0; i < batch.size(); i++) {
                    proposals.appendedAt(batch.get(i), first + i);
                }
            }
            case FORWARDED -> { }
            // Wait for a leader (or the end of a transfer) instead of failing: elections are short.
            case NO_LEADER, TRANSFERRING -> heldProposals = batch;
            default -> {
                RaftException error = rejection(result, "proposal");
                batch.forEach(p -> proposals.fail(p, error));
            }
        }
    }

    private void submitReads() {
        if (!reads.hasWaiting()) {
            return;
        }
        Status st = core.status();
        long now = nanoClock.getAsLong();
        boolean leader = st.role() == Role.LEADER;
        if (leader && config.readMode() == RaftConfig.ReadMode.LEASE && st.leadTransferee() == 0
                && lease.isValid(now, st.term())) {
            reads.waitForApply(reads.takeQueued(), st.commitIndex(), appliedIndex);
        } else if (leader || (st.role() == Role.FOLLOWER && st.leaderId() != 0)) {
            if (reads.roundInFlight(now)) {
                return; // they join the next round, started as soon as this one is confirmed
            }
            core.readIndex(reads.startRound(reads.takeQueued(), now, st.term(), leader));
        } else {
            reads.hold(reads.takeQueued());
        }
    }

    private void handle(Ready ready) {
        if (ready.softState() != null) {
            onSoftState(ready.softState());
        }
        ready.messagesNow().forEach(this::send);
        if (ready.needsPersist()) {
            persistence.write(ready, nanoClock.getAsLong());
        }
        if (!ready.committedEntries().isEmpty()) {
            // Publish the membership now in force before the apply thread can complete a
            // change's future, so a caller never sees the old configuration after completion.
            status = core.status();
            onCommitted(ready.committedEntries());
        }
        for (ReadState rs : ready.readStates()) {
            ReadTracker.Round round = reads.confirmed(rs.requestId(), rs.index(), appliedIndex);
            if (round != null && round.issuedAsLeader()) {
                lease.confirmed(round.issuedNanos(), round.term());
            }
        }
    }

    /** Finishes, in production order, the Readys whose write is durable. */
    private void drainPersisted() {
        persistence.drain(nanoClock.getAsLong(), new PersistPipeline.Completion() {
            @Override
            public void persisted(Ready ready, long writeNanos) {
                metrics.persisted(writeNanos, ready.entries().size());
                ready.messagesAfterPersist().forEach(NodeEngine.this::send);
                core.onPersisted(ready);
                if (ready.snapshot() != null && ready.snapshot().index() > 0) {
                    applier.restore(ready.snapshot());
                } // a snapshot at index 0 carries only the founding membership (a joiner learning it)
            }

            @Override
            public void failed(Throwable error) {
                fatal(new IOException("durable write failed; the node cannot make promises any more", error));
            }
        }, applier::apply);
    }

    /** Drops the transport to removed members once their grace period has passed. */
    private void retirePeers() {
        retiringPeers.entrySet().removeIf(e -> {
            if (e.getValue() > ticks) {
                return false;
            }
            transport.removePeer(e.getKey());
            return true;
        });
    }

    private void onCommitted(List<Entry> committed) {
        for (Entry e : committed) {
            if (e.type() == EntryType.CONFIG_CHANGE) {
                updatePeers(ConfigChange.decode(e.data()));
            }
        }
        // Entries after an installed snapshot must reach the state machine after its restore.
        persistence.commit(committed, applier::apply);
    }

    private void updatePeers(ConfigChange change) {
        if (change.nodeId() == id) {
            return;
        }
        if (change.type() == ConfigChange.Type.REMOVE_NODE) {
            // Not at once: the leader's last messages (the commit of the removal) must still
            // reach the removed member, or it never learns it was removed.
            retiringPeers.put(change.nodeId(), ticks + config.electionTicks());
            return;
        }
        if (change.context().length == 0) {
            return; // a promotion, or an embedder that manages addresses itself
        }
        String address;
        try {
            address = addressOfContext.apply(change.context());
        } catch (RuntimeException e) {
            log.warn("node {}: cannot read a peer address from the context of {}", Long.toHexString(id), change, e);
            return;
        }
        if (address != null && !address.isEmpty()) {
            transport.addPeer(change.nodeId(), address);
        }
    }

    private void send(Message message) {
        if (message.type() == MessageType.SNAPSHOT) {
            long follower = message.to();
            snapshots.send(message).whenComplete((ok, error) -> {
                if (error != null) {
                    log.info("node {}: snapshot to {} failed: {}", Long.toHexString(id), Long.toHexString(follower),
                            error.toString());
                }
                loop.execute(() -> core.step(snapshots.statusMessage(follower, error != null)));
            });
        } else {
            transport.send(message);
        }
    }

    private void onSoftState(SoftState soft) {
        long previousLeader = status.leaderId();
        Role previousRole = status.role();
        long previousTerm = lastTerm;
        if (soft.term() != lastTerm || soft.role() != Role.LEADER) {
            lease.invalidate();
        }
        lastTerm = soft.term();
        metrics.term(soft.term());
        metrics.leader(soft.role() == Role.LEADER);
        status = core.status();
        boolean campaigning = soft.role() == Role.PRE_CANDIDATE || soft.role() == Role.CANDIDATE;
        if (campaigning && (soft.role() != previousRole || soft.term() != previousTerm)) {
            // etcd logs these too: a run of them without a leader is what a stuck election looks like
            log.info("node {}: became {} at term {}", Long.toHexString(id),
                    soft.role() == Role.CANDIDATE ? "candidate" : "pre-candidate", soft.term());
        }
        if (soft.leaderId() != previousLeader) {
            if (soft.leaderId() == 0) {
                log.info("node {}: lost leader {} at term {}", Long.toHexString(id), Long.toHexString(previousLeader),
                        soft.term());
            } else {
                log.info("node {}: elected leader {} at term {}", Long.toHexString(id),
                        Long.toHexString(soft.leaderId()), soft.term());
            }
            metrics.leaderChanged();
            membership.leaderChanged(soft.leaderId());
            retryHeld = true;
            for (LeaderListener listener : leaderListeners) {
                try {
                    listener.onLeaderChange(soft.leaderId(), soft.term(), soft.leaderId() == id);
                } catch (RuntimeException e) {
                    log.warn("leader listener failed", e);
                }
            }
        }
    }

    private void promoteCaughtUpLearners(Status st) {
        for (long learner : st.config().learners()) {
            ProgressView pv = progress.get(learner);
            // A match this close to the commit index proves the learner is alive and caught up.
            // (recentActive is not used: the core resets it every election timeout.)
            if (pv != null && pv.match() > 0 && pv.match() + PROMOTION_LAG >= st.commitIndex()) {
                if (core.proposeConfigChange(new ConfigChange(ConfigChange.Type.ADD_VOTER, learner, null))
                        == ProposeResult.APPENDED) {
                    log.info("node {}: promoting caught-up learner {}", Long.toHexString(id), Long.toHexString(learner));
                    return; // one change at a time
                }
            }
        }
    }

    private final class ApplyCallbacks implements Applier.Callbacks {
        @Override
        public void applied(long index) {
            loop.execute(() -> {
                if (index > appliedIndex) {
                    appliedIndex = index;
                    core.onApplied(index);
                    reads.applied(index);
                }
            });
        }

        @Override
        public void failed(Throwable error) {
            fatal(error);
        }
    }

    // ---- shutdown ----

    private void fatal(Throwable error) {
        if (failure == null) {
            failure = error;
        }
        log.error("node {} stops after a fatal error", Long.toHexString(id), error);
        // Completed once the node is closed, so a listener that exits the process finds nothing pending.
        Thread closer = new Thread(() -> {
            try {
                close();
            } finally {
                failed.complete(failure);
            }
        }, "cairn-fatal-close-" + Long.toHexString(id));
        closer.setDaemon(true);
        closer.start();
    }

    private RaftException closedException() {
        Throwable f = failure;
        return f == null ? new RaftException(Reason.CLOSED, "node " + Long.toHexString(id) + " is closed")
                : new RaftException(Reason.FAILED, "node " + Long.toHexString(id) + " stopped after an error", f);
    }

    private static RaftException rejection(ProposeResult result, String what) {
        return switch (result) {
            case NO_LEADER -> new RaftException(Reason.NO_LEADER, what + ": no leader known");
            case TRANSFERRING -> new RaftException(Reason.TRANSFERRING, what + ": leadership transfer in progress");
            case TOO_MANY_UNCOMMITTED -> new RaftException(Reason.TOO_MANY_UNCOMMITTED,
                    what + ": too many uncommitted bytes on the leader");
            default -> new RaftException(Reason.CONFIG_CHANGE_REJECTED, what + ": rejected (" + result + ")");
        };
    }

    /** Stops inputs, fails what is pending, drains the threads and closes transport and storage. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RaftException error = closedException();
        ticker.shutdownNow();
        transport.close();
        try {
            loop.stop(STOP_TIMEOUT_MILLIS);
            applier.stop(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        proposals.failAll(error);
        reads.failAll(error);
        membership.failAll(error);
        snapshots.close();
        storage.close();
        metrics.close();
        try {
            ticker.awaitTermination(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    CompletableFuture<Throwable> failed() {
        return failed;
    }
}
