package io.cairn.server.identity;

import io.cairn.server.config.EtcdUrls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares two peer URL lists as etcd does before bootstrapping: host names are resolved (retrying
 * until a deadline, since a StatefulSet pod's DNS record may not exist yet) and the resulting
 * {@code scheme://ip:port} lists must be equal as sets. This is what lets the tutorial pass
 * {@code http://etcd-0:2380} as advertised URL and {@code http://etcd-0.etcd:2380} in the
 * initial cluster.
 */
public final class PeerUrlMatcher {
    /** Name resolution, injectable for tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /** Waiting between attempts, injectable so tests run without wall-clock sleeps. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Resolver resolver;
    private final Pause pause;
    private final Clock clock;
    private final Duration deadline;

    public PeerUrlMatcher(Resolver resolver, Pause pause, Clock clock, Duration deadline) {
        this.resolver = resolver;
        this.pause = pause;
        this.clock = clock;
        this.deadline = deadline;
    }

    /** The production matcher: system DNS, real waiting, 30 s as in etcd. */
    public static PeerUrlMatcher system() {
        return new PeerUrlMatcher(InetAddress::getByName, d -> Thread.sleep(d.toMillis()), Clock.systemUTC(), Duration.ofSeconds(30));
    }

    /** Outcome of a comparison; {@code reason} explains a mismatch or a resolution failure. */
    public record Match(boolean equal, String reason) {}

    public Match compare(List<String> a, List<String> b) throws InterruptedException {
        if (a.size() != b.size()) {
            return new Match(false, "URL list lengths differ (" + a.size() + " != " + b.size() + ")");
        }
        if (a.stream().sorted().toList().equals(b.stream().sorted().toList())) {
            return new Match(true, "");
        }
        Instant giveUp = clock.instant().plus(deadline);
        while (true) {
            try {
                List<String> ra = resolveAll(a);
                List<String> rb = resolveAll(b);
                if (ra.equals(rb)) {
                    return new Match(true, "");
                }
                return new Match(false, "resolved urls " + ra + " != " + rb);
            } catch (UnknownHostException e) {
                if (!clock.instant().isBefore(giveUp)) {
                    return new Match(false, "failed to resolve " + e.getMessage());
                }
                pause.pause(Duration.ofSeconds(1));
            }
        }
    }

    private List<String> resolveAll(List<String> urls) throws UnknownHostException {
        List<String> resolved = new ArrayList<>();
        for (String url : urls) {
            String scheme = url.substring(0, url.indexOf("://"));
            String ip = resolver.resolve(EtcdUrls.host(url)).getHostAddress();
            resolved.add(scheme + "://" + ip + ":" + EtcdUrls.port(url));
        }
        resolved.sort(null);
        return resolved;
    }
}
