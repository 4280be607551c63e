package io.cairn.kv.internal;

import io.cairn.kv.Action;
import io.cairn.kv.ErrorCode;
import io.cairn.kv.EtcdException;
import io.cairn.kv.Event;
import io.cairn.kv.KeyPaths;
import io.cairn.kv.Node;
import io.cairn.kv.proto.KeyWrite;
import io.cairn.kv.proto.NodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * etcd's v2 store semantics (etcd 3.4 {@code v2store}) over a {@link NodeTable}: one instance per
 * applied batch or read. Every check that can fail runs before the first write, so a failed
 * operation leaves the table untouched. Time comes only from the caller ({@code nowNanos}).
 */
public final class StoreEngine {
    /** Result of a mutation: its event and the removed paths that have a watcher registered on them. */
    public record Change(Event event, List<String> removedWatchedPaths) {
    }

    private static final Stored ROOT = new Stored("/", NodeRecord.newBuilder().setDir(true).build());

    private record Stored(String path, NodeRecord record) {
        boolean dir() {
            return record.getDir();
        }
    }

    private final NodeTable table;
    private final Predicate<String> watchedPath;
    private long index;

    /**
     * @param index the current etcd index
     * @param watchedPath tells which removed paths need a removal notification
     */
    public StoreEngine(NodeTable table, long index, Predicate<String> watchedPath) {
        this.table = table;
        this.index = index;
        this.watchedPath = watchedPath;
    }

    /** The current etcd index (advanced by successful mutations). */
    public long index() {
        return index;
    }

    /** Consumes one etcd index for an internal (membership) record. */
    public long nextInternalIndex() {
        return ++index;
    }

    /** Applies one /v2/keys mutation at time {@code nowNanos}. */
    public Change apply(KeyWrite w, long nowNanos) {
        String path = KeyPaths.clean(w.getKey());
        Long expiration = w.hasExpirationUnixNanos() ? w.getExpirationUnixNanos() : null;
        String prevValue = w.hasPrevValue() ? w.getPrevValue() : "";
        return switch (w.getOp()) {
            case SET -> set(path, w.getDir(), w.getValue(), expiration, w.getRefresh(), nowNanos);
            case CREATE -> noRemovals(create(path, w.getDir(), w.getValue(), false, false, expiration, Action.CREATE, nowNanos));
            case CREATE_IN_ORDER -> noRemovals(create(path, w.getDir(), w.getValue(), true, false, expiration, Action.CREATE, nowNanos));
            case UPDATE -> noRemovals(update(path, w.getValue(), expiration, w.getRefresh(), nowNanos));
            case COMPARE_AND_SWAP -> noRemovals(compareAndSwap(path, prevValue, w.getPrevIndex(), w.getValue(),
                    expiration, w.getRefresh(), nowNanos));
            case DELETE -> delete(path, w.getDir(), w.getRecursive(), nowNanos);
            case COMPARE_AND_DELETE -> compareAndDelete(path, prevValue, w.getPrevIndex(), nowNanos);
            default -> throw new IllegalArgumentException("unknown key operation " + w.getOp());
        };
    }

    /** Removes, in expiration order, every node that expired at or before {@code nowNanos}. */
    public List<Change> expire(long nowNanos) {
        List<Change> changes = new ArrayList<>();
        for (NodeTable.TtlEntry first = table.firstTtl(); first != null && first.expirationNanos() <= nowNanos;
                first = table.firstTtl()) {
            NodeRecord rec = table.get(first.path());
            if (rec == null || !rec.hasExpirationUnixNanos() || rec.getExpirationUnixNanos() != first.expirationNanos()) {
                table.removeTtl(first.expirationNanos(), first.path()); // stale entry: never expected, never fatal
                continue;
            }
            Stored n = new Stored(first.path(), rec);
            long next = ++index;
            Node node = new Node(n.path(), null, n.dir(), null, 0, rec.getCreatedIndex(), next, null);
            Event event = new Event(Action.EXPIRE, node, view(n, nowNanos), next, false);
            changes.add(new Change(event, removeTree(n)));
        }
        return changes;
    }

