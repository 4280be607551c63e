package io.cairn.raft.sim;

import static io.cairn.raft.sim.InvariantViolation.Kind.ACKNOWLEDGED_WRITE_LOST;
import static io.cairn.raft.sim.InvariantViolation.Kind.CORE_EXCEPTION;
import static io.cairn.raft.sim.InvariantViolation.Kind.LIVENESS;
import static io.cairn.raft.sim.InvariantViolation.Kind.STORAGE_CONTRACT;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Message;
import io.cairn.raft.core.MessageType;
import io.cairn.raft.core.ProposeResult;
import io.cairn.raft.core.Role;
import io.cairn.raft.core.SnapshotMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One deterministic run: N nodes on a virtual clock, a hostile network, crashing disks, clients
 * and a nemesis during the fault phase; then everything heals and the run must converge: a leader
 * within ten election timeouts, and every acknowledged proposal applied on every node. Every
 * random choice comes from the seed, so a failing run replays exactly.
 */
final class Simulation implements SimWorld {
    private final long seed;
    private final SimOptions options;
    private final Random random;
    private final Trace trace;
    private final EventQueue events;
    private final SimNetwork network;
    private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    private final SafetyChecker checker;
    private final ClientWorkload workload = new ClientWorkload();
    private final SimStats stats = new SimStats();
    private final Nemesis nemesis;
    private boolean faultPhase = true;
    private int leadersSeen;

    private Simulation(long seed, SimOptions options) {
        this.seed = seed;
        this.options = options;
        this.random = new Random(seed);
        this.trace = new Trace(options.traceSize);
        this.events = new EventQueue(trace);
        this.network = new SimNetwork(options.dropChance, options.duplicateChance, options.slowChance,
                options.maxDelay, options.maxSlowDelay);
        this.checker = new SafetyChecker(Collections.unmodifiableMap(nodes));
        Set<Long> voters = new TreeSet<>();
        for (long id = 1; id <= options.nodes; id++) {
            voters.add(id);
        }
        this.nemesis = new Nemesis(this, new Random(seed * 31 + 17), options.nemesisWeights, voters);
        // Spare nodes boot from the same founding configuration, which does not include them: they
        // stay idle until a configuration change in the log adds them.
        SnapshotMetadata bootstrap = new SnapshotMetadata(0, 0, ClusterConfig.ofVoters(voters));
        for (long id = 1; id <= options.nodes + options.spareNodes; id++) {
            long period = options.tickPeriod - options.tickSkew + random.nextInt(2 * options.tickSkew + 1);
            nodes.put(id, new SimNode(id, seed, options.raftConfig(id), this, bootstrap, period));
        }
    }

    /** Runs {@code seed} with {@code options}; never throws for a protocol failure, it reports it. */
    static SimulationResult run(long seed, SimOptions options) {
        return new Simulation(seed, options).run(Simulation::randomFaultPhase);
    }

    /**
     * Runs a scripted fault phase instead of the random one: {@code script} drives the cluster
     * through {@link #runFor}, {@link #network()}, {@link #node}, {@link #propose}; healing and the
     * liveness checks follow as usual.
     */
    static SimulationResult runScripted(long seed, SimOptions options, Consumer<Simulation> script) {
        return new Simulation(seed, options).run(script);
    }

    private void randomFaultPhase() {
        if (options.meanProposalInterval > 0) {
            scheduleProposal();
        }
        if (options.meanReadInterval > 0) {
            scheduleRead();
        }
        if (options.meanNemesisInterval > 0) {
            scheduleNemesis();
        }
        runUntil(options.faultPhase, () -> false);
    }

    /** Runs events for at most {@code duration} time units or until {@code done}; returns {@code done}. */
    boolean runFor(long duration, BooleanSupplier done) {
        runUntil(events.now() + duration, done);
        return done.getAsBoolean();
    }

    SimNode node(long id) {
        return nodes.get(id);
    }

    /** Proposes one new unique value on {@code node}; returns its value (see SimStateMachine). */
    long propose(SimNode node) {
        long id = workload.proposed() + 1;
        ProposeResult result = node.propose(workload.newProposals(node, 1));
        trace.note(events.now(), "propose #" + id + " on " + node.id() + ": " + result);
        return id;
    }

    /** Notes a scripted step in the trace. */
    void note(String what) {
        stats.scriptSteps++;
        trace.note(events.now(), "SCRIPT " + what);
    }

    private SimulationResult run(Consumer<Simulation> faultPhase) {
        InvariantViolation violation = null;
        try {
            for (SimNode node : nodes.values()) {
                node.start();
            }
            faultPhase.accept(this);
            heal();
            awaitLeader();
            awaitAcknowledgedEverywhere();
        } catch (InvariantViolation v) {
            violation = v;
        } catch (StorageContractException e) {
            violation = new InvariantViolation(STORAGE_CONTRACT, e.getMessage(), e);
        } catch (RuntimeException e) {
            violation = new InvariantViolation(CORE_EXCEPTION, e.toString(), e);
        }
        stats.events = trace.events();
        stats.proposals = workload.proposed();
        stats.acks = workload.acks().size();
        stats.readsConfirmed = workload.readsConfirmed();
        stats.leadersElected = checker.leadersElected();
        stats.committedEntries = checker.committedEntries();
        stats.configChanges = checker.configChangesApplied();
        String finalState = describeNodes();
        String history = violation == null ? "" : trace.render() + "  state: " + finalState + "\n";
        return new SimulationResult(seed, options, violation, history, finalState, stats);
    }

