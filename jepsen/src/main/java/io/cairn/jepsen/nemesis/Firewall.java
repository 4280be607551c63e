package io.cairn.jepsen.nemesis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iptables rules in a chain of our own, hooked first into INPUT; healing flushes only that chain.
 * Meant to run inside the harness's private network namespace.
 */
public final class Firewall {
    static final String CHAIN = "CAIRNCHAOS";

    private Firewall() {
    }

    public static void setUp() throws IOException, InterruptedException {
        run(List.of("iptables", "-w", "-N", CHAIN), true);
        run(List.of("iptables", "-w", "-F", CHAIN), false);
        run(List.of("iptables", "-w", "-D", "INPUT", "-j", CHAIN), true);
        run(List.of("iptables", "-w", "-I", "INPUT", "1", "-j", CHAIN), false);
    }

    /** Drops packets from {@code from} to {@code to} (one direction). */
    public static void drop(String from, String to) throws IOException, InterruptedException {
        run(List.of("iptables", "-w", "-A", CHAIN, "-s", from, "-d", to, "-j", "DROP"), false);
    }

    /** Drops TCP traffic to and from {@code ip}'s {@code port} (both directions, any peer address). */
    public static void dropPort(String ip, int port) throws IOException, InterruptedException {
        run(List.of("iptables", "-w", "-A", CHAIN, "-p", "tcp", "-d", ip, "--dport", String.valueOf(port), "-j", "DROP"),
                false);
        run(List.of("iptables", "-w", "-A", CHAIN, "-p", "tcp", "-s", ip, "--sport", String.valueOf(port), "-j", "DROP"),
                false);
    }

    public static void heal() throws IOException, InterruptedException {
        run(List.of("iptables", "-w", "-F", CHAIN), false);
    }

    public static boolean available() {
        try {
            return run(List.of("iptables", "-w", "-L", "INPUT", "-n"), true) == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " hung");
        }
        if (p.exitValue() != 0 && !mayFail) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return p.exitValue();
    }
}
