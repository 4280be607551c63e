package io.cairn.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.JarURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

class RocksNativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void unpacksTheLibraryOnceUnderTheNameRocksDbLoadsFrom() throws Exception {
        Path root = tmp.resolve("cache");

        Path dir = RocksNativeLibrary.unpack(root);
        Path library = dir.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        Object firstCopy = Files.readAttributes(library, "unix:ino").get("ino");
        Path again = RocksNativeLibrary.unpack(root);

        assertThat(Files.size(library)).isEqualTo(librarySizeInJar());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
        assertThat(again).isEqualTo(dir);
        assertThat(Files.readAttributes(library, "unix:ino").get("ino")).as("the second process reuses the copy")
                .isEqualTo(firstCopy);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no partial copies left").containsExactly(library);
        }
    }

    @Test
    void replacesACopyOfTheWrongSize() throws Exception {
        Path root = tmp.resolve("cache");
        Path library = RocksNativeLibrary.unpack(root).resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        Files.write(library, new byte[] {1, 2, 3});

        RocksNativeLibrary.unpack(root);

        assertThat(Files.size(library)).isEqualTo(librarySizeInJar());
    }

    @Test
    void refusesADirectoryOthersCanWrite() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> RocksNativeLibrary.unpack(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("writable by others");
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theProcessMapsTheUnpackedCopyNotAFreshTemporaryOne() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux's /proc");
        assumeTrue(!RocksNativeLibrary.onLibraryPath(), "java.library.path holds the library: nothing is unpacked");

        RocksNativeLibrary.load();
        RocksDB.loadLibrary(); // what RocksDB's own classes call: must not load a second copy

        List<String> rocks = Files.readAllLines(maps).stream().filter(l -> l.contains("rocksdbjni")).toList();
        assertThat(rocks).isNotEmpty().allMatch(l -> l.contains("/cairn-native-"), "mapped from the unpacked copy");
    }

    private static long librarySizeInJar() throws IOException {
        var url = RocksDB.class.getClassLoader().getResource(Environment.getJniLibraryFileName("rocksdb"));
        return ((JarURLConnection) url.openConnection()).getJarEntry().getSize();
    }
}
