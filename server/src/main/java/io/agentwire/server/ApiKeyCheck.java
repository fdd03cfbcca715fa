package io.agentwire.server;

import io.agentwire.core.ErrorCode;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The HTTP API's key check ({@code agentwire.auth.api-key}): the key comes as {@code X-API-Key: KEY} or
 * {@code Authorization: Bearer KEY} and is compared in constant time. Without a configured key every request is
 * refused. Refusals are 401 in the transport's error shape: {@code AUTH_MISSING} (no key sent) or
 * {@code AUTH_FAILED} (a wrong key, or none configured). The key is never logged or echoed.
 */
final class ApiKeyCheck implements io.agentwire.dialect.spi.ApiKeyGuard {
    private final byte[] keyDigest;

    ApiKeyCheck(Optional<String> apiKey) {
        this.keyDigest = apiKey.map(ApiKeyCheck::digest).orElse(null);
    }

    /** {@code null} when the request carries the key; otherwise the 401 to answer with. */
    @Override
    public HttpReply check(HttpRequestData request) {
        Optional<String> given = request.header("x-api-key").map(String::trim).filter(k -> !k.isEmpty())
                .or(() -> request.header("authorization")
                        .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                        .map(a -> a.substring(7).trim()).filter(k -> !k.isEmpty()));
        if (given.isEmpty()) {
            return refuse(ErrorCode.AUTH_MISSING, "send the API key as 'X-API-Key: KEY' or 'Authorization: Bearer KEY'");
        }
        if (keyDigest == null) {
            return refuse(ErrorCode.AUTH_FAILED, "the HTTP API is disabled: no API key is configured (agentwire.auth.api-key)");
        }
        if (!MessageDigest.isEqual(keyDigest, digest(given.get()))) {
            return refuse(ErrorCode.AUTH_FAILED, "the API key is not valid");
        }
        return null;
    }

    /** Whether {@code given} is the configured key (constant time); false when none is configured. */
    boolean matches(String given) {
        return keyDigest != null && given != null && MessageDigest.isEqual(keyDigest, digest(given));
    }

    private static HttpReply refuse(ErrorCode code, String message) {
        return HttpReply.error(401, code.name(), message).withHeader("www-authenticate", "Bearer realm=\"agentwire\"");
    }

    /** Keys are compared as SHA-256 digests: equal lengths, so the comparison time says nothing about the key. */
    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
