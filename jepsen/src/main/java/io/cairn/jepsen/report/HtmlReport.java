package io.cairn.jepsen.report;

import io.cairn.jepsen.checker.CheckResult;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.HistoryEvent;
import io.cairn.jepsen.history.Operation;
import io.cairn.jepsen.runner.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * One self-contained HTML page per run: the verdict per checker, a timeline (one row per process,
 * one bar per operation coloured by outcome, faults shaded) and a latency plot.
 */
public final class HtmlReport {
    private static final int WIDTH = 1200;
    private static final int ROW = 6;

    private final History history;
    private final RunResult result;

    public HtmlReport(History history, RunResult result) {
        this.history = history;
        this.result = result;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, render());
    }

    String render() {
        List<Operation> ops = history.operations();
        long start = ops.stream().mapToLong(Operation::call).min().orElse(0);
        long end = ops.stream().mapToLong(o -> o.isInfo() ? o.call() : o.ret()).max().orElse(start + 1);
        double scale = (double) WIDTH / Math.max(1, end - start);
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(result.name()))
                .append("</title><style>body{font-family:sans-serif;margin:1em}td,th{padding:2px 8px;text-align:left}"
                        + ".VALID{color:#080}.INVALID{color:#c00}.UNKNOWN{color:#b80}</style></head><body>");
        html.append("<h1>").append(escape(result.name())).append(" <span class=\"").append(result.verdict()).append("\">")
                .append(result.verdict()).append("</span></h1>");
        html.append("<p>seed ").append(result.seed()).append(" &middot; ").append(result.stats().ok()).append(" ok, ")
                .append(result.stats().fail()).append(" fail, ").append(result.stats().info()).append(" info &middot; ")
                .append(result.stats().faults()).append(" faults &middot; recovery ")
                .append(result.stats().recoveryMillis()).append(" ms</p>");
        html.append("<table><tr><th>checker</th><th>verdict</th><th>problems</th></tr>");
        for (CheckResult r : result.results()) {
            html.append("<tr><td>").append(escape(r.checker())).append("</td><td class=\"").append(r.verdict()).append("\">")
                    .append(r.verdict()).append("</td><td>");
            r.problems().stream().limit(20).forEach(p -> html.append(escape(p)).append("<br>"));
            html.append("</td></tr>");
        }
        html.append("</table><h2>Timeline</h2>");
        timeline(html, ops, start, scale);
        html.append("<h2>Latency (ms, log scale) over time</h2>");
        latency(html, ops, start, scale);
        html.append("</body></html>\n");
        return html.toString();
    }

    private void timeline(StringBuilder html, List<Operation> ops, long start, double scale) {
        TreeSet<Integer> processes = new TreeSet<>();
        ops.forEach(o -> processes.add(o.process()));
        List<Integer> rows = List.copyOf(processes);
        int height = Math.max(ROW, rows.size() * ROW);
        html.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(height + 20).append("\">");
        faults(html, start, scale, height);
        for (Operation o : ops) {
            long ret = o.isInfo() ? o.call() + 1_000_000_000L : o.ret();
            double x = (o.call() - start) * scale;
            double w = Math.max(1, (ret - o.call()) * scale);
            int y = rows.indexOf(o.process()) * ROW;
            String color = switch (o.outcome()) {
                case OK -> "#2a2";
                case FAIL -> "#c33";
                case INFO -> "#e90";
            };
            html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s</title></rect>", x, y, w, ROW - 1, color, escape(o.toString())));
        }
        html.append("</svg>");
    }

    private void faults(StringBuilder html, long start, double scale, int height) {
        Long open = null;
        String what = "";
        for (HistoryEvent e : history.nemesis()) {
            if (e.f().equals("start")) {
                open = e.time();
                what = e.value().asText();
            } else if (open != null) {
                html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"#fdd\">"
                        + "<title>%s</title></rect>", (open - start) * scale, (e.time() - open) * scale, height, escape(what)));
                open = null;
            }
        }
    }

    private static void latency(StringBuilder html, List<Operation> ops, long start, double scale) {
        int height = 200;
        html.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(height).append("\">");
        for (Operation o : ops) {
            if (o.isInfo()) {
                continue;
            }
            double ms = Math.max(0.1, (o.ret() - o.call()) / 1e6);
            double y = height - (Math.log10(ms) + 1) / 5 * height; // 0.1 ms .. 10 s
            html.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\" fill=\"%s\"/>",
                    (o.call() - start) * scale, y, o.isOk() ? "#2a2" : "#c33"));
        }
        html.append("</svg>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
