package io.cairn.jepsen.nemesis.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinkProxyTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ServerSocket echo;
    private Thread echoThread;
    private LinkProxy proxy;

    @BeforeEach
    void startEchoServerAndProxy() throws IOException {
        echo = new ServerSocket(0, 50, LOOPBACK);
        echoThread = new Thread(this::echoLoop, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
        proxy = new LinkProxy("a->b", new InetSocketAddress(LOOPBACK, 0), LOOPBACK, new SourcePorts(42000, 42099),
                new InetSocketAddress(LOOPBACK, echo.getLocalPort()), 7);
        proxy.start();
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        proxy.close();
        echo.close();
        echoThread.join(5_000);
    }

    @Test
    void aCleanLinkCarriesEveryByteBothWays() throws IOException {
        byte[] sent = new byte[1 << 20];
        new Random(1).nextBytes(sent);
        assertThat(roundTrip(sent)).isEqualTo(sent);
        assertThat(proxy.damagedChunks()).isZero();
    }

    @Test
    void aDelayedLinkHoldsTheBytesEachWay() throws IOException {
        proxy.behave(LinkBehaviour.delayed(Duration.ofMillis(150), Duration.ofMillis(50)));
        long start = System.nanoTime();
        byte[] sent = "ping".getBytes();
        assertThat(roundTrip(sent)).isEqualTo(sent);
        // held once on the way out and once on the way back
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aDroppingLinkLosesBytesAndCountsTheDamage() throws IOException {
        proxy.behave(LinkBehaviour.dropping(1.0));
        byte[] sent = new byte[64 * 1024];
        new Random(2).nextBytes(sent);
        byte[] received = roundTrip(sent);
        assertThat(received.length).isLessThan(sent.length);
        assertThat(proxy.damagedChunks()).isPositive();
    }

    @Test
    void aHealedLinkIsCleanAgain() throws IOException {
        proxy.behave(LinkBehaviour.dropping(1.0));
        proxy.behave(LinkBehaviour.CLEAN);
        byte[] sent = new byte[256 * 1024];
        new Random(3).nextBytes(sent);
        assertThat(roundTrip(sent)).isEqualTo(sent);
    }

    @Test
    void closingEndsEveryConnectionAndThread() throws IOException {
        try (Socket client = new Socket(LOOPBACK, proxy.port())) {
            client.getOutputStream().write(1);
            assertThat(client.getInputStream().read()).isEqualTo(1);
            assertThat(proxy.openConnections()).isEqualTo(1);
            proxy.close();
            assertThat(proxy.isTerminated()).isTrue();
            // the proxy closed its side: the client sees the end of the stream (or a reset)
            client.setSoTimeout(5_000);
            assertThat(readToEnd(client.getInputStream())).isEmpty();
        }
    }

    @Test
    void aConnectionToADeadTargetIsClosedAndNothingIsLeftOpen() throws IOException {
        // a port held bound but not listening: refused, and no other process can take it meanwhile
        try (Socket deadPort = new Socket()) {
            deadPort.bind(new InetSocketAddress(LOOPBACK, 0));
            LinkProxy toNowhere = new LinkProxy("a->dead", new InetSocketAddress(LOOPBACK, 0), LOOPBACK,
                    new SourcePorts(42100, 42199), new InetSocketAddress(LOOPBACK, deadPort.getLocalPort()), 8);
            toNowhere.start();
            try (Socket client = new Socket(LOOPBACK, toNowhere.port())) {
                client.setSoTimeout(5_000);
                assertThat(readToEnd(client.getInputStream())).isEmpty();
                await().atMost(Duration.ofSeconds(5)).until(() -> toNowhere.openConnections() == 0);
                assertThat(toNowhere.acceptedConnections()).isEqualTo(1);
            } finally {
                toNowhere.close();
            }
        }
    }

    @Test
    void badBehavioursAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LinkBehaviour.dropping(1.5))
                .hasMessageContaining("drop probability");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LinkBehaviour.delayed(Duration.ofMillis(-1), Duration.ZERO))
                .hasMessageContaining("must not be negative");
    }

    /** Sends everything through the proxy to the echo server, half-closes, reads the echo to the end. */
    private byte[] roundTrip(byte[] sent) throws IOException {
        try (Socket client = new Socket(LOOPBACK, proxy.port())) {
            client.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int off = 0; off < sent.length; off += 4096) {
                        out.write(sent, off, Math.min(4096, sent.length - off));
                    }
                    client.shutdownOutput();
                } catch (IOException e) {
                    // the reader reports what arrived
                }
            });
            writer.start();
            byte[] received = readToEnd(client.getInputStream());
            writer.join(10_000);
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset ends the stream too
        }
        return out.toByteArray();
    }

    private void echoLoop() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                        s.shutdownOutput();
                        s.getInputStream().read();
                    } catch (IOException e) {
                        // the test sees it
                    }
                }, "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