    /** A read ({@code get}); {@code etcdIndex} of the result is the current index. */
    public Event get(String key, boolean recursive, boolean sorted, long nowNanos) {
        String path = KeyPaths.clean(key);
        Stored n = resolve(path);
        Node node;
        if (n == ROOT) {
            node = new Node("/", null, true, null, 0, 0, 0, listing("/", recursive, nowNanos));
        } else if (n.dir()) {
            Node v = view(n, nowNanos);
            node = new Node(v.key(), null, true, v.expiration(), v.ttl(), v.createdIndex(), v.modifiedIndex(),
                    listing(path, recursive, nowNanos));
        } else {
            node = view(n, nowNanos);
        }
        // Listings are always in byte-wise key order, which is what sorted=true asks for (spec 5.1d, 18.3).
        return new Event(Action.GET, node, null, index, false);
    }

    private Change set(String path, boolean dir, String value, Long expiration, boolean refresh, long now) {
        Stored existing = null;
        EtcdException missing = null;
        try {
            existing = resolve(path);
        } catch (EtcdException e) {
            if (e.code() != ErrorCode.KEY_NOT_FOUND) {
                throw e;
            }
            missing = e;
        }
        if (refresh) {
            if (missing != null) {
                throw missing;
            }
            value = existing.record().getValue();
        }
        return noRemovals(create(path, dir, value, false, true, expiration, Action.SET, now).withRefresh(refresh));
    }

    /** etcd's internalCreate: implicit parents, then create or (when {@code replace}) replace a file. */
    private EventBuilder create(String path, boolean dir, String value, boolean unique, boolean replace,
            Long expiration, Action action, long now) {
        long next = index + 1;
        if (unique) {
            path = (path.equals("/") ? "" : path) + "/" + String.format("%020d", next);
        }
        if (path.equals("/")) {
            throw error(ErrorCode.ROOT_READ_ONLY, "/");
        }
        List<String> missingDirs = missingParents(KeyPaths.parent(path));
        NodeRecord existing = missingDirs.isEmpty() ? table.get(path) : null;
        Node prev = null;
        if (existing != null) {
            if (!replace) {
                throw error(ErrorCode.NODE_EXIST, path);
            }
            if (existing.getDir()) {
                throw error(ErrorCode.NOT_FILE, path);
            }
            prev = view(new Stored(path, existing), now);
            // The put below overwrites the node; a delete first would only add a write to the batch.
            if (existing.hasExpirationUnixNanos()) {
                table.removeTtl(existing.getExpirationUnixNanos(), path);
            }
        }
        for (String d : missingDirs) {
            table.put(d, NodeRecord.newBuilder().setDir(true).setCreatedIndex(next).setModifiedIndex(next).build());
        }
        NodeRecord.Builder rec = NodeRecord.newBuilder().setDir(dir).setCreatedIndex(next).setModifiedIndex(next);
        if (!dir) {
            rec.setValue(value);
        }
        if (expiration != null) {
            rec.setExpirationUnixNanos(expiration);
            table.addTtl(expiration, path);
        }
        NodeRecord created = rec.build();
        table.put(path, created);
        index = next;
        return new EventBuilder(action, view(new Stored(path, created), now), prev, next);
    }

    private EventBuilder update(String path, String value, Long expiration, boolean refresh, long now) {
        if (path.equals("/")) {
            throw error(ErrorCode.ROOT_READ_ONLY, "/");
        }
        Stored n = resolve(path);
        if (n.dir() && !value.isEmpty()) {
            throw error(ErrorCode.NOT_FILE, path);
        }
        if (refresh) {
            value = n.record().getValue();
        }
        long next = index + 1;
        Node prev = view(n, now);
        NodeRecord.Builder updated = n.record().toBuilder();
        if (!n.dir()) {
            // A directory's stored modifiedIndex stays as it was (etcd's node.Write refuses dirs, spec 2.6d).
            updated.setValue(value).setModifiedIndex(next);
        }
        NodeRecord rec = retime(n, updated, expiration);
        index = next;
        Node shown = view(new Stored(path, rec), now);
        Node node = new Node(path, n.dir() ? null : value, n.dir(), shown.expiration(), shown.ttl(),
                rec.getCreatedIndex(), next, null);
        return new EventBuilder(Action.UPDATE, node, prev, next).withRefresh(refresh);
    }

