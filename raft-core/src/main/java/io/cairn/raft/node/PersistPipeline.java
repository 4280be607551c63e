package io.cairn.raft.node;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.Ready;
import io.cairn.raft.storage.Storage;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Readys on their way to disk. Several writes are in flight at once (the storage batches their
 * fsyncs), but they are finished strictly in the order the core produced them. Committed
 * entries that arrive while an installed snapshot is being written wait here, so the state
 * machine is restored before it sees anything that follows the snapshot.
 *
 * <p>Confined to the event loop.
 */
final class PersistPipeline {

    /** What to do with a Ready once its write is durable, in order. */
    interface Completion {
        void persisted(Ready ready, long writeNanos);

        void failed(Throwable error);
    }

    private record InFlight(Ready ready, CompletableFuture<Void> future, long startNanos) {
    }

    private final Storage storage;
    private final Runnable wakeUp;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ArrayDeque<List<Entry>> heldCommitted = new ArrayDeque<>();
    private int snapshotsInFlight;

    /**
     * @param wakeUp called (on a storage thread) when a write completes, to get the loop to
     *     call {@link #drain}
     */
    PersistPipeline(Storage storage, Runnable wakeUp) {
        this.storage = storage;
        this.wakeUp = wakeUp;
    }

    /** Starts the durable write of {@code ready}'s snapshot point, entries and hard state. */
    void write(Ready ready, long nowNanos) {
        CompletableFuture<Void> written = storage.persist(ready.snapshot(), ready.entries(), ready.hardState());
        inFlight.add(new InFlight(ready, written, nowNanos));
        if (ready.snapshot() != null) {
            snapshotsInFlight++;
        }
        written.whenComplete((ok, error) -> wakeUp.run());
    }

    /** Hands committed entries to {@code apply} now, or once the snapshot writes ahead of them are done. */
    void commit(List<Entry> committed, Consumer<List<Entry>> apply) {
        if (snapshotsInFlight > 0) {
            heldCommitted.add(committed);
        } else {
            apply.accept(committed);
        }
    }

    /**
     * Finishes, in production order, every leading Ready whose write is durable; stops at the
     * first failure (the node cannot make promises any more).
     */
    void drain(long nowNanos, Completion completion, Consumer<List<Entry>> apply) {
        while (!inFlight.isEmpty() && inFlight.peek().future().isDone()) {
            InFlight done = inFlight.poll();
            if (done.future().isCompletedExceptionally()) {
                completion.failed(done.future().handle((ok, e) -> e).join());
                return;
            }
            completion.persisted(done.ready(), nowNanos - done.startNanos());
            if (done.ready().snapshot() != null && --snapshotsInFlight == 0) {
                while (!heldCommitted.isEmpty()) {
                    apply.accept(heldCommitted.poll());
                }
            }
        }
    }
}
