package io.cairn.server.unsafe;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.storage.FileIO;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferredWriteFileIOTest {
    @TempDir
    Path tmp;

    /** A clock the test moves. */
    private long now = 1_000;

    /** No background flusher: writes move to the OS only when the test (or a read) says so. */
    private final DeferredWriteFileIO io = new DeferredWriteFileIO(FileIO.nio(), DeferredWriteFileIO::isSegment,
            () -> now, 0);

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void segmentWritesStayInMemoryThroughForceUntilFlushed() throws Exception {
        Path segment = tmp.resolve("00000000000000000001.log");
        try (FileIO.Handle h = io.open(segment)) {
            ByteBuffer data = text("entry");
            h.write(data, 0);
            assertThat(data.hasRemaining()).isFalse();
            h.force();
            // What a kill -9 would leave behind: nothing.
            assertThat(Files.size(segment)).isZero();
            assertThat(io.pendingBytes()).isEqualTo(5);

            io.flushAll();
            assertThat(Files.readString(segment)).isEqualTo("entry");
            assertThat(io.pendingBytes()).isZero();
        }
    }

    @Test
    void theFlusherHandsOverOnlyWritesOldEnough() throws Exception {
        Path segment = tmp.resolve("00000000000000000001.log");
        try (FileIO.Handle h = io.open(segment)) {
            h.write(text("old"), 0);
            now = 2_000;
            h.write(text("new"), 3);
            io.flushOlderThan(1_999);
            assertThat(Files.readString(segment)).isEqualTo("old");
            assertThat(io.pendingBytes()).isEqualTo(3);
            io.flushOlderThan(2_000);
            assertThat(Files.readString(segment)).isEqualTo("oldnew");
        }
    }

    @Test
    void writesReachTheFileInOrderAndReadsSeeThem() throws Exception {
        Path segment = tmp.resolve("00000000000000000001.log");
        try (FileIO.Handle h = io.open(segment)) {
            h.write(text("aaaa"), 0);
            h.write(text("bb"), 1);
            assertThat(h.size()).isEqualTo(4);
            assertThat(StandardCharsets.US_ASCII.decode(h.readFully(0, 4)).toString()).isEqualTo("abba");
            h.write(text("cc"), 4);
            h.truncate(5);
            assertThat(Files.readString(segment)).isEqualTo("abbac");
        }
    }

    @Test
    void closeFlushesAndOtherFilesAreNotDeferred() throws Exception {
        Path segment = tmp.resolve("00000000000000000001.log");
        FileIO.Handle h = io.open(segment);
        h.write(text("x"), 0);
        h.close();
        assertThat(Files.readString(segment)).isEqualTo("x");

        Path state = tmp.resolve("state");
        try (FileIO.Handle s = io.open(state)) {
            s.write(text("term"), 0);
            assertThat(Files.readString(state)).isEqualTo("term");
        }
        assertThat(io.pendingBytes()).isZero();
    }

    @Test
    void onlyRaftSegmentNamesAreDeferred() {
        assertThat(DeferredWriteFileIO.isSegment(Path.of("/w/00000000000000000042.log"))).isTrue();
        assertThat(DeferredWriteFileIO.isSegment(Path.of("/w/state"))).isFalse();
        assertThat(DeferredWriteFileIO.isSegment(Path.of("/w/snapshots/00000000000000000042.snap"))).isFalse();
        assertThat(DeferredWriteFileIO.isSegment(Path.of("/w/cairn.log"))).isFalse();
    }
}
