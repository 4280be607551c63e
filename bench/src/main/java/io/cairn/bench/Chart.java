package io.cairn.bench;

import java.util.List;
import java.util.Locale;

/** A grouped bar chart (SVG) of throughput per scenario, etcd next to Cairn, with the ratio. */
final class Chart {
    private static final int BAR = 28;
    private static final int GROUP = 3 * BAR + 40;
    private static final int HEIGHT = 260;

    private Chart() {
    }

    record Bar(String label, double etcd, double cairn) {
    }

    static String svg(String title, List<Bar> bars) {
        double max = bars.stream().mapToDouble(b -> Math.max(b.etcd(), b.cairn())).max().orElse(1);
        int width = 60 + bars.size() * GROUP;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, HEIGHT + 80));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"16\" font-size=\"14\">%s</text>%n", escape(title)));
        s.append("<rect x=\"10\" y=\"26\" width=\"10\" height=\"10\" fill=\"#999\"/><text x=\"24\" y=\"35\">etcd 3.4</text>\n");
        s.append("<rect x=\"90\" y=\"26\" width=\"10\" height=\"10\" fill=\"#2b7\"/><text x=\"104\" y=\"35\">Cairn</text>\n");
        int x = 40;
        for (Bar b : bars) {
            bar(s, x, b.etcd(), max, "#999");
            bar(s, x + BAR + 4, b.cairn(), max, "#2b7");
            double ratio = b.etcd() > 0 ? b.cairn() / b.etcd() : 0;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%.1fx</text>%n",
                    x + 8, HEIGHT + 58, ratio));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x, HEIGHT + 74, escape(b.label())));
            x += GROUP;
        }
        return s.append("</svg>\n").toString();
    }

    private static void bar(StringBuilder s, int x, double value, double max, String color) {
        int h = (int) Math.round(value / max * HEIGHT);
        int y = 40 + HEIGHT - h;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", x, y, BAR, h, color));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"9\">%,.0f</text>%n", x, y - 3, value));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
