package io.agentwire.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script (a resource next to this class) run by its SHA-1 ({@code EVALSHA}), sent in full once when Redis
 * does not know it (first use, or after Redis restarted).
 */
final class Script {
    static final Script PUBLISH = load("publish.lua");
    static final Script READ = load("read.lua");
    static final Script SESSION = load("session.lua");
    static final Script PURGE = load("purge.lua");
    static final Script PRESENCE = load("presence.lua");
    static final Script KEEPALIVE = load("keepalive.lua");
    static final Script REAP = load("reap.lua");
    static final Script TOOL_PUT = load("tool_put.lua");
    static final Script TOOL_EXEC = load("tool_exec.lua");
    static final Script UNLOCK = load("unlock.lua");

    private final String name;
    private final String text;
    private final String sha;

    private Script(String name, String text) {
        this.name = name;
        this.text = text;
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            this.sha = HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the script; the reply is Redis' array reply as a list. */
    CompletableFuture<List<Object>> run(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        CompletableFuture<List<Object>> out = new CompletableFuture<>();
        redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else if (e instanceof RedisNoScriptException || String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                redis.<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args).whenComplete((r2, e2) -> {
                    if (e2 == null) out.complete(r2); else out.completeExceptionally(e2);
                });
            } else {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return name;
    }

    private static Script load(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing script " + name);
            return new Script(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
