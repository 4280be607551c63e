package io.cairn.raft.node;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.ProgressView;
import io.cairn.raft.core.Role;
import io.cairn.raft.core.Status;
import io.cairn.raft.storage.Storage;
import io.cairn.raft.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A running member of a Raft group: the library's entry point for embedders.
 *
 * <p>One event-loop thread owns the protocol core; durable writes go through {@link Storage}
 * (which batches fsyncs); one apply thread feeds committed entries to the {@link StateMachine}
 * in batches; snapshots are written on their own thread. Every request returns a
 * {@link CompletableFuture} that completes exceptionally with a {@link RaftException} on
 * timeout ({@link RaftConfig#requestTimeout()}), overload, shutdown or loss.
 *
 * <p>Futures complete on the node's internal threads: chain quick, non-blocking work only, or
 * use the {@code *Async} variants.
 *
 * <pre>{@code
 * RaftNode<String> node = RaftNode.<String>builder()
 *         .config(RaftConfig.builder(1).build())
 *         .storage(storage).transport(transport).stateMachine(myMachine)
 *         .peer(2, "10.0.0.2:2380").peer(3, "10.0.0.3:2380")
 *         .bootstrap(ClusterConfig.ofVoters(1L, 2L, 3L))
 *         .start();
 * String result = node.propose(command).get();
 * }</pre>
 *
 * @param <R> what applying one command returns to its proposer
 */
public final class RaftNode<R> implements AutoCloseable {
    private final NodeEngine<R> engine;

    private RaftNode(NodeEngine<R> engine) {
        this.engine = engine;
    }

    /** A builder for a node whose commands produce results of type {@code R}. */
    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** This node's id. */
    public long id() {
        return engine.id();
    }

    /**
     * Replicates {@code command} and applies it everywhere. On a follower the command is
     * forwarded to the leader. While no leader is known the proposal waits (up to the request
     * timeout) for one to be elected.
     *
     * @return the state machine's result for this command, once applied on this node
     */
    public CompletableFuture<R> propose(byte[] command) {
        Objects.requireNonNull(command, "command");
        return engine.propose(command);
    }

    /**
     * Confirms a linearizable read point. Completes with an index once (1) the leader confirmed
     * it still leads (a heartbeat round shared by every read queued meanwhile, or a valid lease
     * in {@link RaftConfig.ReadMode#LEASE} mode) and (2) this node's state machine has applied up
     * to that index. Reading local state after completion is linearizable.
     */
    public CompletableFuture<Long> readIndex() {
        return engine.readIndex();
    }

    /**
     * Hands leadership to {@code target}; completes when this node sees {@code target} as leader.
     * Fails with {@link RaftException.Reason#TIMEOUT} when the transfer is given up: the leader
     * did not see {@code target} campaign within an election timeout (or refused the transfer),
     * or it lost its quorum first.
     */
    public CompletableFuture<Void> transferLeadership(long target) {
        return engine.transferLeadership(target);
    }

    /**
     * Adds {@code id} as a voter (or promotes it if it is a learner). The address is replicated
     * with the change (as the change's context, UTF-8) so every member learns how to reach the
     * new one. Completes when the change is applied on this node. With a custom
     * {@link Builder#addressOfContext} use {@link #addVoter(long, byte[])} instead.
     */
    public CompletableFuture<Void> addVoter(long id, String address) {
        return addVoter(id, bytes(address));
    }

    /**
     * Adds {@code id} as a voter with an embedder-defined context replicated with the change;
     * every member derives the peer address from it with {@link Builder#addressOfContext}.
     */
    public CompletableFuture<Void> addVoter(long id, byte[] context) {
        return engine.changeMembership(new ConfigChange(ConfigChange.Type.ADD_VOTER, id, context));
    }

    /** Adds {@code id} as a learner (receives the log, never votes). Completes when applied here. */
    public CompletableFuture<Void> addLearner(long id, String address) {
        return addLearner(id, bytes(address));
    }

    /** Adds {@code id} as a learner with an embedder-defined context (see {@link #addVoter(long, byte[])}). */
    public CompletableFuture<Void> addLearner(long id, byte[] context) {
        return engine.changeMembership(new ConfigChange(ConfigChange.Type.ADD_LEARNER, id, context));
    }

    /** Removes a voter or learner. Completes when the change is applied on this node. */
    public CompletableFuture<Void> removeMember(long id) {
        return engine.changeMembership(new ConfigChange(ConfigChange.Type.REMOVE_NODE, id, null));
    }

    private static byte[] bytes(String address) {
        return address == null ? null : address.getBytes(StandardCharsets.UTF_8);
    }

    /** The latest view of this node: role, term, leader, commit/applied indexes, membership. */
    public Status status() {
        return engine.status();
    }

    /** The known leader's id, or 0 when none is known. */
    public long leaderId() {
        return engine.status().leaderId();
    }

    /** Whether this node currently believes it is the leader. */
    public boolean isLeader() {
        return engine.status().role() == Role.LEADER;
    }

    /**
     * On the leader, each member's replication progress (refreshed every tick); empty on other
     * roles. For statistics and health checks.
     */
    public Map<Long, ProgressView> progress() {
        return engine.progress();
    }

    /** Registers a listener told about every change of leader (called on the event loop). */
    public void addLeaderListener(LeaderListener listener) {
        engine.addLeaderListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeLeaderListener(LeaderListener listener) {
        engine.removeLeaderListener(listener);
    }

    /** Whether {@link #close()} ran or the node stopped after a fatal error. */
    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * Completes, with the error, once the node has stopped after a fatal error (a durable write
     * or an apply that failed) and has failed everything pending. Never completes after a plain
     * {@link #close()}. An embedder should stop serving when it completes: after a failed fsync
     * the node cannot tell what its disk holds, so it must not go on, nor retry.
     *
     * <p>The returned future is shared: do not complete it.
     */
    public CompletableFuture<Throwable> failure() {
        return engine.failed();
    }

    /**
     * Stops the node: refuses new requests, fails pending futures with
     * {@link RaftException.Reason#CLOSED}, finishes the work already queued, then closes the
     * transport and the storage. Idempotent; leaves no thread behind.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * A graceful stop for SIGTERM: when this node leads, it first hands leadership to the most
     * up-to-date voter it has heard from lately, then closes. It waits until it sees the
     * successor lead, at most {@code timeout}, and less when the hand-over cannot happen: the
     * transfer fails as soon as it is given up (see {@link #transferLeadership}).
     */
    public void transferLeadershipAndClose(Duration timeout) {
        Optional<Long> successor = isLeader() ? bestSuccessor() : Optional.empty();
        if (successor.isPresent()) {
            try {
                transferLeadership(successor.get()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // Best effort: the remaining members elect a leader after the election timeout.
            }
        }
        close();
    }

    /** The most up-to-date voter among those heard from within the last election timeout. */
    private Optional<Long> bestSuccessor() {
        Status st = status();
        return progress().entrySet().stream()
                .filter(e -> e.getKey() != id() && st.config().isVoter(e.getKey()) && e.getValue().recentActive())
                .max(Comparator.comparingLong(e -> e.getValue().match()))
                .map(Map.Entry::getKey);
    }

    /** Collects the parts of a node; {@link #start()} validates them and starts it. */
    public static final class Builder<R> {
        private RaftConfig config;
        private Storage storage;
        private Transport transport;
        private StateMachine<R> stateMachine;
        private final Map<Long, String> peers = new LinkedHashMap<>();
        private ClusterConfig bootstrap;
        private MeterRegistry meterRegistry;
        private Random random;
        private LongSupplier nanoClock = System::nanoTime;
        private boolean autoPromoteLearners;
        private Function<byte[], String> addressOfContext = context -> new String(context, StandardCharsets.UTF_8);

        private Builder() {
        }

        /** Tunables and this node's id (required). */
        public Builder<R> config(RaftConfig config) {
            this.config = config;
            return this;
        }

        /** The durable log and snapshots (required); the node closes it on {@link RaftNode#close()}. */
        public Builder<R> storage(Storage storage) {
            this.storage = storage;
            return this;
        }

        /** The peer transport (required, not yet started); the node starts and closes it. */
        public Builder<R> transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** The replicated application (required). */
        public Builder<R> stateMachine(StateMachine<R> stateMachine) {
            this.stateMachine = stateMachine;
            return this;
        }

        /** How to reach a member (this node's own entry is ignored). */
        public Builder<R> peer(long id, String address) {
            peers.put(id, Objects.requireNonNull(address, "address"));
            return this;
        }

        /** How to reach members, by id. */
        public Builder<R> peers(Map<Long, String> addresses) {
            addresses.forEach(this::peer);
            return this;
        }

        /**
         * Founds a new group with these voters when the storage is empty; ignored when the storage
         * already holds state (a restart). Without it the node joins: it waits, with no
         * membership, until a leader that added it contacts it.
         */
        public Builder<R> bootstrap(ClusterConfig founders) {
            this.bootstrap = founders;
            return this;
        }

        /** Joins an existing group (the default): no bootstrap. */
        public Builder<R> join() {
            this.bootstrap = null;
            return this;
        }

        /** Where to register the node's meters (tagged {@code node=<hex id>}); none by default. */
        public Builder<R> meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Source of randomness for election timeouts (tests inject a seeded one). */
        public Builder<R> random(Random random) {
            this.random = random;
            return this;
        }

        /** The monotonic clock in nanoseconds for leases and timeouts (default {@code System::nanoTime}). */
        public Builder<R> nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** Whether the leader promotes learners to voters once they have caught up (default false). */
        public Builder<R> autoPromoteLearners(boolean enabled) {
            this.autoPromoteLearners = enabled;
            return this;
        }

        /**
         * How every member turns a membership change's context into the new member's peer
         * address for the transport (null: do not add it). The default reads the context as a
         * UTF-8 address, which is what {@link RaftNode#addVoter(long, String)} writes. Embedders
         * that replicate richer member records (for example a protobuf with several URLs) plug
         * their parser in here and use the {@code byte[]} overloads.
         */
        public Builder<R> addressOfContext(Function<byte[], String> addressOfContext) {
            this.addressOfContext = Objects.requireNonNull(addressOfContext, "addressOfContext");
            return this;
        }

        /**
         * Recovers from storage (restoring the state machine from the stored snapshot when it is
         * behind it), bootstraps if asked and the storage is empty, and starts the threads.
         */
        public RaftNode<R> start() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(stateMachine, "stateMachine");
            if (bootstrap != null && !bootstrap.isVoter(config.nodeId())) {
                throw new IllegalArgumentException("bootstrap voters " + bootstrap.voters() + " must include this node "
                        + config.nodeId());
            }
            Random seeded = random != null ? random : new Random();
            long incarnation = UUID.randomUUID().getMostSignificantBits();
            NodeEngine<R> engine = new NodeEngine<>(new NodeSettings<>(config, storage, transport, stateMachine,
                    Map.copyOf(peers), bootstrap, meterRegistry, seeded, nanoClock, autoPromoteLearners, addressOfContext,
                    incarnation));
            engine.start();
            return new RaftNode<>(engine);
        }
    }
}
