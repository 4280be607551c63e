package io.cairn.kv;

import io.cairn.kv.proto.Command;
import io.cairn.kv.proto.KeyWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A deliberately naive in-memory etcd v2 store: a sorted map of path to node, linear scans for
 * children, no TTL index. Written independently of the RocksDB engine as the oracle of the
 * model-based property; it interprets the same protobuf commands.
 */
final class ReferenceModel {
    private static final class M {
        boolean dir;
        String value = "";
        long created;
        long modified;
        Long exp;

        M copy() {
            M m = new M();
            m.dir = dir;
            m.value = value;
            m.created = created;
            m.modified = modified;
            m.exp = exp;
            return m;
        }
    }

    private final TreeMap<String, M> nodes = new TreeMap<>();
    long index;
    /** Every event in index order, refreshes included. */
    final List<Event> events = new ArrayList<>();

    /** Applies a command; returns the result (NONE for expire). */
    ApplyResult apply(byte[] bytes) {
        Command cmd;
        try {
            cmd = Command.parseFrom(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        long now = cmd.getNowUnixNanos();
        if (cmd.hasExpire()) {
            expire(now);
            return ApplyResult.NONE;
        }
        try {
            Event e = write(cmd.getKeyWrite(), now);
            events.add(e);
            return ApplyResult.of(e);
        } catch (EtcdException e) {
            return ApplyResult.failed(e);
        }
    }

    Event get(String key, boolean recursive, long now) {
        String path = KeyPaths.clean(key);
        if (path.equals("/")) {
            return new Event(Action.GET, new Node("/", null, true, null, 0, 0, 0, list("/", recursive, now)), null,
                    index, false);
        }
        M m = resolve(path);
        Node v = view(path, m, now);
        if (m.dir) {
            v = new Node(path, null, true, v.expiration(), v.ttl(), v.createdIndex(), v.modifiedIndex(),
                    list(path, recursive, now));
        }
        return new Event(Action.GET, v, null, index, false);
    }

    private Event write(KeyWrite w, long now) {
        String path = KeyPaths.clean(w.getKey());
        Long exp = w.hasExpirationUnixNanos() ? w.getExpirationUnixNanos() : null;
        String prevValue = w.hasPrevValue() ? w.getPrevValue() : "";
        switch (w.getOp()) {
            case SET: {
                M existing = null;
                try {
                    existing = resolve(path);
                } catch (EtcdException e) {
                    if (e.errorCode() != 100 || w.getRefresh()) {
                        throw e;
                    }
                }
                String value = w.getRefresh() ? existing.value : w.getValue();
                Event e = create(path, w.getDir(), value, true, exp, Action.SET, now);
                return new Event(e.action(), e.node(), e.prevNode(), e.etcdIndex(), w.getRefresh());
            }
            case CREATE:
                return create(path, w.getDir(), w.getValue(), false, exp, Action.CREATE, now);
            case CREATE_IN_ORDER: {
                String child = (path.equals("/") ? "" : path) + "/" + String.format("%020d", index + 1);
                return create(child, w.getDir(), w.getValue(), false, exp, Action.CREATE, now);
            }
            case UPDATE: {
                rootCheck(path);
                M m = resolve(path);
                String value = w.getValue();
                if (m.dir && !value.isEmpty()) {
                    throw err(102, path);
                }
                if (w.getRefresh()) {
                    value = m.value;
                }
                Node prev = view(path, m, now);
                long next = ++index;
                if (!m.dir) {
                    m.value = value;
                    m.modified = next;
                }
                m.exp = exp;
                Node shown = view(path, m, now);
                Node node = new Node(path, m.dir ? null : value, m.dir, shown.expiration(), shown.ttl(), m.created,
                        next, null);
                return new Event(Action.UPDATE, node, prev, next, w.getRefresh());
            }
            case COMPARE_AND_SWAP: {
                rootCheck(path);
                M m = resolve(path);
                if (m.dir) {
                    throw err(102, path);
                }
                compare(m, prevValue, w.getPrevIndex());
                Node prev = view(path, m, now);
                long next = ++index;
                m.value = w.getRefresh() ? m.value : w.getValue();
                m.modified = next;
                m.exp = exp;
                return new Event(Action.COMPARE_AND_SWAP, view(path, m, now), prev, next, w.getRefresh());
            }
            case DELETE: {
                rootCheck(path);
                boolean dir = w.getDir() || w.getRecursive();
                M m = resolve(path);
                if (m.dir && !dir) {
                    throw err(102, path);
                }
                if (m.dir && !w.getRecursive() && !children(path).isEmpty()) {
                    throw err(108, path);
                }
                Node prev = view(path, m, now);
                long next = ++index;
                removeTree(path);
                return new Event(Action.DELETE, new Node(path, null, m.dir, null, 0, m.created, next, null), prev, next,
                        false);
            }
            case COMPARE_AND_DELETE: {
                M m = resolve(path);
                if (m.dir) {
                    throw err(102, path);
                }
                compare(m, prevValue, w.getPrevIndex());
                Node prev = view(path, m, now);
                long next = ++index;
                removeTree(path);
                return new Event(Action.COMPARE_AND_DELETE, new Node(path, null, false, null, 0, m.created, next, null),
                        prev, next, false);
            }
            default:
                throw new AssertionError(w.getOp());
        }
    }

    private Event create(String path, boolean dir, String value, boolean replace, Long exp, Action action, long now) {
        rootCheck(path);
        long next = index + 1;
        // Check the parent chain first: a file on the way is 104.
        String parent = KeyPaths.parent(path);
        List<String> chain = new ArrayList<>();
        for (String p = parent; !p.equals("/"); p = KeyPaths.parent(p)) {
            chain.add(0, p);
        }
        for (String p : chain) {
            M m = nodes.get(p);
            if (m != null && !m.dir) {
                throw err(104, p);
            }
            if (m == null) {
                break;
            }
        }
        M existing = nodes.get(path);
        Node prev = null;
        if (existing != null) {
            if (!replace) {
                throw err(105, path);
            }
            if (existing.dir) {
                throw err(102, path);
            }
            prev = view(path, existing, now);
        }
        for (String p : chain) {
            if (!nodes.containsKey(p)) {
                M d = new M();
                d.dir = true;
                d.created = next;
                d.modified = next;
                nodes.put(p, d);
            }
        }
        M m = new M();
        m.dir = dir;
        m.value = dir ? "" : value;
        m.created = next;
        m.modified = next;
        m.exp = exp;
        nodes.put(path, m);
        index = next;
        return new Event(action, view(path, m, now), prev, next, false);
    }

    private void expire(long now) {
        while (true) {
            String due = nodes.entrySet().stream().filter(e -> e.getValue().exp != null && e.getValue().exp <= now)
                    .min(Comparator.<java.util.Map.Entry<String, M>>comparingLong(e -> e.getValue().exp)
                            .thenComparing(java.util.Map.Entry::getKey))
                    .map(java.util.Map.Entry::getKey).orElse(null);
            if (due == null) {
                return;
            }
            M m = nodes.get(due);
            long next = ++index;
            Node prev = view(due, m, now);
            removeTree(due);
            events.add(new Event(Action.EXPIRE, new Node(due, null, m.dir, null, 0, m.created, next, null), prev, next,
                    false));
        }
    }

    private M resolve(String path) {
        if (path.equals("/")) {
            M root = new M();
            root.dir = true;
            return root;
        }
        String walked = "";
        M parent = null;
        for (String seg : path.substring(1).split("/")) {
            if (parent != null && !parent.dir) {
                throw err(104, walked);
            }
            walked = walked + "/" + seg;
            parent = nodes.get(walked);
            if (parent == null) {
                throw err(100, walked);
            }
        }
        return parent;
    }

    private List<String> children(String dir) {
        List<String> out = new ArrayList<>();
        for (String k : nodes.keySet()) {
            if (!k.equals(dir) && KeyPaths.parent(k).equals(dir)) {
                out.add(k);
            }
        }
        return out;
    }

    private List<Node> list(String dir, boolean recursive, long now) {
        List<Node> out = new ArrayList<>();
        List<String> kids = children(dir);
        kids.sort(Comparator.comparing(k -> k.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Arrays::compareUnsigned));
        for (String k : kids) {
            if (KeyPaths.isHidden(k)) {
                continue;
            }
            M m = nodes.get(k);
            Node v = view(k, m, now);
            if (recursive && m.dir) {
                v = new Node(k, null, true, v.expiration(), v.ttl(), v.createdIndex(), v.modifiedIndex(),
                        list(k, true, now));
            }
            out.add(v);
        }
        return out.isEmpty() ? null : out;
    }

    private void removeTree(String path) {
        nodes.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
    }

    private void compare(M m, String prevValue, long prevIndex) {
        boolean valueOk = prevValue.isEmpty() || prevValue.equals(m.value);
        boolean indexOk = prevIndex == 0 || prevIndex == m.modified;
        if (valueOk && indexOk) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (!valueOk) {
            parts.add("[" + prevValue + " != " + m.value + "]");
        }
        if (!indexOk) {
            parts.add("[" + prevIndex + " != " + m.modified + "]");
        }
        throw new EtcdException(ErrorCode.TEST_FAILED, String.join(" ", parts), index);
    }

    private void rootCheck(String path) {
        if (path.equals("/")) {
            throw new EtcdException(ErrorCode.ROOT_READ_ONLY, "/", index);
        }
    }

    private EtcdException err(int code, String path) {
        return new EtcdException(ErrorCode.of(code), path.equals("/") ? "" : path, index);
    }

    private static Node view(String path, M m, long now) {
        Instant exp = m.exp == null ? null
                : Instant.ofEpochSecond(Math.floorDiv(m.exp, 1_000_000_000L), Math.floorMod(m.exp, 1_000_000_000L));
        Instant at = Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L));
        return new Node(path, m.dir ? null : m.value, m.dir, exp, exp == null ? 0 : Node.ttlSeconds(exp, at),
                m.created, m.modified, null);
    }
}
