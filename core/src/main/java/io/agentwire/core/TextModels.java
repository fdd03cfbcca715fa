package io.agentwire.core;

import java.util.Optional;
import java.util.Set;

/**
 * The named models configured besides the default one ({@code agentwire.models}), for dialects that let a client
 * pick a model by name (e.g. the mesh dialect's control loops: a model per phase). The server provides it through
 * {@code DialectContext.service(TextModels.class)} when at least one named model is configured.
 */
public interface TextModels {

    /** The names that can be asked for. */
    Set<String> names();

    /** The model of that name; empty when there is none. */
    Optional<TextModel> named(String name);
}
