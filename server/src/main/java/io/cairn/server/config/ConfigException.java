package io.cairn.server.config;

/**
 * A configuration the server must refuse to start with. The message is printed as is, so it
 * carries etcd's wording where etcd has one; {@link #exitCode()} follows etcd too (2 for flag
 * syntax errors, 1 for configurations that parse but do not validate).
 */
public final class ConfigException extends Exception {
    public static final int EXIT_FLAG_SYNTAX = 2;
    public static final int EXIT_INVALID = 1;

    private final int exitCode;

    public ConfigException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public static ConfigException invalid(String message) {
        return new ConfigException(message, EXIT_INVALID);
    }

    /** Go's flag package wording for a value its parser rejected. */
    public static ConfigException badFlagValue(String flag, String value, String reason) {
        return new ConfigException(
                "invalid value \"" + value + "\" for flag -" + flag + ": " + reason, EXIT_FLAG_SYNTAX);
    }

    public int exitCode() {
        return exitCode;
    }
}
