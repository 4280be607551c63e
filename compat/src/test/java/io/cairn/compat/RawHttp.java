package io.cairn.compat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a plain socket. The JDK client refuses what this suite must
 * send (malformed escapes, "//" paths, arbitrary methods and headers) and rewrites framing, so requests
 * go out byte for byte as written here and responses are read without interpretation.
 */
final class RawHttp {

    /** One response; header names lower-cased, repeated headers joined with ", ". */
    record Response(int status, Map<String, String> headers, byte[] body, boolean closedByServer) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {}

    /** Sends one request (Connection: close) and reads the whole response. */
    static Response exchange(int port, String method, String target, Map<String, String> headers, byte[] body,
                             Duration timeout) throws IOException {
        return exchange(port, method, target, headers, body, timeout, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #exchange(int, String, String, Map, byte[], Duration)} but stops reading a chunked body after
     * {@code maxLines} newline-terminated lines (a stream watch never ends on its own).
     */
    static Response exchange(int port, String method, String target, Map<String, String> headers, byte[] body,
                             Duration timeout, int maxLines) throws IOException {
        return open(port, method, target, headers, body, timeout).finish(maxLines);
    }

    /**
     * A request whose status line and headers have arrived but whose body is still to be read: how a watch is
     * known to be registered (both etcd and Cairn flush the headers when the watcher is parked).
     */
    static final class Pending implements AutoCloseable {
        private final Socket socket;
        private final int status;
        private final Map<String, String> headers;
        private final boolean head;

        private Pending(Socket socket, int status, Map<String, String> headers, boolean head) {
            this.socket = socket;
            this.status = status;
            this.headers = headers;
            this.head = head;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        Response finish(int maxLines) throws IOException {
            try {
                return readBody(maxLines);
            } finally {
                close();
            }
        }

        /** Reads the body but leaves the connection open (to observe whether the server closes it). */
        Response readBody(int maxLines) throws IOException {
            return RawHttp.readBody(socket.getInputStream(), status, headers, head, maxLines);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Pending open(int port, String method, String target, Map<String, String> headers, byte[] body,
                        Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(method, target, headers, body).getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readHead(socket, method.equals("HEAD"));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads the status line and headers of the answer on a socket whose request was already written. */
    static Pending readHead(Socket socket, boolean head) throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        while (statusLine.startsWith("HTTP/1.1 100")) { // interim answer to Expect: 100-continue
            while (!readLine(in).isEmpty()) { }
            statusLine = readLine(in);
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            responseHeaders.merge(name, line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return new Pending(socket, status, responseHeaders, head);
    }

    static String requestHead(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1");
        all.put("User-Agent", "cairn-compat");
        all.put("Connection", "close");
        if (body != null) {
            all.put("Content-Length", Integer.toString(body.length));
        }
        all.putAll(headers);
        all.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static Response readBody(InputStream in, int status, Map<String, String> headers, boolean head,
                                     int maxLines) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean closed = false;
        if (head || status == 204 || status == 304) {
            return new Response(status, headers, body.toByteArray(), false);
        }
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            closed = readChunked(in, body, maxLines);
        } else if (length != null) {
            body.write(readExactly(in, Integer.parseInt(length)));
        } else {
            body.write(in.readAllBytes());
            closed = true;
        }
        return new Response(status, headers, body.toByteArray(), closed);
    }

    /** Reads chunks until the terminal chunk or until maxLines lines have arrived; true if the server closed. */
    private static boolean readChunked(InputStream in, ByteArrayOutputStream body, int maxLines) throws IOException {
        int lines = 0;
        while (true) {
            String sizeLine;
            try {
                sizeLine = readLine(in);
            } catch (EOFException e) {
                return true;
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine(in);
                return false;
            }
            byte[] chunk = readExactly(in, size);
            readLine(in);
            body.write(chunk);
            for (byte b : chunk) {
                if (b == '\n' && ++lines >= maxLines) {
                    return false;
                }
            }
        }
    }

    static List<String> lines(byte[] body) {
        List<String> lines = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed mid-line: " + line);
            }
            if (c == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            line.append((char) c);
        }
    }
}
