package io.cairn.server.config;

import java.util.Locale;

/**
 * The etcd flags cairn understands. Each is accepted as {@code --flag}, {@code -flag}, the
 * {@code ETCD_FLAG} environment variable and the {@code flag} key of a {@code --config-file},
 * exactly as etcd 3.4 names them.
 */
public enum EtcdFlag {
    NAME("name", Kind.TEXT),
    DATA_DIR("data-dir", Kind.TEXT),
    WAL_DIR("wal-dir", Kind.TEXT),
    LISTEN_PEER_URLS("listen-peer-urls", Kind.URLS),
    LISTEN_CLIENT_URLS("listen-client-urls", Kind.URLS),
    ADVERTISE_CLIENT_URLS("advertise-client-urls", Kind.URLS),
    INITIAL_ADVERTISE_PEER_URLS("initial-advertise-peer-urls", Kind.URLS),
    INITIAL_CLUSTER("initial-cluster", Kind.TEXT),
    INITIAL_CLUSTER_STATE("initial-cluster-state", Kind.TEXT),
    INITIAL_CLUSTER_TOKEN("initial-cluster-token", Kind.TEXT),
    HEARTBEAT_INTERVAL("heartbeat-interval", Kind.NUMBER),
    ELECTION_TIMEOUT("election-timeout", Kind.NUMBER),
    SNAPSHOT_COUNT("snapshot-count", Kind.NUMBER),
    /** etcd 3.5's name: entries kept behind a snapshot so a lagging follower can catch up without one. */
    SNAPSHOT_CATCHUP_ENTRIES("experimental-snapshot-catchup-entries", Kind.NUMBER),
    MAX_REQUEST_BYTES("max-request-bytes", Kind.NUMBER),
    ENABLE_V2("enable-v2", Kind.BOOL),
    STRICT_RECONFIG_CHECK("strict-reconfig-check", Kind.BOOL),
    INITIAL_ELECTION_TICK_ADVANCE("initial-election-tick-advance", Kind.BOOL),
    CORS("cors", Kind.TEXT),
    HOST_WHITELIST("host-whitelist", Kind.TEXT),
    LOG_LEVEL("log-level", Kind.TEXT),
    CONFIG_FILE("config-file", Kind.TEXT),
    // Accepted so etcd command lines keep working; they change nothing in cairn (a warning says so).
    LOGGER("logger", Kind.IGNORED),
    LOG_OUTPUTS("log-outputs", Kind.IGNORED),
    MAX_SNAPSHOTS("max-snapshots", Kind.IGNORED),
    MAX_WALS("max-wals", Kind.IGNORED),
    QUOTA_BACKEND_BYTES("quota-backend-bytes", Kind.IGNORED),
    AUTO_COMPACTION_RETENTION("auto-compaction-retention", Kind.IGNORED),
    AUTO_COMPACTION_MODE("auto-compaction-mode", Kind.IGNORED),
    ENABLE_PPROF("enable-pprof", Kind.IGNORED_BOOL),
    PRE_VOTE("pre-vote", Kind.IGNORED_BOOL),
    DEBUG("debug", Kind.IGNORED_BOOL);

    /** How the flag's text is interpreted (and whether it takes a value). */
    public enum Kind {
        TEXT, URLS, NUMBER, BOOL, IGNORED, IGNORED_BOOL;

        boolean isBoolean() {
            return this == BOOL || this == IGNORED_BOOL;
        }
    }

    private final String flagName;
    private final Kind kind;

    EtcdFlag(String flagName, Kind kind) {
        this.flagName = flagName;
        this.kind = kind;
    }

    public String flagName() {
        return flagName;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isBoolean() {
        return kind.isBoolean();
    }

    public boolean isIgnored() {
        return kind == Kind.IGNORED || kind == Kind.IGNORED_BOOL;
    }

    /** {@code --initial-cluster} becomes {@code ETCD_INITIAL_CLUSTER}. */
    public String envName() {
        return "ETCD_" + flagName.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
