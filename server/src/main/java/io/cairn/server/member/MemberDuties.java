package io.cairn.server.member;

import io.cairn.kv.ApplyResult;
import io.cairn.kv.KvCommands;
import io.cairn.kv.KvStore;
import io.cairn.raft.node.RaftNode;
import io.cairn.server.datadir.DataDir;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a member does on its own, on one scheduler thread: publish its name and client URLs through
 * Raft after every start until that commits (etcd lists it nameless until then), propose the
 * expiry sweep while it leads and a TTL is due (kv-store TTLs expire only through the log, so all replicas
 * agree), and notice its own removal (marker file, then the process exits non-zero).
 */
final class MemberDuties implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberDuties.class);
    private static final long EXPIRY_PERIOD_MS = 500;
    /** What etcd 3.4 reports as the cluster version once decided. */
    static final String CLUSTER_VERSION = "3.4.0";

    private final RaftNode<ApplyResult> node;
    private final KvStore store;
    private final KvCommands commands;
    private final long memberId;
    private final String name;
    private final List<String> clientUrls;
    private final DataDir dataDir;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-member-duties");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean published = new AtomicBoolean();
    private final AtomicBoolean publishing = new AtomicBoolean();
    private final AtomicBoolean expiring = new AtomicBoolean();
    private final AtomicBoolean removed = new AtomicBoolean();
    private final AtomicBoolean decidingVersion = new AtomicBoolean();
    private final long clusterId;

    MemberDuties(RaftNode<ApplyResult> node, KvStore store, KvCommands commands, long memberId, long clusterId,
            String name, List<String> clientUrls, DataDir dataDir) {
        this.node = node;
        this.store = store;
        this.commands = commands;
        this.memberId = memberId;
        this.name = name;
        this.clientUrls = List.copyOf(clientUrls);
        this.dataDir = dataDir;
        this.clusterId = clusterId;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, EXPIRY_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    boolean wasRemoved() {
        return removed.get();
    }

    private void tick() {
        try {
            checkRemoved();
            if (!published.get() && node.leaderId() != 0) {
                publish();
            }
            if (node.isLeader()) {
                expire();
                decideClusterVersion();
            }
        } catch (RuntimeException e) {
            LOG.warn("member duty failed; retrying on the next tick", e);
        }
    }

    /** One publication in flight at a time; retried on the next tick until it commits. */
    private void publish() {
        if (!publishing.compareAndSet(false, true)) {
            return;
        }
        node.propose(commands.publishMember(memberId, name, clientUrls)).whenComplete((result, error) -> {
            publishing.set(false);
            if (error == null) {
                published.set(true);
                LOG.info("published local member name={} clientURLs={} to the cluster", name, clientUrls);
            } else {
                LOG.debug("publishing member attributes failed, will retry: {}", error.toString());
            }
        });
    }

    /** Like etcd's SYNC: only when some TTL is due, so an idle store costs no log entries. */
    /** The leader records the cluster version once, as etcd's leader decides it (/version shows it). */
    private void decideClusterVersion() {
        if (store.clusterVersion().isPresent() || !decidingVersion.compareAndSet(false, true)) {
            return;
        }
        node.propose(commands.clusterVersion(CLUSTER_VERSION, clusterId))
                .whenComplete((result, error) -> decidingVersion.set(false));
    }

    private void expire() {
        boolean due = store.nextExpiration().map(at -> !at.isAfter(java.time.Instant.now())).orElse(false);
        if (!due || !expiring.compareAndSet(false, true)) {
            return; // the previous sweep has not committed yet
        }
        node.propose(commands.expire()).whenComplete((result, error) -> expiring.set(false));
    }

    private void checkRemoved() {
        if (store.isRemoved(memberId) && removed.compareAndSet(false, true)) {
            LOG.error("this member was removed from the cluster; writing the 'removed' marker and stopping");
            try {
                dataDir.markRemoved();
            } catch (IOException e) {
                LOG.error("could not write the removed marker", e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
