package io.agentwire.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers: unguessable (SecureRandom), hex, with a readable prefix where the caller gives one. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() { }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A prefixed id such as {@code sess_3f2a…} with 128 random bits. */
    public static String prefixed(String prefix) {
        return prefix + "_" + random(16);
    }
}
