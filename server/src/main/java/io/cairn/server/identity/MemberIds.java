package io.cairn.server.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Member and cluster ids derived exactly as etcd derives them, so a cairn cluster bootstrapped
 * from the same {@code --initial-cluster} and token has the ids etcd would have given it.
 */
public final class MemberIds {
    private MemberIds() {}

    /**
     * Bootstrap member id: the first 8 bytes (big-endian) of SHA-1 over the member's peer URLs
     * sorted and concatenated as written, followed by the cluster token.
     */
    public static long bootstrapMemberId(Collection<String> peerUrls, String clusterToken) {
        return firstEightBytes(sortedConcatenation(peerUrls) + clusterToken);
    }

    /**
     * Id of a member added at run time ({@code POST /v2/members}): the sorted, concatenated peer
     * URLs followed by the current Unix time in seconds; no token.
     */
    public static long runtimeMemberId(Collection<String> peerUrls, long unixSeconds) {
        return firstEightBytes(sortedConcatenation(peerUrls) + unixSeconds);
    }

    /** Cluster id: SHA-1 over every member id as 8 big-endian bytes, ids sorted as unsigned numbers. */
    public static long clusterId(Collection<Long> memberIds) {
        long[] sorted = memberIds.stream().mapToLong(Long::longValue).toArray();
        Long[] boxed = Arrays.stream(sorted).boxed().toArray(Long[]::new);
        Arrays.sort(boxed, Long::compareUnsigned);
        ByteBuffer bytes = ByteBuffer.allocate(8 * boxed.length);
        for (Long id : boxed) {
            bytes.putLong(id);
        }
        return ByteBuffer.wrap(sha1(bytes.array())).getLong();
    }

    /** etcd's id text: lower-case hex without leading zeros. */
    public static String toHex(long id) {
        return Long.toHexString(id);
    }

    /** Parses an id printed by {@link #toHex}; throws NumberFormatException on anything else. */
    public static long parseHex(String text) {
        return Long.parseUnsignedLong(text, 16);
    }

    private static String sortedConcatenation(Collection<String> peerUrls) {
        List<String> sorted = peerUrls.stream().sorted().toList();
        return String.join("", sorted);
    }

    private static long firstEightBytes(String text) {
        return ByteBuffer.wrap(sha1(text.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
    }
}