    private EventBuilder compareAndSwap(String path, String prevValue, long prevIndex, String value, Long expiration,
            boolean refresh, long now) {
        if (path.equals("/")) {
            throw error(ErrorCode.ROOT_READ_ONLY, "/");
        }
        Stored n = resolve(path);
        if (n.dir()) {
            throw error(ErrorCode.NOT_FILE, path);
        }
        checkCompare(n, prevValue, prevIndex);
        if (refresh) {
            value = n.record().getValue();
        }
        long next = index + 1;
        Node prev = view(n, now);
        NodeRecord rec = retime(n, n.record().toBuilder().setValue(value).setModifiedIndex(next), expiration);
        index = next;
        return new EventBuilder(Action.COMPARE_AND_SWAP, view(new Stored(path, rec), now), prev, next)
                .withRefresh(refresh);
    }

    private Change delete(String path, boolean dir, boolean recursive, long now) {
        if (path.equals("/")) {
            throw error(ErrorCode.ROOT_READ_ONLY, "/");
        }
        if (recursive) {
            dir = true;
        }
        Stored n = resolve(path);
        if (n.dir()) {
            if (!dir) {
                throw error(ErrorCode.NOT_FILE, path);
            }
            if (!recursive && table.hasChildren(path)) {
                throw error(ErrorCode.DIR_NOT_EMPTY, path);
            }
        }
        long next = index + 1;
        Node prev = view(n, now);
        Node node = new Node(path, null, n.dir(), null, 0, n.record().getCreatedIndex(), next, null);
        List<String> removed = removeTree(n);
        index = next;
        return new Change(new Event(Action.DELETE, node, prev, next, false), removed);
    }

    private Change compareAndDelete(String path, String prevValue, long prevIndex, long now) {
        Stored n = resolve(path);
        if (n.dir()) {
            throw error(ErrorCode.NOT_FILE, path);
        }
        checkCompare(n, prevValue, prevIndex);
        long next = index + 1;
        Node prev = view(n, now);
        Node node = new Node(path, null, false, null, 0, n.record().getCreatedIndex(), next, null);
        List<String> removed = removeTree(n);
        index = next;
        return new Change(new Event(Action.COMPARE_AND_DELETE, node, prev, next, false), removed);
    }

    private void checkCompare(Stored n, String prevValue, long prevIndex) {
        boolean indexMatch = prevIndex == 0 || n.record().getModifiedIndex() == prevIndex;
        boolean valueMatch = prevValue.isEmpty() || n.record().getValue().equals(prevValue);
        if (indexMatch && valueMatch) {
            return;
        }
        String valueCause = "[" + prevValue + " != " + n.record().getValue() + "]";
        String indexCause = "[" + Long.toUnsignedString(prevIndex) + " != " + n.record().getModifiedIndex() + "]";
        String cause = !valueMatch && !indexMatch ? valueCause + " " + indexCause : !valueMatch ? valueCause : indexCause;
        throw new EtcdException(ErrorCode.TEST_FAILED, cause, index);
    }

    /** Applies a new expiration (or none) to a node record, keeping the TTL index in step. */
    private NodeRecord retime(Stored n, NodeRecord.Builder updated, Long expiration) {
        if (n.record().hasExpirationUnixNanos()) {
            table.removeTtl(n.record().getExpirationUnixNanos(), n.path());
        }
        if (expiration == null) {
            updated.clearExpirationUnixNanos();
        } else {
            updated.setExpirationUnixNanos(expiration);
            table.addTtl(expiration, n.path());
        }
        NodeRecord rec = updated.build();
        table.put(n.path(), rec);
        return rec;
    }

