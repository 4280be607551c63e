package io.cairn.server;

/**
 * The server's Netty settings, for both copies of Netty it runs (the HTTP API's and the one
 * shaded into gRPC for the peer transport). Applied in {@code main}, before either allocator or
 * leak detector is initialised; a {@code -D} option given on the command line wins.
 */
final class NettyDefaults {
    private static final String[] PREFIXES = {"io.netty.", "io.grpc.netty.shaded.io.netty."};
    /** Pool chunks of 8 KiB pages << 7 = 1 MiB instead of 4 MiB. */
    static final String MAX_ORDER = "7";

    private NettyDefaults() {}

    static void apply() {
        sizePoolChunksUnlessAsked();
        disableLeakSamplingUnlessAsked();
    }

    /**
     * Each event loop thread draws its direct buffers from its own arena, and an arena grows in
     * whole chunks: with Netty's 4 MiB chunks, the two copies held about 18 MB of direct memory per
     * member for messages of a few KiB. 1 MiB chunks hold about 8 MB; larger buffers are still
     * served, outside the pool.
     */
    static void sizePoolChunksUnlessAsked() {
        for (String prefix : PREFIXES) {
            String key = prefix + "allocator.maxOrder";
            if (System.getProperty(key) == null) {
                System.setProperty(key, MAX_ORDER);
            }
        }
    }

    /**
     * Netty tracks 1 in 128 buffers for leaks by default, recording a stack trace at every touch:
     * about 3% of a busy HTTP event loop. Only the server turns it off (tests keep it), and
     * {@code -Dio.netty.leakDetection.level} turns it back on.
     */
    private static void disableLeakSamplingUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
            io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(
                    io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }
}
