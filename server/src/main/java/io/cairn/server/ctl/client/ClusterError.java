package io.cairn.server.ctl.client;

import java.util.List;

/**
 * Every endpoint failed. Formatted as the Go client's {@code ClusterError}: the summary with each
 * cause appended, and a separate {@link #detail()} that etcdctl prints on its own lines.
 */
public final class ClusterError extends ClientException {
    private final List<String> causes;
    private final boolean allConnectionFailures;

    public ClusterError(List<String> causes, boolean allConnectionFailures) {
        super(summary(causes));
        this.causes = List.copyOf(causes);
        this.allConnectionFailures = allConnectionFailures;
    }

    private static String summary(List<String> causes) {
        StringBuilder s = new StringBuilder("client: etcd cluster is unavailable or misconfigured");
        for (int i = 0; i < causes.size(); i++) {
            s.append("; error #").append(i).append(": ").append(causes.get(i)).append('\n');
        }
        return s.toString();
    }

    public String detail() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < causes.size(); i++) {
            s.append("error #").append(i).append(": ").append(causes.get(i)).append('\n');
        }
        return s.toString();
    }

    /** True when no endpoint could even be connected to (etcdctl then exits 2, not 4). */
    public boolean allConnectionFailures() {
        return allConnectionFailures;
    }
}
