package io.cairn.raft.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A single-member configuration change. Only one may be pending at a time; a voter is added or
 * removed one at a time, so any two consecutive configurations share a majority.
 *
 * @param type what to do
 * @param nodeId the member concerned (non-zero)
 * @param context opaque bytes for the embedder (for example the member's peer address); the
 *     library replicates them with the change and never interprets them
 */
public record ConfigChange(Type type, long nodeId, byte[] context) {
    /** Kinds of change. Promoting a learner is {@link #ADD_VOTER} on a learner. */
    public enum Type { ADD_VOTER, ADD_LEARNER, REMOVE_NODE }

    private static final byte FORMAT_VERSION = 1;

    public ConfigChange {
        Objects.requireNonNull(type, "type");
        if (nodeId == 0) {
            throw new IllegalArgumentException("node id 0 is reserved");
        }
        context = context == null ? new byte[0] : context;
    }

    /** Serialises the change as the payload of a {@link EntryType#CONFIG_CHANGE} entry. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + context.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeByte(type.ordinal());
            out.writeLong(nodeId);
            out.writeInt(context.length);
            out.write(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Parses the payload of a {@link EntryType#CONFIG_CHANGE} entry. */
    public static ConfigChange decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown config change format " + version);
            }
            Type type = Type.values()[in.readByte()];
            long id = in.readLong();
            byte[] ctx = new byte[in.readInt()];
            in.readFully(ctx);
            return new ConfigChange(type, id, ctx);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt config change", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigChange c && c.type == type && c.nodeId == nodeId && Arrays.equals(c.context, context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, nodeId) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return type + " " + Long.toHexString(nodeId);
    }
}
