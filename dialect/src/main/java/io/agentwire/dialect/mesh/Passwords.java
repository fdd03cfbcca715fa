package io.agentwire.dialect.mesh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes (PBKDF2-HMAC-SHA256 from the JDK, 16-byte random salt, 210 000 iterations as OWASP recommends:
 * {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}), secret digests for agent keys (random 32-byte secrets:
 * SHA-256 suffices) and constant-time comparisons. Nothing here logs its input.
 */
public final class Passwords {
    static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() { }

    /** A new hash of {@code password}: CPU-heavy (~0.1 s), never on an event loop. */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches {@code hash} (constant time); false for a malformed hash. */
    public static boolean verify(String password, String hash) {
        String[] p = hash == null ? new String[0] : hash.split("\\$");
        if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) return false;
        try {
            byte[] expected = Base64.getDecoder().decode(p[3]);
            byte[] got = derive(password, Base64.getDecoder().decode(p[2]), Integer.parseInt(p[1]));
            return MessageDigest.isEqual(expected, got);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The hex SHA-256 of a high-entropy secret (agent keys' secretKey). */
    static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time equality of two strings (their UTF-8 bytes). */
    static boolean same(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} random bytes. */
    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
        }
    }
}
