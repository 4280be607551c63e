package io.cairn.server;

import ch.qos.logback.classic.Level;
import io.cairn.raft.storage.CorruptLogException;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.EtcdFlag;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.ServerConfigLoader;
import io.cairn.server.datadir.DataDir;
import io.cairn.server.datadir.DataDirLockedException;
import io.cairn.server.identity.PeerUrlMatcher;
import io.cairn.server.member.CairnMember;
import io.cairn.server.http.ClientListener;
import io.cairn.server.member.IdentityResolver;
import io.cairn.server.unsafe.NegativeControls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the {@code cairn} server: etcd's flags and environment, then data dir, identity
 * and the member. SIGTERM (and Ctrl-C) hand leadership over, flush and exit 0.
 */
public final class CairnMain {
    static final String VERSION = "0.1.0";
    static final String ETCD_VERSION = "3.4.23";

    /**
     * Whether this build serves the v2 HTTP API on the client URLs. False until the v2-http-api
     * module provides its server; the tutorial test against cairn runs once this is true.
     */
    public static final boolean HTTP_API_WIRED = true;

    private CairnMain() {}

    public static void main(String[] args) {
        NettyDefaults.apply();
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Starts the member and blocks until shutdown; returns an exit code, or -1 once shut down by a signal. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ServerConfigLoader.Outcome outcome;
        NegativeControls controls;
        try {
            // The test-only negative controls are not etcd flags: taken out before etcd's are parsed.
            NegativeControls.Extracted extracted = NegativeControls.extract(args);
            controls = extracted.controls();
            outcome = new ServerConfigLoader(System.getenv(), w -> err.println("cairn: warning: " + w)).load(extracted.remaining());
        } catch (ConfigException e) {
            if (e.exitCode() == ConfigException.EXIT_FLAG_SYNTAX) {
                err.println(e.getMessage());
                err.println("Usage: cairn [flags]   (see 'cairn --help')");
            } else {
                err.println("cairn: error verifying flags, " + e.getMessage() + ". See 'cairn --help'.");
            }
            return e.exitCode();
        }
        if (outcome instanceof ServerConfigLoader.Outcome.ShowHelp) {
            printHelp(out);
            return 0;
        }
        if (outcome instanceof ServerConfigLoader.Outcome.ShowVersion) {
            out.println("cairn Version: " + VERSION);
            out.println("etcd API Version: " + ETCD_VERSION);
            out.println("Java Version: " + System.getProperty("java.version"));
            return 0;
        }
        ServerConfig config = ((ServerConfigLoader.Outcome.Start) outcome).config();
        setLogLevel(config.logLevel());
        return serve(config, controls, err);
    }

