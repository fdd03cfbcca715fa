package io.agentwire.server.console;

import io.agentwire.core.TokenBucket;
import io.agentwire.transport.HttpRequestData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the console: a login with the admin credential opens a session (an opaque id in an {@code HttpOnly;
 * SameSite=Strict} cookie) that carries its own CSRF token; every state-changing request must send that token in
 * {@code X-CSRF-Token}. Sessions expire after {@link ConsoleSettings#sessionTtl()} without use; at most
 * {@link #MAX_SESSIONS} live at once (the oldest is dropped). Failed logins are limited per remote address (a burst
 * of {@value #FAILURE_BURST}, then one every {@value #FAILURE_EVERY_SECONDS} s) and logged without the credential.
 * Thread-safe; nothing here blocks.
 */
final class ConsoleAuth {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAuth.class);
    static final String COOKIE = "aw_console";
    static final String CSRF_HEADER = "x-csrf-token";
    static final int MAX_SESSIONS = 1_000;
    static final int FAILURE_BURST = 5;
    static final int FAILURE_EVERY_SECONDS = 10;
    private static final int MAX_ADDRESSES = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login: who, its CSRF token, when it ends unless used. */
    record Session(String id, String principal, String csrf, long expiresAtMillis) { }

    /** What a login attempt gives: a session, or why not. */
    sealed interface Login permits Opened, Refused, Limited { }

    record Opened(Session session) implements Login { }

    record Refused() implements Login { }

    record Limited(long retryAfterMillis) implements Login { }

    private final ConsoleSettings settings;
    private final Function<String, Optional<String>> credentials;
    private final Clock clock;
    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, TokenBucket> failures = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param credentials the principal a credential (API key or admin JWT) stands for, or empty when it is not an
     *     admin credential
     */
    ConsoleAuth(ConsoleSettings settings, Function<String, Optional<String>> credentials, Clock clock) {
        this.settings = settings;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Checks {@code credential} from {@code remoteAddress}; never logs the credential. */
    Login login(String credential, String remoteAddress) {
        String address = host(remoteAddress);
        synchronized (failures) {
            TokenBucket bucket = failures.get(address);
            long wait = bucket == null ? 0 : bucket.retryAfterMillis();
            if (wait > 0) return new Limited(wait); // out of failures: not even checked
        }
        Optional<String> principal = credential == null || credential.isBlank() ? Optional.empty()
                : credentials.apply(credential.strip());
        if (principal.isEmpty()) {
            synchronized (failures) {
                failures.computeIfAbsent(address, a -> new TokenBucket(1.0 / FAILURE_EVERY_SECONDS, FAILURE_BURST))
                        .tryAcquire();
                if (failures.size() > MAX_ADDRESSES) failures.remove(failures.keySet().iterator().next());
            }
            log.warn("console: login refused from {}: not an admin credential", address);
            return new Refused();
        }
        Session s = new Session(token(), principal.get(), token(), expiry());
        synchronized (sessions) {
            sessions.put(s.id(), s);
            if (sessions.size() > MAX_SESSIONS) sessions.remove(sessions.keySet().iterator().next());
        }
        log.info("console: {} logged in from {}", s.principal(), address);
        return new Opened(s);
    }

    /** The live session of the request's cookie (renewed), or empty. */
    Optional<Session> session(Map<String, List<String>> headers) {
        Optional<String> id = cookie(headers.get("cookie"));
        if (id.isEmpty()) return Optional.empty();
        long now = clock.millis();
        synchronized (sessions) {
            Session s = sessions.get(id.get());
            if (s == null) return Optional.empty();
            if (s.expiresAtMillis() <= now) {
                sessions.remove(s.id());
                return Optional.empty();
            }
            Session renewed = new Session(s.id(), s.principal(), s.csrf(), expiry());
            sessions.put(s.id(), renewed);
            return Optional.of(renewed);
        }
    }

    /** The session of a state-changing request: its cookie's, and only if it sends the session's CSRF token. */
    Optional<Session> sessionWithCsrf(HttpRequestData request) {
        Optional<Session> s = session(request.headers());
        String sent = request.header(CSRF_HEADER).orElse("");
        return s.filter(x -> MessageDigest.isEqual(x.csrf().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8)));
    }

    void logout(Session s) {
        synchronized (sessions) {
            sessions.remove(s.id());
        }
    }

    /** The {@code Set-Cookie} value opening {@code s}. */
    String cookieFor(Session s) {
        return COOKIE + "=" + s.id() + "; Path=" + settings.path() + "; HttpOnly; SameSite=Strict; Max-Age="
                + settings.sessionTtl().toSeconds() + (settings.secureCookie() ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that ends the session in the browser. */
    String clearedCookie() {
        return COOKIE + "=; Path=" + settings.path() + "; HttpOnly; SameSite=Strict; Max-Age=0"
                + (settings.secureCookie() ? "; Secure" : "");
    }

    private long expiry() {
        return clock.millis() + settings.sessionTtl().toMillis();
    }

    static Optional<String> cookie(List<String> headers) {
        if (headers == null) return Optional.empty();
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) return Optional.of(p.substring(COOKIE.length() + 1)).filter(v -> !v.isEmpty());
            }
        }
        return Optional.empty();
    }

    /** The address without its port: failures are counted per host. */
    private static String host(String remoteAddress) {
        int colon = remoteAddress.lastIndexOf(':');
        return colon > 0 && remoteAddress.indexOf(']') < colon ? remoteAddress.substring(0, colon) : remoteAddress;
    }

    private static String token() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