    private void runUntil(long deadline, BooleanSupplier done) {
        while (!done.getAsBoolean() && events.runNextBefore(deadline)) {
            if (trace.events() > options.eventBudget) {
                throw new InvariantViolation(LIVENESS, "event budget of " + options.eventBudget + " exhausted at t="
                        + events.now());
            }
            if (checker.leadersElected() > leadersSeen) {
                leadersSeen = checker.leadersElected();
                maybeDethrone(checker.lastElected());
            }
        }
    }

    /** Leader churn: strands a new leader's first entries on it alone, the Raft paper's figure 8 setup. */
    private void maybeDethrone(SimNode leader) {
        if (!faultPhase || random.nextDouble() >= options.leaderChurnChance) {
            return;
        }
        int life = leader.life();
        events.after(random.nextInt(options.leaderChurnMaxDelay + 1), () -> "nemesis", () -> {
            if (faultPhase && leader.life() == life) {
                trace.note(events.now(), "NEMESIS " + nemesis.dethrone(leader));
            }
        });
    }

    /** Ends the fault phase: links restored, network reliable, every crashed node restarted. */
    private void heal() {
        faultPhase = false;
        network.healPartitions();
        network.makeReliable();
        trace.note(events.now(), "HEAL: network reliable, restarting " + ids(downNodes()));
        for (SimNode node : downNodes()) {
            node.start();
        }
    }

    private void awaitLeader() {
        long bound = 10L * options.electionTicks * (options.tickPeriod + options.tickSkew);
        long deadline = events.now() + bound;
        runUntil(deadline, () -> currentLeader() != null);
        if (currentLeader() == null) {
            throw new InvariantViolation(LIVENESS, "no leader within " + bound + " time units (10 election timeouts)"
                    + " after healing");
        }
        trace.note(events.now(), "leader " + currentLeader().id() + " after healing");
    }

    private void awaitAcknowledgedEverywhere() {
        long bound = 30L * options.electionTicks * (options.tickPeriod + options.tickSkew);
        long deadline = events.now() + bound;
        // Proposals still in flight at healing may be acknowledged meanwhile: re-read the target.
        runUntil(deadline, () -> minApplied() >= workload.highestAckedIndex());
        for (ClientWorkload.Ack ack : workload.acks()) {
            for (SimNode node : members()) {
                Long value = node.appliedValueAt(ack.index());
                if (value == null) {
                    throw new InvariantViolation(LIVENESS, "at t=" + events.now() + " node " + node.id()
                            + " has applied only up to " + node.applied() + ", " + bound
                            + " time units after a leader appeared; "
                            + "acknowledged proposal " + ack + " is not applied there");
                }
                if (value != ack.id()) {
                    throw new InvariantViolation(ACKNOWLEDGED_WRITE_LOST, "acknowledged proposal " + ack
                            + " is lost on node " + node.id() + ", which applied value " + value + " at that index");
                }
            }
        }
    }

    /** The nodes in the current leader's configuration (voters and learners). */
    private List<SimNode> members() {
        SimNode leader = currentLeader();
        if (leader == null) {
            return List.copyOf(nodes.values());
        }
        List<SimNode> members = new ArrayList<>();
        for (long id : leader.status().config().members()) {
            members.add(nodes.get(id));
        }
        return members;
    }

    private long minApplied() {
        long min = Long.MAX_VALUE;
        for (SimNode node : members()) {
            min = Math.min(min, node.applied());
        }
        return min;
    }

    private void scheduleProposal() {
        events.after(1 + random.nextInt(2 * options.meanProposalInterval), () -> "client", () -> {
            if (!faultPhase) {
                return;
            }
            SimNode node = pickClientTarget();
            if (node != null) {
                int count = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
                long firstId = workload.proposed() + 1;
                ProposeResult result = node.propose(workload.newProposals(node, count));
                trace.note(events.now(), "propose #" + firstId + (count > 1 ? "..#" + (firstId + count - 1) : "")
                        + " on " + node.id() + ": " + result);
            }
            scheduleProposal();
        });
    }

    private void scheduleRead() {
        events.after(1 + random.nextInt(2 * options.meanReadInterval), () -> "client", () -> {
            if (!faultPhase) {
                return;
            }
            SimNode node = pickClientTarget();
            if (node != null) {
                long id = workload.newRead(node);
                trace.note(events.now(), "read #" + id + " on " + node.id());
                node.readIndex(id);
            }
            scheduleRead();
        });
    }

