package io.cairn.server.ctl.output;

import io.cairn.server.ctl.client.KeysResponse;
import io.cairn.server.ctl.client.Node;
import java.io.PrintStream;

/** etcdctl's three output formats for a keys response ({@code --output simple|extended|json}). */
public final class ResponsePrinter {
    private final PrintStream out;
    private final PrintStream err;
    private final String format;

    public ResponsePrinter(PrintStream out, PrintStream err, String format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    public boolean isSimple() {
        return format.equals("simple");
    }

    public void print(KeysResponse r) {
        switch (format) {
            case "simple" -> {
                if (!r.action().equals("delete")) {
                    out.println(r.node().value());
                } else {
                    out.println("PrevNode.Value: " + (r.prevNode() == null ? "" : r.prevNode().value()));
                }
            }
            case "extended" -> {
                Node n = r.node();
                out.println("Key: " + n.key());
                out.println("Created-Index: " + Long.toUnsignedString(n.createdIndex()));
                out.println("Modified-Index: " + Long.toUnsignedString(n.modifiedIndex()));
                if (r.prevNode() != null) {
                    out.println("PrevNode.Value: " + r.prevNode().value());
                }
                out.println("TTL: " + n.ttl());
                out.println("Index: " + Long.toUnsignedString(r.index()));
                if (!r.action().equals("delete")) {
                    out.println();
                    out.println(n.value());
                }
            }
            case "json" -> out.println(GoJson.response(r));
            default -> err.println("Unsupported output format: " + format);
        }
    }

    /** {@code ls}: keys one per line (dirs with a slash under {@code -p}), other formats as usual. */
    public void printListing(KeysResponse r, boolean slashDirs) {
        if (!isSimple()) {
            print(r);
            return;
        }
        if (!r.node().dir()) {
            out.println(r.node().key());
        }
        if (r.node().nodes() != null) {
            r.node().nodes().forEach(child -> printTree(child, slashDirs));
        }
    }

    private void printTree(Node n, boolean slashDirs) {
        out.println(n.dir() && slashDirs ? n.key() + "/" : n.key());
        if (n.nodes() != null) {
            n.nodes().forEach(child -> printTree(child, slashDirs));
        }
    }
}
