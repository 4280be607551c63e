package io.cairn.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real etcdctl 3.4 binary in v2 mode ({@code ETCDCTL_API=2}). */
final class Etcdctl {

    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    private Etcdctl() {}

    static Result run(String endpoints, String... args) {
        List<String> command = new ArrayList<>(List.of(Flavor.ETCDCTL_BINARY.toString(), "--endpoints", endpoints));
        command.addAll(List.of(args));
        return exec(command, 30);
    }

    static Result exec(List<String> command, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(key -> key.startsWith("ETCD"));
            builder.environment().put("ETCDCTL_API", "2");
            Process process = builder.start();
            process.getOutputStream().close();
            // small outputs only: read both streams after exit would risk a full pipe, so read stdout first
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
