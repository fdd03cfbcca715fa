package io.agentwire.dialect.spi;

import java.util.Objects;

/**
 * One line of the startup banner: a short label and where or what ({@code rooms   http://0.0.0.0:8000/ws …}).
 *
 * @param dev true for a line shown only in dev mode, in the block with the generated credentials
 */
public record BannerLine(String label, String value, boolean dev) {
    public BannerLine {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(value, "value");
    }

    public static BannerLine of(String label, String value) {
        return new BannerLine(label, value, false);
    }

    public static BannerLine dev(String label, String value) {
        return new BannerLine(label, value, true);
    }
}
