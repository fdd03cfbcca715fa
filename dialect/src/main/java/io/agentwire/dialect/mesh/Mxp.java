package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * MXP (Model Exchange Protocol) content: recognised by {@code version} "1.0" (spec 003's example) or "2.0" (the real
 * SDK) with a {@code type} and a {@code payload}. Encrypted payloads are the real {@code EncryptedPayload}
 * {@code {algorithm:'aes-256-gcm', data, iv, authTag}} (base64; 16-byte IV, 16-byte tag) over the JSON of the
 * plain payload, with the real key derivation: PBKDF2-SHA256(secret, salt, 100 000 iterations, 32 bytes).
 * Without a secret the content passes through unchanged.
 */
final class Mxp {
    static final int KEY_ITERATIONS = 100_000;
    private final SecretKey key; // null: encryption off

    /** A bad tag or a malformed encrypted payload. */
    static final class MxpException extends Exception {
        MxpException(String message) {
            super(message);
        }
    }

    Mxp(Optional<String> secret, String salt) {
        this.key = secret.map(s -> derive(s, salt)).orElse(null);
    }

    boolean enabled() {
        return key != null;
    }

    /** Whether {@code content} is an MXP message. */
    static boolean isMxp(JsonNode content) {
        if (content == null || !content.isObject()) return false;
        String v = Json.text(content, "version");
        return ("1.0".equals(v) || "2.0".equals(v)) && content.has("payload") && content.hasNonNull("type");
    }

    static boolean isEncryptedPayload(JsonNode payload) {
        return payload != null && payload.isObject() && payload.has("data") && payload.has("iv") && payload.has("authTag");
    }

    /**
     * The plain form of an MXP message (payload decrypted, {@code encrypted} kept as the sender said). Throws for a
     * bad tag or a payload that is not a JSON object once decrypted. Without a key: the content as is.
     */
    ObjectNode open(ObjectNode content) throws MxpException {
        if (key == null || !isEncryptedPayload(content.get("payload"))) return content;
        JsonNode p = content.get("payload");
        try {
            byte[] iv = Base64.getDecoder().decode(p.path("iv").asText());
            byte[] data = Base64.getDecoder().decode(p.path("data").asText());
            byte[] tag = Base64.getDecoder().decode(p.path("authTag").asText());
            if (tag.length != 16 || iv.length < 12) throw new MxpException("MXP payload: bad iv or authTag length");
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] both = Arrays.copyOf(data, data.length + tag.length);
            System.arraycopy(tag, 0, both, data.length, tag.length);
            JsonNode plain = Json.MAPPER.readTree(new String(c.doFinal(both), StandardCharsets.UTF_8));
            if (plain == null || !plain.isObject()) throw new MxpException("MXP payload: not a JSON object once decrypted");
            ObjectNode out = content.deepCopy();
            out.set("payload", plain);
            return out;
        } catch (IllegalArgumentException e) {
            throw new MxpException("MXP payload: not base64");
        } catch (javax.crypto.AEADBadTagException e) {
            throw new MxpException("MXP payload: authentication tag does not match (tampered or wrong key)");
        } catch (GeneralSecurityException | IOException e) {
            throw new MxpException("MXP payload: can not be decrypted");
        }
    }

    /** The message with its plain payload encrypted under a fresh IV, when encryption is on and it asks for it. */
    ObjectNode seal(ObjectNode plain) {
        if (key == null || !plain.path("encrypted").asBoolean(false) || isEncryptedPayload(plain.get("payload"))) {
            return plain;
        }
        try {
            byte[] iv = Passwords.random(16);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] both = c.doFinal(Json.MAPPER.writeValueAsBytes(plain.get("payload")));
            ObjectNode enc = Json.obj().put("algorithm", "aes-256-gcm")
                    .put("data", Passwords.b64(Arrays.copyOf(both, both.length - 16)))
                    .put("iv", Passwords.b64(iv))
                    .put("authTag", Passwords.b64(Arrays.copyOfRange(both, both.length - 16, both.length)));
            ObjectNode out = plain.deepCopy();
            out.set("payload", enc);
            return out;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("MXP encryption failed", e);
        }
    }

    private static SecretKey derive(String secret, String salt) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), KEY_ITERATIONS, 256);
        try {
            byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(k, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
        }
    }
}
