package io.cairn.kv.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library without leaving a 15 MB copy in the temporary directory per process.
 *
 * <p>RocksDB's own loader copies the library out of its jar into a new temporary file at every
 * start and deletes it only at a normal exit, so every member killed with {@code kill -9} (by the
 * tests, the fault-injection suite, a crashed pod) left one behind: 1.1 GB of them after three CI
 * runs. Here the library is unpacked once per RocksDB build into a directory only this user can
 * write, then loaded from there by every later process. A JVM whose {@code java.library.path}
 * already holds the library (bin/cairn, the image) loads that instead. Anything unexpected
 * (no jar, a directory another user could write) falls back to RocksDB's own loader.
 */
public final class RocksNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(RocksNativeLibrary.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static boolean loaded;

    private RocksNativeLibrary() {
    }

    /** Loads the library once per JVM; safe to call from every class that touches RocksDB first. */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        if (onLibraryPath()) {
            RocksDB.loadLibrary();
        } else {
            try {
                RocksDB.loadLibrary(List.of(unpack(cacheRoot()).toString()));
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                LOG.debug("RocksDB's library could not be loaded from an unpacked copy, RocksDB unpacks it: {}", e.toString());
                RocksDB.loadLibrary();
            }
        }
        loaded = true;
    }

    /**
     * Unpacks the library for this platform under {@code root} (once per build of it) and returns
     * the directory that holds it under the file name {@link RocksDB#loadLibrary(List)} looks for.
     */
    static Path unpack(Path root) throws IOException {
        String resource = Environment.getJniLibraryFileName("rocksdb");
        URL url = RocksDB.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("no " + resource + " in RocksDB's jar for this platform");
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IOException(resource + " is not inside a jar: " + url);
        }
        ZipEntry entry = jar.getJarEntry();
        long size = entry.getSize();
        privateDirectory(root);
        // the entry's checksum names the build, so an upgraded RocksDB never loads an old copy
        Path dir = root.resolve(String.format(Locale.ROOT, "rocksdbjni-%08x-%d", entry.getCrc(), size));
        Files.createDirectories(dir);
        // RocksDB.loadLibrary(paths) asks for "rocksdbjni" under its own naming scheme (which in
        // 9.x doubles the "jni"): the copy takes whatever name that is
        Path target = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return dir;
        }
        Path partial = Files.createTempFile(dir, "unpacking-", ".tmp");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(partial) != size) {
                throw new IOException("unpacked " + Files.size(partial) + " of " + size + " bytes of " + resource);
            }
            // processes starting together each unpack their own copy; the rename is atomic, so a
            // loader never sees a partly written library
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return dir;
    }

    /** Creates {@code root} owner-only, or checks that an existing one is ours and no one else's to write. */
    static void privateDirectory(Path root) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(root.getParent(), PosixFileAttributeView.class);
        if (view == null) {
            throw new IOException("no POSIX permissions on " + root.getParent());
        }
        try {
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // checked below, like one made by an earlier process
        }
        Path probe = Files.createTempFile(root, "owner-", ".probe");
        try {
            if (!Files.getOwner(probe).equals(Files.getOwner(root))) {
                throw new IOException(root + " belongs to " + Files.getOwner(root) + ", not to this user");
            }
        } finally {
            Files.delete(probe);
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(root);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(root + " is writable by others: " + PosixFilePermissions.toString(permissions));
        }
    }

    private static Path cacheRoot() {
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "cairn-native-" + user);
    }

    /** Whether RocksDB's loader finds the library on java.library.path without unpacking it. */
    static boolean onLibraryPath() {
        List<String> names = List.of(System.mapLibraryName("rocksdbjni"), Environment.getJniLibraryFileName("rocksdb"));
        for (String dir : System.getProperty("java.library.path", "").split(File.pathSeparator)) {
            for (String name : names) {
                if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, name))) {
                    return true;
                }
            }
        }
        return false;
    }
}
