package io.cairn.raft.node;

import io.cairn.raft.core.Entry;
import io.cairn.raft.core.EntryType;
import io.cairn.raft.core.SnapshotMetadata;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine that records every applied command in order, so tests can compare
 * replicas and check exactly-once application. Its result is {@code "<index>:<command>"}.
 */
final class RecordingMachine implements StateMachine<String> {
    private final List<String> applied = new ArrayList<>();
    private volatile long lastApplied;
    private volatile int restores;
    private volatile Thread applyThread;

    @Override
    public long lastAppliedIndex() {
        return lastApplied;
    }

    @Override
    public List<String> apply(List<Entry> entries) {
        applyThread = Thread.currentThread();
        List<String> results = new ArrayList<>(entries.size());
        synchronized (this) {
            for (Entry e : entries) {
                if (e.index() != lastApplied + 1) {
                    throw new AssertionError("applied " + e.index() + " after " + lastApplied);
                }
                String result = null;
                if (e.type() == EntryType.NORMAL && e.data().length > 0) {
                    String command = new String(e.data(), StandardCharsets.UTF_8);
                    applied.add(command);
                    result = e.index() + ":" + command;
                }
                results.add(result);
                lastApplied = e.index();
            }
        }
        return results;
    }

    @Override
    public synchronized SnapshotSource takeSnapshot() {
        List<String> copy = List.copyOf(applied);
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(copy.size());
            for (String command : copy) {
                data.writeUTF(command);
            }
            data.flush();
        };
    }

    @Override
    public synchronized void restore(SnapshotMetadata metadata, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int size = data.readInt();
        applied.clear();
        for (int i = 0; i < size; i++) {
            applied.add(data.readUTF());
        }
        lastApplied = metadata.index();
        restores++;
    }

    synchronized List<String> commands() {
        return List.copyOf(applied);
    }

    int restores() {
        return restores;
    }

    Thread applyThread() {
        return applyThread;
    }
}
