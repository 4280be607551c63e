package io.cairn.jepsen.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;

/**
 * A member in a Docker container (the optional Testcontainers backend): the same life cycle as a
 * local process, driven through the Docker API. kill -9 is {@code docker kill}, a restart is
 * {@code docker start} of the same container (its data dir lives in the container's own
 * filesystem), SIGSTOP/SIGCONT are {@code docker pause/unpause} (the cgroup freezer).
 */
public final class ContainerNode extends NodeProcess {
    private final GenericContainer<?> container;
    private boolean created;
    private boolean frozen;

    ContainerNode(NodeSpec spec, GenericContainer<?> container) {
        super(spec, List.of(), Map.of());
        this.container = container;
    }

    @Override
    public synchronized boolean isRunning() {
        if (!created) {
            return false;
        }
        InspectContainerResponse.ContainerState state = docker().inspectContainerCmd(container.getContainerId()).exec().getState();
        return Boolean.TRUE.equals(state.getRunning());
    }

    /** Containers have no PID the harness can signal: nemeses that need one do not run on this backend. */
    @Override
    public synchronized long pid() {
        return -1;
    }

    @Override
    public synchronized void start() throws IOException {
        if (!created) {
            container.start();
            created = true;
        } else if (!isRunning()) {
            docker().startContainerCmd(container.getContainerId()).exec();
        }
        frozen = false;
    }

    @Override
    public synchronized void kill() throws InterruptedException {
        if (!created) {
            return;
        }
        resume();
        if (isRunning()) {
            docker().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(spec().name() + " did not die");
            }
            Thread.sleep(100);
        }
        saveLog();
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (created && isRunning()) {
            resume();
            docker().stopContainerCmd(container.getContainerId()).withTimeout(20).exec();
            saveLog();
        }
    }

    @Override
    public synchronized void pause() {
        if (created && !frozen && isRunning()) {
            docker().pauseContainerCmd(container.getContainerId()).exec();
            frozen = true;
        }
    }

    @Override
    public synchronized void resume() {
        if (frozen) {
            docker().unpauseContainerCmd(container.getContainerId()).exec();
            frozen = false;
        }
    }

    /** Removes the container (the cluster is done with it), keeping its log in the run's directory. */
    synchronized void remove() throws InterruptedException {
        if (created) {
            kill();
            container.stop();
            created = false;
        }
    }

    /** Docker keeps every start's output; the member's log file gets all of it, as a process's log would. */
    private void saveLog() throws InterruptedException {
        try (OutputStream out = Files.newOutputStream(spec().logFile())) {
            docker().logContainerCmd(container.getContainerId()).withStdOut(true).withStdErr(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            try {
                                out.write(frame.getPayload());
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the log of " + spec().name(), e);
        }
    }

    private DockerClient docker() {
        return container.getDockerClient();
    }
}
