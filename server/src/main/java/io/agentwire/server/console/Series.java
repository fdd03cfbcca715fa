package io.agentwire.server.console;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The overview's charts: the last {@value #POINTS} one-second samples of a few figures (deliveries/s, errors/s,
 * connections, runs in progress), in fixed rings. Rates come from counter totals: the difference to the last sample.
 * Used by the console's one sampling thread.
 */
final class Series {
    static final int POINTS = 300;
    static final String[] NAMES = {"deliveries", "errors", "connections", "running"};

    private final long[] times = new long[POINTS];
    private final double[][] values = new double[NAMES.length][POINTS];
    private int next;
    private int size;
    private double lastDeliveries = Double.NaN;
    private double lastErrors = Double.NaN;

    /** Adds a sample: counter totals (turned into per-second rates) and two gauges. */
    synchronized void sample(long epochSecond, double deliveriesTotal, double errorsTotal, double connections, double running) {
        times[next] = epochSecond;
        values[0][next] = Double.isNaN(lastDeliveries) ? 0 : Math.max(0, deliveriesTotal - lastDeliveries);
        values[1][next] = Double.isNaN(lastErrors) ? 0 : Math.max(0, errorsTotal - lastErrors);
        values[2][next] = connections;
        values[3][next] = running;
        lastDeliveries = deliveriesTotal;
        lastErrors = errorsTotal;
        next = (next + 1) % POINTS;
        size = Math.min(POINTS, size + 1);
    }

    /** {@code {t: [...], deliveries: [...], ...}}, oldest first (uPlot's data layout). */
    synchronized Map<String, Object> columns() {
        Map<String, Object> out = new LinkedHashMap<>();
        long[] t = new long[size];
        double[][] v = new double[NAMES.length][size];
        int start = (next - size + POINTS) % POINTS;
        for (int i = 0; i < size; i++) {
            int j = (start + i) % POINTS;
            t[i] = times[j];
            for (int k = 0; k < NAMES.length; k++) v[k][i] = values[k][j];
        }
        out.put("t", t);
        for (int k = 0; k < NAMES.length; k++) out.put(NAMES[k], v[k]);
        return out;
    }

    /** The latest value of {@code NAMES[k]}, 0 before any sample. */
    synchronized double latest(int k) {
        return size == 0 ? 0 : values[k][(next - 1 + POINTS) % POINTS];
    }
}
