package io.cairn.raft.node;

import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.HardState;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.storage.Storage;
import java.util.List;

/**
 * Where a node resumes after a (re)start: bootstraps an empty store when asked, brings the state
 * machine up to the stored snapshot when it is behind it, and works out the applied position
 * (index, term, membership) the apply thread continues from.
 *
 * @param appliedIndex the state machine's last applied index (entries up to it are never re-applied)
 * @param appliedTerm the term of that entry
 * @param appliedConfig the membership in force at that entry
 * @param coreAppliedIndex the applied index handed to the core, clamped into what the log knows
 *     is committed (a state machine may be ahead of the lazily persisted commit index)
 */
record StartupState(long appliedIndex, long appliedTerm, ClusterConfig appliedConfig, long coreAppliedIndex) {
    private static final long READ_CHUNK_BYTES = 4L << 20;

    static StartupState recover(NodeSettings<?> settings, SnapshotManager snapshots) {
        Storage storage = settings.storage();
        if (settings.bootstrap() != null && isEmpty(storage)) {
            storage.persist(new SnapshotMetadata(0, 0, settings.bootstrap()), List.of(), null).join();
        }
        SnapshotMetadata snapshot = storage.snapshot();
        long applied = settings.stateMachine().lastAppliedIndex();
        // Entries below the first index are gone: a state machine behind them needs a snapshot.
        long required = Math.max(snapshot.index(), storage.firstIndex() - 1);
        ClusterConfig config = snapshot.config();
        long replayFrom = required + 1;
        long restoredTerm = -1;
        if (applied < required) {
            SnapshotMetadata restored = snapshots.restoreLatest(settings.stateMachine(), required);
            applied = restored.index();
            restoredTerm = restored.term();
            config = restored.config();
            replayFrom = applied + 1;
        }
        long last = storage.lastIndex();
        long committed = Math.max(snapshot.index(), storage.hardState().commit());
        long coreApplied = Math.max(snapshot.index(), Math.min(applied, Math.min(committed, last)));
        long replayTo = Math.min(applied, last);
        for (long from = replayFrom; from <= replayTo; ) {
            List<Entry> chunk = storage.entries(from, replayTo + 1, READ_CHUNK_BYTES);
            for (Entry e : chunk) {
                if (e.type() == EntryType.CONFIG_CHANGE) {
                    try {
                        config = config.apply(ConfigChange.decode(e.data()));
                    } catch (IllegalArgumentException ignored) {
                        // a no-op change, ignored by the core as well
                    }
                }
            }
            from = chunk.get(chunk.size() - 1).index() + 1;
        }
        if (restoredTerm >= 0) {
            return new StartupState(applied, restoredTerm, config, coreApplied);
        }
        long term = applied == snapshot.index() ? snapshot.term() : applied <= last ? storage.term(applied) : 0;
        return new StartupState(applied, term, config, coreApplied);
    }

    private static boolean isEmpty(Storage storage) {
        return storage.lastIndex() == 0 && storage.hardState().equals(HardState.EMPTY)
                && storage.snapshot().config().members().isEmpty();
    }
}
