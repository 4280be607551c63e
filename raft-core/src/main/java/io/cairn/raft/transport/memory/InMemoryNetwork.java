package io.cairn.raft.transport.memory;

import io.cairn.raft.core.Message;
import io.cairn.raft.storage.SnapshotStore;
import io.cairn.raft.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated network for testing the runtime without sockets. Each registered node has an
 * inbox thread, so delivery is asynchronous and ordered per link (indeed per receiver), as on a
 * TCP stream. Links can be cut in one or both directions; a message on a cut link is silently
 * lost, like a packet dropped by a firewall, and the sender only learns of it through Raft's own
 * timeouts. A message to a node that is not registered is reported unreachable to the sender.
 */
public final class InMemoryNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InMemoryNetwork.class);

    private static final String INBOX_THREAD_PREFIX = "memnet-inbox-";

    private record Link(long from, long to) {
    }

    /** {@code transfers}: snapshot installs queued on or running in this node's inbox. */
    private record Node(Transport.InboundHandler handler, ExecutorService inbox, Set<CompletableFuture<Void>> transfers) {
    }

    private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
    private final Set<Link> cutLinks = ConcurrentHashMap.newKeySet();
    private final Set<Long> isolated = ConcurrentHashMap.newKeySet();

    /** A transport for node {@code id} on this network; it joins when started. */
    public InMemoryTransport transport(long id) {
        if (id == 0) {
            throw new IllegalArgumentException("node id 0 is reserved");
        }
        return new InMemoryTransport(this, id);
    }

    /** Cuts the link from {@code from} to {@code to}; the reverse direction keeps working. */
    public void partitionOneWay(long from, long to) {
        cutLinks.add(new Link(from, to));
    }

    /** Cuts both directions between {@code a} and {@code b}. */
    public void partition(long a, long b) {
        partitionOneWay(a, b);
        partitionOneWay(b, a);
    }

    /** Restores the link from {@code from} to {@code to}. */
    public void healOneWay(long from, long to) {
        cutLinks.remove(new Link(from, to));
    }

    /** Restores both directions between {@code a} and {@code b}. */
    public void heal(long a, long b) {
        healOneWay(a, b);
        healOneWay(b, a);
    }

    /** Cuts every link to and from {@code id}, including links to nodes that join later. */
    public void isolate(long id) {
        isolated.add(id);
    }

    /** Undoes {@link #isolate}; individually cut links stay cut. */
    public void rejoin(long id) {
        isolated.remove(id);
    }

    /** Restores every link. */
    public void healAll() {
        cutLinks.clear();
        isolated.clear();
    }

    /** Whether a message from {@code from} to {@code to} would currently get through. */
    public boolean isConnected(long from, long to) {
        return !isolated.contains(from) && !isolated.contains(to) && !cutLinks.contains(new Link(from, to));
    }

    /** Whether node {@code id} is registered (started and not closed). */
    public boolean isRegistered(long id) {
        return nodes.containsKey(id);
    }

    void register(long id, Transport.InboundHandler handler) {
        ExecutorService inbox = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, INBOX_THREAD_PREFIX + Long.toHexString(id));
            t.setDaemon(true);
            return t;
        });
        if (nodes.putIfAbsent(id, new Node(handler, inbox, ConcurrentHashMap.newKeySet())) != null) {
            inbox.shutdown();
            throw new IllegalStateException("node " + Long.toHexString(id) + " is already on the network");
        }
    }

    void unregister(long id) {
        Node node = nodes.remove(id);
        if (node != null) {
            shutdown(node.inbox());
            // Stopping the inbox discards installs still queued on it: fail them, or their senders
            // would wait forever (and a leader would never send that follower another snapshot).
            for (CompletableFuture<Void> transfer : List.copyOf(node.transfers())) {
                transfer.completeExceptionally(new IOException("node " + Long.toHexString(id) + " left the network"));
            }
        }
    }

    void send(Message message) {
        Node target = nodes.get(message.to());
        if (target == null) {
            reportUnreachable(message.from(), message.to());
            return;
        }
        if (!isConnected(message.from(), message.to())) {
            return;
        }
        // Checked again on delivery, so a partition also loses messages already in flight.
        runOn(target, () -> {
            if (isConnected(message.from(), message.to())) {
                target.handler().onMessage(message);
            }
        });
    }

    CompletableFuture<Void> sendSnapshot(Message message, SnapshotStore.StoredSnapshot snapshot) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Node target = nodes.get(message.to());
        if (target == null) {
            reportUnreachable(message.from(), message.to());
            done.completeExceptionally(new IOException("node " + Long.toHexString(message.to()) + " is not on the network"));
            return done;
        }
        if (!isConnected(message.from(), message.to())) {
            done.completeExceptionally(partitioned(message));
            return done;
        }
        target.transfers().add(done);
        done.whenComplete((ok, failure) -> target.transfers().remove(done));
        boolean queued = runOn(target, () -> {
            try {
                if (!isConnected(message.from(), message.to())) {
                    throw partitioned(message);
                }
                install(target.handler(), message, snapshot);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        if (!queued) {
            done.completeExceptionally(new IOException("node " + Long.toHexString(message.to()) + " left the network"));
        }
        return done;
    }

    private static IOException partitioned(Message message) {
        return new IOException("link " + Long.toHexString(message.from()) + "->"
                + Long.toHexString(message.to()) + " is partitioned");
    }

    private static void install(Transport.InboundHandler handler, Message message,
                                SnapshotStore.StoredSnapshot snapshot) throws IOException {
        try (SnapshotStore.Writer writer = handler.openSnapshot(message)) {
            try (InputStream in = snapshot.open(0)) {
                OutputStream out = writer.output();
                in.transferTo(out);
                out.flush();
            }
            writer.commit();
        }
        handler.onMessage(message);
    }

    private void reportUnreachable(long from, long to) {
        Node sender = nodes.get(from);
        if (sender != null) {
            // Never call back into the sender on its own calling thread.
            runOn(sender, () -> sender.handler().onUnreachable(to));
        }
    }

    private static boolean runOn(Node node, Runnable task) {
        try {
            node.inbox().execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("inbound handler failed", e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the node is leaving the network; the message is lost with it
        }
    }

    private static void shutdown(ExecutorService inbox) {
        inbox.shutdownNow();
        if (Thread.currentThread().getName().startsWith(INBOX_THREAD_PREFIX)) {
            return; // closed from a handler: its own inbox cannot be awaited from inside
        }
        try {
            if (!inbox.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("memnet inbox did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes every node and stops their inbox threads. */
    @Override
    public void close() {
        for (Long id : Set.copyOf(nodes.keySet())) {
            unregister(id);
        }
    }
}
