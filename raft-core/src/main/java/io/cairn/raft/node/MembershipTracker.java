package io.cairn.raft.node;

import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Role;
import io.cairn.raft.core.Status;
import io.cairn.raft.node.RaftException.Reason;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Membership changes and leadership transfers waiting for their outcome. A change completes
 * when an entry with the same kind and member is applied (this also matches a change forwarded
 * through another node); a transfer completes when the target is seen as leader, and fails as
 * soon as it no longer can (see {@link #transfersStalled}). Thread-safe:
 * the event loop registers and expires, the apply thread completes changes.
 */
final class MembershipTracker {

    private record PendingChange(ConfigChange change, CompletableFuture<Void> future, long deadlineNanos) {
    }

    private record PendingTransfer(long target, long term, CompletableFuture<Void> future, long deadlineNanos) {
    }

    private final List<PendingChange> changes = new ArrayList<>();
    private final List<PendingTransfer> transfers = new ArrayList<>();

    synchronized void addChange(ConfigChange change, CompletableFuture<Void> future, long deadlineNanos) {
        changes.add(new PendingChange(change, future, deadlineNanos));
    }

    /** {@code term}: the node's term when the transfer was asked for. */
    synchronized void addTransfer(long target, long term, CompletableFuture<Void> future, long deadlineNanos) {
        transfers.add(new PendingTransfer(target, term, future, deadlineNanos));
    }

    /** A configuration change entry was applied (apply thread). */
    void applied(ConfigChange change) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            for (Iterator<PendingChange> it = changes.iterator(); it.hasNext(); ) {
                PendingChange p = it.next();
                if (p.change().type() == change.type() && p.change().nodeId() == change.nodeId()) {
                    it.remove();
                    done.add(p.future());
                }
            }
        }
        done.forEach(f -> f.complete(null));
    }

    /** The leader is now {@code leaderId} (event loop). */
    void leaderChanged(long leaderId) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            for (Iterator<PendingTransfer> it = transfers.iterator(); it.hasNext(); ) {
                PendingTransfer p = it.next();
                if (p.target() == leaderId) {
                    it.remove();
                    done.add(p.future());
                }
            }
        }
        done.forEach(f -> f.complete(null));
    }

    /**
     * Fails the transfers that can no longer complete (event loop, after a tick): this node leads
     * but its core is not transferring to the target (it gave the transfer up after an election
     * timeout, or never took it), or it stepped down in the same term with no leader known (it
     * lost its quorum). A target that campaigns raises the term, so its transfer keeps waiting.
     */
    void transfersStalled(Status status) {
        List<CompletableFuture<Void>> stalled = new ArrayList<>();
        synchronized (this) {
            transfers.removeIf(p -> {
                boolean givenUp = status.role() == Role.LEADER && status.leadTransferee() != p.target();
                boolean leaderless = status.role() != Role.LEADER && status.term() == p.term() && status.leaderId() == 0;
                return (givenUp || leaderless) && stalled.add(p.future());
            });
        }
        stalled.forEach(f -> f.completeExceptionally(new RaftException(Reason.TIMEOUT,
                "leadership transfer given up: the target did not take over within an election timeout")));
    }

    /** Fails what passed its deadline. */
    void expire(long nowNanos) {
        List<CompletableFuture<Void>> expired = new ArrayList<>();
        synchronized (this) {
            changes.removeIf(p -> nowNanos - p.deadlineNanos() > 0 && expired.add(p.future()));
            transfers.removeIf(p -> nowNanos - p.deadlineNanos() > 0 && expired.add(p.future()));
        }
        expired.forEach(f -> f.completeExceptionally(
                new RaftException(Reason.TIMEOUT, "membership change or transfer not done within the request timeout")));
    }

    void failAll(RaftException error) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (this) {
            changes.forEach(p -> all.add(p.future()));
            transfers.forEach(p -> all.add(p.future()));
            changes.clear();
            transfers.clear();
        }
        all.forEach(f -> f.completeExceptionally(error));
    }
}
