package io.cairn.http;

import java.time.Duration;

/** Go's time.Duration.String(): 3m2.38972533s, 14.466607583s, 1h0m0s, 0s. */
final class GoDuration {
    private GoDuration() {
    }

    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos < 0) {
            out.append('-');
            nanos = -nanos;
        }
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        long secNanos = nanos % 60_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(secNanos / 1_000_000_000L);
        long frac = secNanos % 1_000_000_000L;
        if (frac != 0) {
            String digits = String.format("%09d", frac).replaceAll("0+$", "");
            out.append('.').append(digits);
        }
        return out.append('s').toString();
    }
}
