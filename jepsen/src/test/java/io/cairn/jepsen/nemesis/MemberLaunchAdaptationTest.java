package io.cairn.jepsen.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nemeses that need members started in a special way get it, and compose when several are in a run. */
class MemberLaunchAdaptationTest {
    @TempDir
    Path dir;

    private NodeSpec node() {
        return new NodeSpec("n1", "127.0.0.11", 2379, 2380, dir.resolve("n1").resolve("data"), dir.resolve("n1.log"));
    }

    private static MemberLaunch plain() {
        return new MemberLaunch(List.of("bin/cairn", "--name", "n1"), Map.of("CAIRN_HOME", "/opt/cairn"));
    }

    @Test
    void preloadedLibrariesAccumulateAndOtherVariablesAreReplaced() {
        MemberLaunch launch = plain()
                .withEnvironment(Map.of(MemberLaunch.LD_PRELOAD, "/a.so", "X", "1"))
                .withEnvironment(Map.of(MemberLaunch.LD_PRELOAD, "/b.so", "X", "2"));
        assertThat(launch.environment()).containsEntry(MemberLaunch.LD_PRELOAD, "/a.so /b.so").containsEntry("X", "2")
                .containsEntry("CAIRN_HOME", "/opt/cairn");
        assertThat(launch.wrappedIn(List.of("nice", "-n", "5")).command()).containsExactly("nice", "-n", "5", "bin/cairn",
                "--name", "n1");
    }

    @Test
    void faultsThatNeedNoSpecialLaunchLeaveItAlone() throws Exception {
        MemberLaunch launch = plain();
        assertThat(new KillNemesis(Targets.ONE).adaptLaunch(node(), launch)).isEqualTo(launch);
    }

    @Test
    void clockAndDiskFaultsTogetherPreloadBothLibrariesWithAWorkingClockFile() throws Exception {
        assumeTrue(Files.isReadable(FakeClock.LIBRARY) && Files.isReadable(Path.of("/usr/lib/fiu/fiu_posix_preload.so")),
                "libfaketime and libfiu are installed");
        Nemesis both = new CompositeNemesis(List.of(new ClockJumpNemesis(), new FsyncErrorNemesis()));

        MemberLaunch launch = both.adaptLaunch(node(), plain());

        assertThat(launch.command()).isEqualTo(plain().command());
        assertThat(launch.environment().get(MemberLaunch.LD_PRELOAD).split(" ")).containsExactly(
                FakeClock.LIBRARY.toString(), "/usr/lib/fiu/fiu_run_preload.so", "/usr/lib/fiu/fiu_posix_preload.so");
        assertThat(launch.environment()).containsEntry("FAKETIME_DONT_FAKE_MONOTONIC", "1")
                .containsEntry("FAKETIME_CACHE_DURATION", "1").containsEntry("NO_FAKE_STAT", "1")
                .containsEntry("FIU_CTRL_FIFO", dir.resolve("n1").resolve("fiu-ctrl").toString())
                .containsEntry("CAIRN_HOME", "/opt/cairn");
        Path offset = Path.of(launch.environment().get("FAKETIME_TIMESTAMP_FILE"));
        assertThat(Files.readString(offset)).isEqualTo("+0\n");

        FakeClock.set(node(), -90);
        assertThat(Files.readString(offset)).isEqualTo("-90\n");
        FakeClock.set(node(), 300);
        assertThat(Files.readString(offset)).isEqualTo("+300\n");
    }
}
