package io.cairn.http;

import io.cairn.kv.ErrorCode;
import io.cairn.kv.EtcdException;
import java.util.Map;

/**
 * The parameters of a {@code /v2/keys} request, parsed and validated exactly as etcd does it
 * (spec 3.2 to 3.6): every parameter is checked on every method, in etcd's order, and the first
 * failure is the answer.
 */
record KeysParams(
        String value,
        boolean valueGiven,
        Long ttl,
        boolean dir,
        Boolean prevExist,
        String prevValue,
        long prevIndex,
        boolean recursive,
        boolean sorted,
        boolean waitForChange,
        long waitIndex,
        boolean quorum,
        boolean stream,
        boolean refresh,
        boolean noValueOnSuccess) {

    /**
     * @param params query and (for PUT/POST form bodies) body parameters, body first
     * @param isGet whether the method is GET (only GET may wait)
     */
    static KeysParams parse(Map<String, String> params, boolean isGet) {
        long prevIndex = uint64Bits(params, "prevIndex", ErrorCode.INDEX_NAN, "invalid value for \"prevIndex\"");
        long waitIndex = uint(params, "waitIndex", ErrorCode.INDEX_NAN, "invalid value for \"waitIndex\"");
        boolean recursive = bool(params, "recursive");
        boolean sorted = bool(params, "sorted");
        boolean wait = bool(params, "wait");
        boolean dir = bool(params, "dir");
        boolean quorum = bool(params, "quorum");
        boolean stream = bool(params, "stream");
        if (wait && !isGet) {
            throw error(ErrorCode.INVALID_FIELD, "\"wait\" can only be used with GET requests");
        }
        String prevValue = params.get("prevValue");
        if (prevValue != null && prevValue.isEmpty()) {
            throw error(ErrorCode.PREV_VALUE_REQUIRED, "\"prevValue\" cannot be empty");
        }
        boolean noValueOnSuccess = bool(params, "noValueOnSuccess");
        Long ttl = ttl(params.get("ttl"));
        Boolean prevExist = nullableBool(params.get("prevExist"), "invalid value for prevExist");
        Boolean refresh = nullableBool(params.get("refresh"), "invalid value for refresh");
        String value = params.get("value");
        boolean isRefresh = refresh != null && refresh;
        if (isRefresh && value != null && !value.isEmpty()) {
            throw error(ErrorCode.REFRESH_VALUE, "A value was provided on a refresh");
        }
        if (isRefresh && ttl == null) {
            throw error(ErrorCode.REFRESH_TTL_REQUIRED, "No TTL value set");
        }
        return new KeysParams(value == null ? "" : value, value != null, ttl, dir, prevExist, prevValue, prevIndex,
                recursive, sorted, wait, waitIndex, quorum, stream, isRefresh, noValueOnSuccess);
    }

    static EtcdException error(ErrorCode code, String cause) {
        return new EtcdException(code, cause, 0);
    }

    /** strconv.ParseBool: anything else, the empty string and a bare flag included, is invalid. */
    static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static boolean bool(Map<String, String> params, String name) {
        String raw = params.get(name);
        if (raw == null) {
            return false;
        }
        Boolean b = parseBool(raw);
        if (b == null) {
            throw error(ErrorCode.INVALID_FIELD, "invalid value for \"" + name + "\"");
        }
        return b;
    }

    private static Boolean nullableBool(String raw, String cause) {
        if (raw == null) {
            return null;
        }
        Boolean b = parseBool(raw);
        if (b == null) {
            throw error(ErrorCode.INVALID_FIELD, cause);
        }
        return b;
    }

    /** Decimal digits in 0..2^64-1; absent means 0. */
    private static long uint(Map<String, String> params, String name, ErrorCode code, String cause) {
        String raw = params.get(name);
        if (raw == null) {
            return 0;
        }
        long v = parseUint(raw);
        if (v < 0) {
            throw error(code, cause);
        }
        return v;
    }

    /**
     * Decimal digits in 0..2^64-1 as a uint64's bits (compare with {@link Long#compareUnsigned},
     * print with {@link Long#toUnsignedString}); absent means 0. Only prevIndex needs all 64 bits:
     * it is echoed back in a failed compare's cause.
     */
    private static long uint64Bits(Map<String, String> params, String name, ErrorCode code, String cause) {
        String raw = params.get(name);
        if (raw == null) {
            return 0;
        }
        String digits = significantDigits(raw);
        if (digits == null) {
            throw error(code, cause);
        }
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw error(code, cause);
        }
    }

    /** A decimal uint64 capped to Long.MAX_VALUE, or -1 when not one. */
    static long parseUint(String raw) {
        String digits = significantDigits(raw);
        if (digits == null) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            // Valid uint64 beyond Java's long: an index or TTL that large behaves as "very large".
            return new java.math.BigInteger(digits).bitLength() <= 64 ? Long.MAX_VALUE : -1;
        }
    }

    /**
     * The digits of a decimal number without its leading zeros (strconv.ParseUint accepts any
     * number of them), "0" for zero, or null when it is not a number or has more digits than a
     * uint64 can hold.
     */
    private static String significantDigits(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) < '0' || raw.charAt(i) > '9') {
                return null;
            }
        }
        int first = 0;
        while (first < raw.length() - 1 && raw.charAt(first) == '0') {
            first++;
        }
        String digits = raw.substring(first);
        return digits.length() > 20 ? null : digits;
    }

    /** Empty means "no TTL" (spec 3.4); otherwise a uint of seconds. */
    private static Long ttl(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        long v = parseUint(raw);
        if (v < 0) {
            throw error(ErrorCode.TTL_NAN, "invalid value for \"ttl\"");
        }
        return v;
    }
}
