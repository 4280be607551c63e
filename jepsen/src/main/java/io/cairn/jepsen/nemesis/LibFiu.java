package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A member run under libfiu's POSIX preload library, its failure points switched at run time
 * through {@code fiu-ctrl} (Debian package fiu-utils).
 *
 * <p>The launch sets the three variables {@code fiu-run -x} sets (see {@code /usr/bin/fiu-run})
 * rather than wrapping the command in {@code fiu-run}: the script replaces {@code LD_PRELOAD},
 * which would drop a library another nemesis preloads (libfaketime).
 */
final class LibFiu {
    private static final Path LIBRARIES = Path.of("/usr/lib/fiu");
    private static final List<String> PRELOADS = List.of("fiu_run_preload.so", "fiu_posix_preload.so");
    private static final String CTRL = "/usr/bin/fiu-ctrl";

    private LibFiu() {
    }

    /** Where {@code node}'s control pipes live (libfiu appends the PID): beside its data dir. */
    private static Path controlPrefix(NodeSpec node) {
        return node.dataDir().resolveSibling("fiu-ctrl");
    }

    static MemberLaunch preload(NodeSpec node, MemberLaunch launch) throws IOException {
        for (String library : PRELOADS) {
            if (!Files.isReadable(LIBRARIES.resolve(library))) {
                throw new IllegalStateException("disk faults need libfiu (Debian package fiu-utils): "
                        + LIBRARIES.resolve(library) + " is missing");
            }
        }
        if (!Files.isExecutable(Path.of(CTRL))) {
            throw new IllegalStateException("disk faults need fiu-ctrl (Debian package fiu-utils): " + CTRL + " is missing");
        }
        Files.createDirectories(controlPrefix(node).getParent());
        return launch.withEnvironment(Map.of(
                MemberLaunch.LD_PRELOAD, String.join(" ", PRELOADS.stream().map(l -> LIBRARIES.resolve(l).toString()).toList()),
                "FIU_CTRL_FIFO", controlPrefix(node).toString(),
                "FIU_ENABLE", ""));
    }

    /**
     * Sends one remote-control command ({@code enable name=...} or {@code disable name=...}) to
     * the member's running process.
     *
     * @throws IOException when fiu-ctrl fails (the member died meanwhile, say), with its output
     */
    static void control(NodeProcess node, String command) throws IOException, InterruptedException {
        long pid = node.pid();
        Process ctrl = new ProcessBuilder(CTRL, "-f", controlPrefix(node.spec()).toString(), "-c", command,
                Long.toString(pid)).redirectErrorStream(true).start();
        if (!ctrl.waitFor(10, TimeUnit.SECONDS)) {
            ctrl.destroyForcibly();
            throw new IOException("fiu-ctrl '" + command + "' on " + node.spec().name() + " did not finish in 10 s");
        }
        String output = new String(ctrl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (ctrl.exitValue() != 0) {
            throw new IOException("fiu-ctrl '" + command + "' on " + node.spec().name() + " (pid " + pid
                    + ") exited with " + ctrl.exitValue() + ": " + output);
        }
    }
}
