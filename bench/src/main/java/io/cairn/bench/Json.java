package io.cairn.bench;

/** Just enough JSON reading for the hot path: a numeric (or numeric string) field, first match. */
final class Json {
    private Json() {
    }

    static long longField(String body, String field) {
        int at = body.indexOf("\"" + field + "\":");
        if (at < 0) {
            return -1;
        }
        int i = at + field.length() + 3;
        if (i < body.length() && body.charAt(i) == '"') {
            i++;
        }
        long value = 0;
        int start = i;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            value = value * 10 + (body.charAt(i++) - '0');
        }
        return i == start ? -1 : value;
    }
}
