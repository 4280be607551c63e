package io.cairn.kv;

import io.cairn.raft.core.ConfigChange;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A store in a temp directory fed directly with raft entries on the test thread. */
final class StoreFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-11-23T18:00:00Z");

    final Path dir;
    final MutableClock clock;
    final KvCommands commands;
    KvStateMachine store;
    long raftIndex;

    StoreFixture(Path dir) {
        this(dir, KvStoreOptions.defaults(dir).withBlockCacheBytes(8 << 20).withWriteBuffers(4 << 20, 2));
    }

    StoreFixture(Path dir, KvStoreOptions options) {
        this.dir = dir;
        this.clock = new MutableClock(START);
        this.commands = new KvCommands(clock);
        this.store = open(options.withReadClock(clock));
        this.raftIndex = store.lastAppliedIndex();
    }

    private static KvStateMachine open(KvStoreOptions options) {
        try {
            return KvStateMachine.open(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies one command and returns its result. */
    ApplyResult apply(byte[] command) {
        return applyAll(List.of(command)).get(0);
    }

    /** Applies commands as one batch. */
    List<ApplyResult> applyAll(List<byte[]> commands) {
        List<Entry> entries = new ArrayList<>();
        for (byte[] c : commands) {
            entries.add(Entry.normal(1, ++raftIndex, c));
        }
        return store.apply(entries);
    }

    Event ok(byte[] command) {
        return apply(command).eventOrThrow();
    }

    EtcdException fails(byte[] command) {
        ApplyResult r = apply(command);
        if (r.isSuccess()) {
            throw new AssertionError("expected an error, got " + r.event());
        }
        return r.error();
    }

    EtcdException getFails(String key) {
        try {
            Event e = store.get(key, false, false);
            throw new AssertionError("expected an error, got " + e);
        } catch (EtcdException e) {
            return e;
        }
    }

    void configChange(ConfigChange change) {
        store.apply(List.of(new Entry(1, ++raftIndex, EntryType.CONFIG_CHANGE, change.encode())));
    }

    void reopen() {
        store.close();
        store = open(KvStoreOptions.defaults(dir).withBlockCacheBytes(8 << 20).withWriteBuffers(4 << 20, 2)
                .withReadClock(clock));
    }

    @Override
    public void close() {
        store.close();
    }
}
