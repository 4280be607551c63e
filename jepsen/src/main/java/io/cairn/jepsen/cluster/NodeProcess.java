package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A member's OS process: started, killed, paused and resumed by PID. The Docker backend
 * ({@link ContainerNode}) overrides the life cycle with the same meaning.
 */
public class NodeProcess {
    private final NodeSpec spec;
    private final List<String> command;
    private final Map<String, String> environment;
    private Process process;
    private boolean paused;
    /** Added to the running cluster (not a founder): every start joins it. */
    private boolean joined;

    public NodeProcess(NodeSpec spec, List<String> command, Map<String, String> environment) {
        this.spec = spec;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    public NodeSpec spec() {
        return spec;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the member on its data dir (appending to its log). */
    public synchronized void start() throws IOException {
        launch(joined ? ServerKind.joining(command) : command);
    }

    /**
     * Starts the member as one just added to the running cluster ({@code --initial-cluster-state
     * existing}), on an empty data dir (see {@link #wipeData()}). Later restarts join too: a
     * member killed before it initialised its data dir must not found a cluster of its own, and
     * an initialised one ignores the bootstrap flags.
     */
    public synchronized void startJoining() throws IOException {
        joined = true;
        launch(ServerKind.joining(command));
    }

    /** Deletes the member's data dir (it must be stopped): it comes back as a fresh member. */
    public synchronized void wipeData() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException(spec.name() + " is running; stop it before wiping its data");
        }
        if (!Files.exists(spec.dataDir())) {
            return;
        }
        try (Stream<Path> paths = Files.walk(spec.dataDir())) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Waits up to {@code timeout} for the process to exit on its own; its exit code, or empty if
     * it is still running (or was never started).
     */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null || !p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(p.exitValue());
    }

    private void launch(List<String> commandLine) throws IOException {
        if (isRunning()) {
            return;
        }
        Files.createDirectories(spec.logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(commandLine);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        process = pb.start();
        paused = false;
    }

    /** kill -9, then waits for the exit so the data dir is free for a restart. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        if (paused) {
            signal("CONT");
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(spec.name() + " did not die");
        }
    }

    /** SIGTERM and a bounded wait; kill -9 if it does not exit. */
    public synchronized void stop() throws InterruptedException {
        if (!isRunning()) {
            return;
        }
        if (paused) {
            signal("CONT");
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
        }
    }

    public synchronized void pause() {
        if (isRunning() && !paused) {
            signal("STOP");
            paused = true;
        }
    }

    public synchronized void resume() {
        if (isRunning() && paused) {
            signal("CONT");
            paused = false;
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + spec.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
