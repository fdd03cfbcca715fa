/**
 * The dialect SPI: a protocol AgentWire speaks is a {@link io.agentwire.dialect.spi.DialectProvider} found with
 * {@link java.util.ServiceLoader}, configured from its own section and {@code reference.conf} fragment
 * ({@link io.agentwire.dialect.spi.Settings}), created from a {@link io.agentwire.dialect.spi.DialectContext}, and
 * declaring its {@link io.agentwire.dialect.spi.Listener listeners}, HTTP API, metrics, readiness checks, banner
 * lines and web console view ({@link io.agentwire.dialect.spi.ConsoleView}) through
 * {@link io.agentwire.dialect.spi.Dialect}. docs/architecture.md, "Adding a dialect", walks through it.
 */
package io.agentwire.dialect.spi;