    /** Walks from the root (etcd's internalGet): 100 at the first missing component, 104 through a file. */
    private Stored resolve(String path) {
        if (path.equals("/")) {
            return ROOT;
        }
        Stored parent = ROOT;
        int from = 1;
        while (true) {
            if (!parent.dir()) {
                throw error(ErrorCode.NOT_DIR, parent.path());
            }
            int slash = path.indexOf('/', from);
            String childPath = slash < 0 ? path : path.substring(0, slash);
            NodeRecord rec = table.get(childPath);
            if (rec == null) {
                throw error(ErrorCode.KEY_NOT_FOUND, childPath);
            }
            parent = new Stored(childPath, rec);
            if (slash < 0) {
                return parent;
            }
            from = slash + 1;
        }
    }

    /** Directories to create above a new node, top-down; 104 when a component is a file. */
    private List<String> missingParents(String dirPath) {
        List<String> missing = new ArrayList<>();
        if (dirPath.equals("/")) {
            return missing;
        }
        int from = 1;
        while (true) {
            int slash = dirPath.indexOf('/', from);
            String component = slash < 0 ? dirPath : dirPath.substring(0, slash);
            if (missing.isEmpty()) {
                NodeRecord rec = table.get(component);
                if (rec != null && !rec.getDir()) {
                    throw error(ErrorCode.NOT_DIR, component);
                }
                if (rec == null) {
                    missing.add(component);
                }
            } else {
                missing.add(component); // below a missing directory everything is missing
            }
            if (slash < 0) {
                return missing;
            }
            from = slash + 1;
        }
    }

    /** Removes a node and its whole sub-tree; returns the removed paths someone watches (children first). */
    private List<String> removeTree(Stored n) {
        List<String> watched = new ArrayList<>();
        if (n.dir()) {
            for (NodeTable.Stored child : table.children(n.path())) {
                watched.addAll(removeTree(new Stored(child.path(), child.record())));
            }
        }
        removeOne(n.path(), n.record());
        if (watchedPath.test(n.path())) {
            watched.add(n.path());
        }
        return watched;
    }

    private void removeOne(String path, NodeRecord rec) {
        table.delete(path);
        if (rec.hasExpirationUnixNanos()) {
            table.removeTtl(rec.getExpirationUnixNanos(), path);
        }
    }

    /** Visible children (hidden ones skipped), with their own listings when recursive; null when none. */
    private List<Node> listing(String dirPath, boolean recursive, long now) {
        List<Node> out = new ArrayList<>();
        for (NodeTable.Stored child : table.children(dirPath)) {
            if (KeyPaths.isHidden(child.path())) {
                continue;
            }
            Node v = view(new Stored(child.path(), child.record()), now);
            if (recursive && child.record().getDir()) {
                v = new Node(v.key(), null, true, v.expiration(), v.ttl(), v.createdIndex(), v.modifiedIndex(),
                        listing(child.path(), true, now));
            }
            out.add(v);
        }
        return out.isEmpty() ? null : out;
    }

    /** A node as etcd's Repr(false, false) shows it. */
    static Node view(Stored n, long nowNanos) {
        NodeRecord r = n.record();
        Instant expiration = r.hasExpirationUnixNanos() ? instant(r.getExpirationUnixNanos()) : null;
        long ttl = expiration == null ? 0 : Node.ttlSeconds(expiration, instant(nowNanos));
        return new Node(n.path(), r.getDir() ? null : r.getValue(), r.getDir(), expiration, ttl,
                r.getCreatedIndex(), r.getModifiedIndex(), null);
    }

    static Instant instant(long unixNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L));
    }

    private EtcdException error(ErrorCode code, String path) {
        return new EtcdException(code, path.equals("/") && code != ErrorCode.ROOT_READ_ONLY ? "" : path, index);
    }

    private static Change noRemovals(EventBuilder b) {
        return new Change(b.build(), List.of());
    }

    /** Collects an event's parts; the refresh flag is decided by the caller. */
    private static final class EventBuilder {
        private final Action action;
        private final Node node;
        private final Node prev;
        private final long index;
        private boolean refresh;

        EventBuilder(Action action, Node node, Node prev, long index) {
            this.action = action;
            this.node = node;
            this.prev = prev;
            this.index = index;
        }

        EventBuilder withRefresh(boolean r) {
            this.refresh = r;
            return this;
        }

        Event build() {
            return new Event(action, node, prev, index, refresh);
        }
    }
}