    /** Clients mostly find the leader, but often talk to any node (which forwards). */
    private SimNode pickClientTarget() {
        SimNode leader = currentLeader();
        if (leader != null && random.nextBoolean()) {
            return leader;
        }
        List<SimNode> up = liveNodes();
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    private void scheduleNemesis() {
        events.after(1 + random.nextInt(2 * options.meanNemesisInterval), () -> "nemesis", () -> {
            if (!faultPhase) {
                return;
            }
            String what = nemesis.act(nemesis.pick());
            trace.note(events.now(), "NEMESIS " + what + " (" + network + ")");
            scheduleNemesis();
        });
    }

    @Override
    public void send(SimNode from, Message message, SnapshotImage image) {
        stats.messagesSent++;
        SimNode target = nodes.get(message.to());
        if (target == null) {
            return;
        }
        boolean snapshot = message.type() == MessageType.SNAPSHOT;
        int fromLife = from.life();
        if (snapshot) {
            stats.snapshotsSent++;
            if (image == null) {
                reportLater(from, fromLife, snapshotStatus(message, true));
                return;
            }
        }
        long[] delays = network.deliveryDelays(from.id(), target.id(), random);
        if (delays.length == 0) {
            if (snapshot) {
                reportLater(from, fromLife, snapshotStatus(message, true));
            } else if (network.isCut(from.id(), target.id()) && random.nextInt(4) == 0) {
                reportUnreachable(from, fromLife, message);
            }
            return;
        }
        for (long delay : delays) {
            events.after(delay, () -> "deliver " + message, () -> deliver(from, fromLife, target, message, image));
        }
    }

    private void reportUnreachable(SimNode from, int fromLife, Message message) {
        reportLater(from, fromLife, Message.builder(MessageType.UNREACHABLE).from(message.to()).to(message.from()).build());
    }

    private void deliver(SimNode from, int fromLife, SimNode target, Message message, SnapshotImage image) {
        boolean snapshot = message.type() == MessageType.SNAPSHOT;
        if (!target.isUp() || network.isCut(from.id(), target.id())) {
            if (snapshot) {
                reportLater(from, fromLife, snapshotStatus(message, true));
            } else if (random.nextInt(4) == 0) {
                // A real transport sees a crashed peer's connection break: followers included.
                reportUnreachable(from, fromLife, message);
            }
            return;
        }
        stats.messagesDelivered++;
        target.deliver(message, image);
        if (snapshot) {
            reportLater(from, fromLife, snapshotStatus(message, false));
        }
    }

    private static Message snapshotStatus(Message snapshot, boolean failed) {
        return Message.builder(MessageType.SNAPSHOT_STATUS).from(snapshot.to()).to(snapshot.from()).reject(failed).build();
    }

    /** What a transport tells its own node later: a snapshot's fate, or a peer being unreachable. */
    private void reportLater(SimNode node, int life, Message local) {
        events.after(1 + random.nextInt(options.maxDelay), () -> "report " + local, () -> {
            if (node.isUp() && node.life() == life) {
                node.stepLocal(local);
            }
        });
    }

    /**
     * The live leader with the highest term, provided no live member of its configuration has a
     * higher term. (A removed node that never learnt of its removal may campaign in ever higher
     * terms; it is not part of the group any more.)
     */
    SimNode currentLeader() {
        SimNode leader = null;
        long leaderTerm = -1;
        for (SimNode node : nodes.values()) {
            if (node.isUp() && node.status().role() == Role.LEADER && node.status().term() > leaderTerm) {
                leader = node;
                leaderTerm = node.status().term();
            }
        }
        if (leader == null) {
            return null;
        }
        for (long id : leader.status().config().members()) {
            SimNode member = nodes.get(id);
            if (member.isUp() && member.status().term() > leaderTerm) {
                return null;
            }
        }
        return leader;
    }

    List<SimNode> liveNodes() {
        List<SimNode> up = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (node.isUp()) {
                up.add(node);
            }
        }
        return up;
    }

    List<SimNode> downNodes() {
        List<SimNode> down = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (!node.isUp()) {
                down.add(node);
            }
        }
        return down;
    }

    Set<Long> nodeIds() {
        return nodes.keySet();
    }

    SimNetwork network() {
        return network;
    }

    private static List<Long> ids(List<SimNode> list) {
        return list.stream().map(SimNode::id).toList();
    }

    private String describeNodes() {
        StringBuilder s = new StringBuilder();
        for (SimNode node : nodes.values()) {
            s.append("\n    ").append(node);
            if (node.isUp()) {
                s.append(" ").append(node.status());
            }
        }
        return s.toString();
    }

    @Override
    public EventQueue events() {
        return events;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public SimOptions options() {
        return options;
    }

    @Override
    public SafetyChecker checker() {
        return checker;
    }

    @Override
    public ClientWorkload workload() {
        return workload;
    }

    @Override
    public SimStats stats() {
        return stats;
    }
}
