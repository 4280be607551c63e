package io.cairn.server.unsafe;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link NegativeControl#APPLY_TWICE}: hands every committed entry to the wrapped state machine
 * twice. The wrapped machine skips entries at or below its applied index (its exactly-once
 * guard), so the copies go in under indexes of their own: Raft entry {@code i} is applied as
 * {@code 2i-1} and again as {@code 2i}, and the applied index reported back to Raft is halved.
 * Only normal entries with a payload are doubled; leader no-ops and configuration changes reach
 * the store once (their first slot is an empty no-op), so membership stays sane and only the
 * data is wrong: an in-order POST creates two keys, an unconditional PUT writes twice.
 *
 * <p>The result of the first application is what the proposer gets back.
 */
final class ApplyTwiceStateMachine<R> implements StateMachine<R> {
    private final StateMachine<R> store;

    ApplyTwiceStateMachine(StateMachine<R> store) {
        this.store = store;
    }

    @Override
    public long lastAppliedIndex() {
        return store.lastAppliedIndex() / 2;
    }

    @Override
    public List<R> apply(List<Entry> entries) {
        List<Entry> doubled = new ArrayList<>(2 * entries.size());
        for (Entry e : entries) {
            boolean data = e.type() == EntryType.NORMAL && e.data().length > 0;
            doubled.add(data ? e.withPosition(e.term(), 2 * e.index() - 1) : Entry.normal(e.term(), 2 * e.index() - 1, null));
            doubled.add(e.withPosition(e.term(), 2 * e.index()));
        }
        List<R> results = store.apply(doubled);
        List<R> firsts = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            boolean data = e.type() == EntryType.NORMAL && e.data().length > 0;
            firsts.add(results.get(data ? 2 * i : 2 * i + 1));
        }
        return firsts;
    }

    @Override
    public SnapshotSource takeSnapshot() throws IOException {
        return store.takeSnapshot();
    }

    @Override
    public void restore(SnapshotMetadata metadata, InputStream data) throws IOException {
        store.restore(new SnapshotMetadata(2 * metadata.index(), metadata.term(), metadata.config()), data);
    }
}
