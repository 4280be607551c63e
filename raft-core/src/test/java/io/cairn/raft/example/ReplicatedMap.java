package io.cairn.raft.example;

// tag::example[]
import io.cairn.raft.RaftConfig;
import io.cairn.raft.core.ClusterConfig;
import io.cairn.raft.core.Entry;
import io.cairn.raft.core.SnapshotMetadata;
import io.cairn.raft.node.RaftNode;
import io.cairn.raft.node.StateMachine;
import io.cairn.raft.storage.Storage;
import io.cairn.raft.transport.Transport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A string map replicated with Raft: writes go through the log, reads are linearizable. */
public final class ReplicatedMap implements StateMachine<String>, AutoCloseable {
    private final Map<String, String> map = new ConcurrentHashMap<>();
    private volatile long appliedIndex;
    private final RaftNode<String> node;

    public ReplicatedMap(RaftConfig config, Map<Long, String> members, Storage storage, Transport transport) {
        node = RaftNode.<String>builder()
                .config(config).storage(storage).transport(transport).stateMachine(this)
                .peers(members)
                .bootstrap(ClusterConfig.ofVoters(members.keySet())) // ignored when restarting
                .start();
    }

    /** Sets key to value on every replica; completes with the previous value. */
    public CompletableFuture<String> put(String key, String value) {
        return node.propose((key + "=" + value).getBytes(StandardCharsets.UTF_8));
    }

    /** A linearizable read: sees every put that completed before it was called. */
    public CompletableFuture<String> get(String key) {
        return node.readIndex().thenApply(index -> map.get(key));
    }

    public RaftNode<String> node() {
        return node;
    }

    @Override
    public long lastAppliedIndex() {
        return appliedIndex;
    }

    @Override
    public List<String> apply(List<Entry> entries) {
        List<String> previous = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            String command = new String(entry.data(), StandardCharsets.UTF_8);
            int eq = command.indexOf('='); // no-ops and membership changes carry no '='
            previous.add(eq < 0 ? null : map.put(command.substring(0, eq), command.substring(eq + 1)));
            appliedIndex = entry.index();
        }
        return previous;
    }

    @Override
    public SnapshotSource takeSnapshot() {
        Map<String, String> copy = new TreeMap<>(map); // the apply thread is paused right now
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(copy.size());
            for (Map.Entry<String, String> e : copy.entrySet()) {
                data.writeUTF(e.getKey());
                data.writeUTF(e.getValue());
            }
            data.flush();
        };
    }

    @Override
    public void restore(SnapshotMetadata metadata, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        map.clear();
        for (int i = data.readInt(); i > 0; i--) {
            map.put(data.readUTF(), data.readUTF());
        }
        appliedIndex = metadata.index();
    }

    @Override
    public void close() {
        node.close();
    }
}
// end::example[]
