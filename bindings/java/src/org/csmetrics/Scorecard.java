package org.csmetrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A health scorecard (csmetrics/health.h) read from its JSON specification
 * (docs/health-scores.md).  AutoCloseable like {@link Ledger}: closing twice
 * is fine, using a closed scorecard throws IllegalStateException, and any
 * number of threads may score with one scorecard at once.
 */
public final class Scorecard implements AutoCloseable {
    private final Native handle;

    private Scorecard(long h) {
        handle = new Native(this, "scorecard", h, CsmNative::health_scorecard_free);
    }

    /** Parse a scorecard (EPARSE for malformed JSON, EINVAL for a bad spec,
     * with the JSON path in the message). */
    public static Scorecard fromJson(String json) {
        Native.required("json", json);
        return new Scorecard(CsmNative.health_scorecard_from_json(
            json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The scorecard as canonical JSON. */
    public String toJson() {
        return Native.utf8(handle.use(CsmNative::health_scorecard_to_json));
    }

    /** The input names, in the order of a values row. */
    public List<String> inputs() {
        return names(CsmNative::health_scorecard_input_count, CsmNative::health_scorecard_input_name);
    }

    /** The band names, in scorecard order (band index i). */
    public List<String> bands() {
        return names(CsmNative::health_scorecard_band_count, CsmNative::health_scorecard_band_name);
    }

    private List<String> names(java.util.function.LongUnaryOperator count,
                               java.util.function.BiFunction<Long, Long, byte[]> name) {
        return handle.use(h -> {
            List<String> out = new ArrayList<>();
            long n = count.applyAsLong(h);
            for (long i = 0; i < n; i++)
                out.add(Native.utf8(name.apply(h, i)));
            return out;
        });
    }

    /**
     * Score accounts: values[i] is account i's row of inputs (in
     * {@link #inputs()} order, NaN = missing).  prevScore (NaN = unknown)
     * and prevBand (-1 = unknown) are optional, for the trend columns.
     */
    public Health score(double[][] values, double[] prevScore, int[] prevBand) {
        Native.required("values", values);
        return handle.use(h -> {
            int k = Math.toIntExact(CsmNative.health_scorecard_input_count(h));
            int n = values.length;
            double[] flat = new double[n * k];
            for (int i = 0; i < n; i++) {
                if (values[i] == null || values[i].length != k)
                    throw CsmException.invalid("values",
                        "row " + i + " must have one value per input (" + k + ")");
                System.arraycopy(values[i], 0, flat, i * k, k);
            }
            Native.sameLength(n, new String[] {"prev_score", "prev_band"}, prevScore, prevBand);
            return new Health(this, CsmNative.health_score(h, flat, n, prevScore, prevBand), n);
        });
    }

    <T> T use(Native.Call<T> call) {
        return handle.use(call);
    }

    @Override
    public void close() {
        handle.close();
    }
}
