package io.cairn.server.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.identity.BootstrapMember;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path tmp;

    @Test
    void createsEtcdLayout() throws Exception {
        try (DataDir dir = DataDir.open(tmp.resolve("n1.etcd"), Optional.empty())) {
            assertThat(dir.walDir()).isEqualTo(tmp.resolve("n1.etcd/member/wal").toAbsolutePath());
            assertThat(dir.snapDir()).isDirectory();
            assertThat(dir.walDir()).isDirectory();
        }
    }

    @Test
    void walDirCanLiveElsewhere() throws Exception {
        try (DataDir dir = DataDir.open(tmp.resolve("d"), Optional.of(tmp.resolve("wal")))) {
            assertThat(dir.walDir()).isEqualTo(tmp.resolve("wal").toAbsolutePath()).isDirectory();
        }
    }

    @Test
    void secondOpenOfTheSameDirIsRefusedUntilTheFirstCloses() throws Exception {
        DataDir first = DataDir.open(tmp.resolve("d"), Optional.empty());
        assertThatThrownBy(() -> DataDir.open(tmp.resolve("d"), Optional.empty()))
                .isInstanceOf(DataDirLockedException.class)
                .hasMessageContaining("in use by another cairn member");
        first.close();
        DataDir.open(tmp.resolve("d"), Optional.empty()).close();
    }

    @Test
    void secondProcessIsRefused() throws Exception {
        try (DataDir ignored = DataDir.open(tmp.resolve("d"), Optional.empty())) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LockProbe.class.getName(), tmp.resolve("d").toString())
                    .redirectErrorStream(true).start();
            String output = new String(other.getInputStream().readAllBytes());
            assertThat(other.waitFor()).isEqualTo(3);
            assertThat(output).contains("in use by another cairn member");
        }
    }

    @Test
    void identityIsEmptyOnFirstStartAndSurvivesReopen() throws Exception {
        PersistedIdentity identity = new PersistedIdentity(0x052b9e81c8fa0a34L, 0xd85358b201602733L,
                List.of(new BootstrapMember(0x052b9e81c8fa0a34L, "c", List.of("http://127.0.0.1:23432"))));
        try (DataDir dir = DataDir.open(tmp.resolve("d"), Optional.empty())) {
            assertThat(dir.readIdentity()).isEmpty();
            dir.writeIdentity(identity);
        }
        try (DataDir dir = DataDir.open(tmp.resolve("d"), Optional.empty())) {
            assertThat(dir.readIdentity()).contains(identity);
            assertThat(Files.list(dir.memberDir()).map(p -> p.getFileName().toString())).doesNotContain("identity.json.tmp");
        }
    }

    @Test
    void aJoinedIdentityKeepsItsFoundersAndFirstPeers() throws Exception {
        BootstrapMember founder = new BootstrapMember(0xb533416d0f1de8ddL, "", List.of("http://127.0.0.1:23412"));
        PersistedIdentity joined = new PersistedIdentity(0x7728b2d85beb2b73L, 0xd85358b201602733L, List.of(founder), true,
                List.of(new BootstrapMember(0xb533416d0f1de8ddL, "a", List.of("http://127.0.0.1:23412")),
                        new BootstrapMember(0x7728b2d85beb2b73L, "d", List.of("http://127.0.0.1:23442"))));
        try (DataDir dir = DataDir.open(tmp.resolve("j"), Optional.empty())) {
            dir.writeIdentity(joined);
        }
        try (DataDir dir = DataDir.open(tmp.resolve("j"), Optional.empty())) {
            assertThat(dir.readIdentity()).contains(joined);
        }
        // a founder's file has no join fields, and reads back as a founder
        assertThat(Files.readString(tmp.resolve("j/member/identity.json"))).contains("\"joined\" : true");
        try (DataDir dir = DataDir.open(tmp.resolve("f"), Optional.empty())) {
            dir.writeIdentity(new PersistedIdentity(1, 2, List.of(founder)));
            assertThat(Files.readString(dir.memberDir().resolve("identity.json"))).doesNotContain("joined");
            assertThat(dir.readIdentity().orElseThrow().joined()).isFalse();
        }
    }

    @Test
    void removedMarkerIsWrittenAtTheTop() throws Exception {
        try (DataDir dir = DataDir.open(tmp.resolve("d"), Optional.empty())) {
            assertThat(dir.isMarkedRemoved()).isFalse();
            dir.markRemoved();
            assertThat(dir.isMarkedRemoved()).isTrue();
            assertThat(tmp.resolve("d/removed")).exists();
        }
    }

    /** Run in a child JVM: exits 3 with the message if the lock is held. */
    public static final class LockProbe {
        public static void main(String[] args) throws Exception {
            try (DataDir ignored = DataDir.open(Path.of(args[0]), Optional.empty())) {
                System.exit(0);
            } catch (DataDirLockedException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
