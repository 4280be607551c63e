package io.cairn.raft.core;

import java.util.List;

/**
 * Everything the core wants done since the last {@link RaftCore#ready()}: the runtime's to-do list.
 * The runtime must, in this order:
 * <ol>
 *   <li>send {@link #messagesNow()} at once (a leader's appends go out before its own fsync);</li>
 *   <li>durably store {@link #snapshot()} (if any), then {@link #entries()} (the first entry may
 *       overwrite a conflicting suffix of the stored log) and {@link #hardState()} (if non-null),
 *       all in one durable write when possible;</li>
 *   <li>only after that write is durable, send {@link #messagesAfterPersist()} (votes and
 *       follower acknowledgements, which promise durability) and call
 *       {@link RaftCore#onPersisted(Ready)};</li>
 *   <li>apply {@link #committedEntries()} to the state machine in order (they are always locally
 *       durable already), then report progress with {@link RaftCore#onApplied(long)};</li>
 *   <li>serve {@link #readStates()} once the applied index reaches each read's index.</li>
 * </ol>
 * A {@link #snapshot()} at index 0 carries only a membership (a node that joined with no
 * configuration adopting the group's founding members): persist the point, there is no state to
 * restore.
 *
 * <p>Several Ready batches may be in flight to storage at once, but they must be persisted and
 * reported to {@link RaftCore#onPersisted(Ready)} in the order they were produced.
 */
public record Ready(
        long sequence,
        List<Message> messagesNow,
        SnapshotMetadata snapshot,
        List<Entry> entries,
        HardState hardState,
        List<Message> messagesAfterPersist,
        List<Entry> committedEntries,
        List<ReadState> readStates,
        SoftState softState) {

    public Ready {
        messagesNow = List.copyOf(messagesNow);
        entries = List.copyOf(entries);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    /** Whether anything must be persisted before {@link #messagesAfterPersist()} may go out. */
    public boolean needsPersist() {
        return snapshot != null || !entries.isEmpty() || hardState != null;
    }

    /** Whether this batch has nothing at all to do. */
    public boolean isEmpty() {
        return !needsPersist() && messagesNow.isEmpty() && messagesAfterPersist.isEmpty()
                && committedEntries.isEmpty() && readStates.isEmpty() && softState == null;
    }
}
