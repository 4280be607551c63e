package io.cairn.jepsen.nemesis.proxy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local ports the proxies dial from. They lie outside the kernel's ephemeral range, so a
 * redirect rule that skips them never catches the proxy's own connection to the real member,
 * while that connection still carries the member's address (per-node partition rules match it).
 */
public final class SourcePorts {
    private static final int ATTEMPTS = 64;

    private final int first;
    private final int last;
    private final AtomicInteger next = new AtomicInteger();

    public SourcePorts(int first, int last) {
        if (first < 1 || last > 65535 || last < first) {
            throw new IllegalArgumentException("bad port range " + first + "-" + last);
        }
        this.first = first;
        this.last = last;
    }

    public int first() {
        return first;
    }

    public int last() {
        return last;
    }

    /** A connection from {@code source} (a port of this range) to {@code target}. */
    Socket connect(InetAddress source, InetSocketAddress target, int timeoutMillis) throws IOException {
        BindException lastBusy = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = first + Math.floorMod(next.getAndIncrement(), last - first + 1);
            Socket socket = new Socket();
            try {
                socket.setReuseAddress(true);
                socket.setTcpNoDelay(true);
                socket.bind(new InetSocketAddress(source, port));
                socket.connect(target, timeoutMillis);
                return socket;
            } catch (BindException e) {
                // port in use, or the same four-tuple still in TIME_WAIT: take the next one
                socket.close();
                lastBusy = e;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
        throw new IOException("no free source port in " + first + "-" + last + " after " + ATTEMPTS + " attempts",
                lastBusy);
    }
}