    private static int serve(ServerConfig config, NegativeControls controls, PrintStream err) {
        Logger log = LoggerFactory.getLogger(CairnMain.class);
        for (String warning : controls.warnings()) {
            log.warn(warning);
            err.println("cairn: WARNING: " + warning);
        }
        DataDir dataDir;
        try {
            dataDir = DataDir.open(config.dataDir(), config.walDir());
        } catch (DataDirLockedException e) {
            err.println("cairn: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("cairn: cannot use --data-dir " + config.dataDir() + ": " + e);
            return 1;
        }
        if (dataDir.isMarkedRemoved()) {
            err.println("cairn: this data dir belongs to a member that was removed from the cluster; "
                    + "delete " + dataDir.root() + " and add the member again (etcdctl member add)");
            closeQuietly(dataDir);
            return 1;
        }
        CairnMember member;
        CountDownLatch stopped;
        AtomicInteger exitStatus = new AtomicInteger();
        try {
            IdentityResolver.Resolved resolved = new IdentityResolver(PeerUrlMatcher.system()).resolve(config, dataDir);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            member = CairnMember.start(config, resolved.identity(), dataDir, registry, controls);
            // From here on a SIGTERM must stop cleanly, even while the client listener starts.
            AtomicReference<ClientListener> clients = new AtomicReference<>();
            stopped = stopOnSignal(member, clients, exitStatus, log);
            clients.set(ClientListener.start(member, registry));
        } catch (ConfigException e) {
            err.println("cairn: " + e.getMessage());
            closeQuietly(dataDir);
            return e.exitCode();
        } catch (CorruptLogException e) {
            // Not a crash we can repair by cutting: the log may hold entries this member acknowledged.
            log.error("cannot start member: its Raft log is damaged", e);
            err.println("cairn: the Raft log in " + dataDir.walDir() + " is damaged: " + e.getMessage());
            err.println("cairn: refusing to start, as dropping the damaged entries could lose acknowledged writes."
                    + " Repair: remove this member from the cluster (etcdctl member remove), delete "
                    + dataDir.root() + ", add it back (etcdctl member add) and start it with"
                    + " --initial-cluster-state existing");
            closeQuietly(dataDir);
            return 1;
        } catch (IOException | RuntimeException e) {
            log.error("cannot start member", e);
            closeQuietly(dataDir);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(dataDir);
            return 1;
        }
        return awaitShutdown(member, stopped, exitStatus, log);
    }

    /**
     * On SIGTERM/SIGINT: stop serving clients, hand leadership over, flush, exit 0 (etcd does).
     * Also the way out after a failure or a removal ({@code exitStatus} then holds their non-zero
     * status, which the stop keeps).
     */
    private static CountDownLatch stopOnSignal(CairnMember member, AtomicReference<ClientListener> clients,
            AtomicInteger exitStatus, Logger log) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exitStatus.get() == 0) {
                log.info("received shutdown signal; transferring leadership if leader, flushing and stopping");
            }
            int code = 0;
            try {
                ClientListener listener = clients.get();
                if (listener != null) {
                    listener.close();
                }
                member.close();
                log.info("stopped cleanly");
            } catch (IOException | RuntimeException e) {
                log.error("error while stopping", e);
                code = 1;
            }
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // A JVM ended by SIGTERM exits 143; etcd exits 0 after a clean stop, and so do we. A halt in
            // a shutdown hook replaces System.exit's status: keep a failure's or a removal's.
            Runtime.getRuntime().halt(Math.max(code, exitStatus.get()));
        }, "cairn-shutdown"));
        return stopped;
    }

    /**
     * Blocks until the signal handler has stopped the member (-1), the Raft node has stopped after
     * a fatal error such as a failed fsync (1: fail-stop, the member must not serve on), or the
     * member learns it was removed (2). The non-zero statuses are left in {@code exitStatus} for
     * the shutdown hook that {@code System.exit} runs.
     */
    private static int awaitShutdown(CairnMember member, CountDownLatch stopped, AtomicInteger exitStatus, Logger log) {
        while (true) {
            try {
                Throwable failure = member.node().failure().get(1, TimeUnit.SECONDS);
                log.error("the raft node stopped after a fatal error, so this member stops serving and exits with "
                        + "status 1 (after a failed durable write it cannot tell what its disk holds; restart it to "
                        + "recover from its last durable state): {}", rootMessage(failure));
                exitStatus.set(1);
                return 1;
            } catch (TimeoutException e) {
                // still running
            } catch (ExecutionException e) {
                throw new IllegalStateException("the failure future never fails", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            if (stopped.getCount() == 0) {
                return -1;
            }
            if (member.wasRemoved()) {
                exitStatus.set(2);
                return 2; // exit non-zero so an orchestrator notices; the marker file is already written
            }
        }
    }

    private static String rootMessage(Throwable error) {
        StringBuilder message = new StringBuilder(String.valueOf(error));
        for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
            message.append(": caused by ").append(cause);
            error = cause;
        }
        return message.toString();
    }

    private static void setLogLevel(String level) {
        Level logback = switch (level) {
            case "debug" -> Level.DEBUG;
            case "warn" -> Level.WARN;
            case "error", "dpanic", "panic", "fatal" -> Level.ERROR;
            default -> Level.INFO;
        };
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(logback);
    }

    private static void closeQuietly(DataDir dataDir) {
        try {
            dataDir.close();
        } catch (IOException ignored) {
            // already failing; the lock is released when the process exits anyway
        }
    }

    private static void printHelp(PrintStream out) {
        out.println("Usage:");
        out.println();
        out.println("  cairn [flags]");
        out.println("    Start a Cairn member (etcd v2 API compatible).");
        out.println();
        out.println("Flags (each also as ETCD_<FLAG> environment variable, or a key of --config-file):");
        for (EtcdFlag flag : EtcdFlag.values()) {
            out.println("  --" + flag.flagName() + (flag.isIgnored() ? "   (accepted for etcd compatibility; no effect)" : ""));
        }
    }
}
