package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A {@code /metrics} scrape of a running server, and the values of its series. */
record Scrape(String text) {

    /** {@code GET /metrics} on the main port {@code port}. */
    static Scrape of(int port) throws Exception {
        return new Scrape(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The value of one series (exact name and labels, as Prometheus writes them: labels in name order). */
    double value(String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in the scrape:\n" + text.lines()
                        .filter(l -> l.startsWith("agentwire_")).reduce("", (a, b) -> a + b + "\n")));
    }

    /** The value of {@code name{dialect="…"}} of the per-dialect wire series. */
    double wire(String name, String dialect) {
        return value(name + "{dialect=\"" + dialect + "\"}");
    }

    /** {@code agentwire_errors_total} of {@code dialect} and {@code code}. */
    double errors(String dialect, String code) {
        return value("agentwire_errors_total{code=\"" + code + "\",dialect=\"" + dialect + "\"}");
    }

    /** {@code agentwire_acks_total} of {@code dialect} in {@code direction} ({@code in} or {@code out}). */
    double acks(String dialect, String direction) {
        return value("agentwire_acks_total{dialect=\"" + dialect + "\",direction=\"" + direction + "\"}");
    }

    /** Messages in and out, deliveries and delivery latencies of {@code dialect}: all above zero. */
    void assertTraffic(String dialect) {
        for (String series : new String[] {"agentwire_messages_in_total", "agentwire_messages_out_total",
                "agentwire_deliveries_total", "agentwire_delivery_latency_seconds_count",
                "agentwire_delivery_latency_seconds_bucket"}) {
            if (series.endsWith("_bucket")) {
                assertThat(text).as(dialect + "'s latency histogram").containsPattern(
                        "agentwire_delivery_latency_seconds_bucket\\{dialect=\"" + dialect + "\",le=\"[0-9.]+\"} [1-9]");
            } else {
                assertThat(wire(series, dialect)).as(series + " of " + dialect).isPositive();
            }
        }
    }
}
