package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        if (isRunning()) {
            return;
        }
        Files.createDirectories(spec.logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(command);
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
