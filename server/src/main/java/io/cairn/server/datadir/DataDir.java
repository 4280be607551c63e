package io.cairn.server.datadir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.server.identity.BootstrapMember;
import io.cairn.server.identity.MemberIds;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A member's data directory, laid out as etcd's: {@code <data-dir>/member/wal} for the Raft log
 * (or {@code --wal-dir}), {@code <data-dir>/member/snap} for snapshots and the key-value store,
 * and {@code <data-dir>/member/identity.json} for the persisted ids (and, for a member that joined
 * a running cluster, that it joined and the members it first knew). Opening it takes an
 * exclusive lock that lives as long as this object, so two members never share one directory.
 */
public final class DataDir implements AutoCloseable {
    private static final String LOCK_FILE = "cairn.lock";
    private static final String IDENTITY_FILE = "identity.json";
    /** Written when this member learns it was removed; the Kubernetes entrypoint then wipes the dir. */
    public static final String REMOVED_MARKER = "removed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path walDir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, Path walDir, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.walDir = walDir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the layout if needed and locks it; fails fast if another member holds the lock. */
    public static DataDir open(Path dataDir, Optional<Path> walDirOverride) throws IOException {
        Path root = dataDir.toAbsolutePath();
        Path member = root.resolve("member");
        Files.createDirectories(member);
        Path wal = walDirOverride.map(Path::toAbsolutePath).orElse(member.resolve("wal"));
        Path lockPath = member.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new DataDirLockedException("data dir " + root + " is in use by another cairn member (lock "
                    + lockPath + " is held); refusing to start a second member on it");
        }
        Files.createDirectories(wal);
        Files.createDirectories(member.resolve("snap"));
        return new DataDir(root, wal, channel, lock);
    }

    public Path root() {
        return root;
    }

    public Path memberDir() {
        return root.resolve("member");
    }

    public Path walDir() {
        return walDir;
    }

    public Path snapDir() {
        return memberDir().resolve("snap");
    }

    /** The persisted identity, empty on a first start. */
    public Optional<PersistedIdentity> readIdentity() throws IOException {
        Path file = memberDir().resolve(IDENTITY_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode node = JSON.readTree(file.toFile());
        // Files written before joins existed have neither "joined" nor "membersAtJoin": a founder.
        return Optional.of(new PersistedIdentity(
                MemberIds.parseHex(node.path("memberId").asText()), MemberIds.parseHex(node.path("clusterId").asText()),
                readMembers(node.path("initialMembers")), node.path("joined").asBoolean(false),
                readMembers(node.path("membersAtJoin"))));
    }

    private static List<BootstrapMember> readMembers(JsonNode array) {
        List<BootstrapMember> members = new ArrayList<>();
        for (JsonNode m : array) {
            List<String> urls = new ArrayList<>();
            m.path("peerURLs").forEach(u -> urls.add(u.asText()));
            members.add(new BootstrapMember(MemberIds.parseHex(m.path("id").asText()), m.path("name").asText(), urls));
        }
        return members;
    }

    private static void writeMembers(ArrayNode array, List<BootstrapMember> members) {
        for (BootstrapMember m : members) {
            ObjectNode entry = array.addObject();
            entry.put("id", MemberIds.toHex(m.id()));
            entry.put("name", m.name());
            m.peerUrls().forEach(entry.putArray("peerURLs")::add);
        }
    }

    /** Stores the identity durably: written to a temporary file, fsynced, renamed, directory fsynced. */
    public void writeIdentity(PersistedIdentity identity) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("memberId", MemberIds.toHex(identity.memberId()));
        node.put("clusterId", MemberIds.toHex(identity.clusterId()));
        writeMembers(node.putArray("initialMembers"), identity.initialMembers());
        if (identity.joined()) {
            node.put("joined", true);
            writeMembers(node.putArray("membersAtJoin"), identity.membersAtJoin());
        }
        writeAtomically(memberDir().resolve(IDENTITY_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    public boolean isMarkedRemoved() {
        return Files.exists(root.resolve(REMOVED_MARKER));
    }

    public void markRemoved() throws IOException {
        writeAtomically(root.resolve(REMOVED_MARKER), "removed from the cluster\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(content));
            out.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // make the rename itself durable
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
