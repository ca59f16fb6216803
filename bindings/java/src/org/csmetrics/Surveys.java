package org.csmetrics;

/**
 * Survey scores (csmetrics/nps.h, csat.h, ces.h): NPS, CSAT and CES, each
 * returned as its one-row table ("nps", "csat", "ces"); NPS by group as one
 * row per group.  Scores are ints on the survey's scale (0..10 for NPS).
 */
public final class Surveys {
    private Surveys() {}

    /** Options of NPS (csm_nps_opts). */
    public static final class NpsOptions {
        final nps_opts raw = new nps_opts();

        /** Confidence level of the interval (default 0.95). */
        public NpsOptions confidence(double c) { raw.setConfidence(c); return this; }
    }

    /** Options of CSAT (csm_csat_opts). */
    public static final class CsatOptions {
        final csat_opts raw = new csat_opts();

        /** The scale (default 1..5). */
        public CsatOptions scale(int min, int max) { raw.setScale_min(min); raw.setScale_max(max); return this; }

        /** The smallest satisfied score (default 4). */
        public CsatOptions topBoxMin(int s) { raw.setTop_box_min(s); return this; }

        /** Confidence level of the interval. */
        public CsatOptions confidence(double c) { raw.setConfidence(c); return this; }
    }

    /** Options of CES (csm_ces_opts). */
    public static final class CesOptions {
        final ces_opts raw = new ces_opts();

        /** The scale (default 1..7). */
        public CesOptions scale(int min, int max) { raw.setScale_min(min); raw.setScale_max(max); return this; }

        /** Confidence level of the interval. */
        public CesOptions confidence(double c) { raw.setConfidence(c); return this; }
    }

    /** NPS of scores (one row); weights null = unweighted. */
    public static ResultTable nps(int[] scores, double[] weights, NpsOptions opts) {
        Native.required("scores", scores);
        Native.sameLength(scores.length, new String[] {"weights"}, (Object) weights);
        nps_result r = new nps_result();
        nps_opts o = opts == null ? null : opts.raw;
        if (weights == null)
            CsmNative.nps(r, Native.bytes(scores, "scores"), scores.length, o);
        else
            CsmNative.nps_weighted(r, Native.bytes(scores, "scores"), weights, scores.length, o);
        return ResultTable.read(CsmNative.nps_table(r, null, 1), null);
    }

    /** NPS from counts of promoters, passives and detractors (one row). */
    public static ResultTable npsCounts(double promoters, double passives, double detractors,
                                        NpsOptions opts) {
        nps_result r = new nps_result();
        CsmNative.nps_counts(r, promoters, passives, detractors, opts == null ? null : opts.raw);
        return ResultTable.read(CsmNative.nps_table(r, null, 1), null);
    }

    /** NPS per group code (one row per group); weights may be null. */
    public static ResultTable npsByGroup(int[] scores, double[] weights, int[] group,
                                         NpsOptions opts) {
        Native.required("scores", scores);
        Native.required("group", group);
        Native.sameLength(scores.length, new String[] {"weights", "group"}, weights, group);
        return ResultTable.read(CsmNative.nps_by_group(Native.bytes(scores, "scores"), weights,
            group, scores.length, opts == null ? null : opts.raw), null);
    }

    /** The change of NPS between two sets of scores, with its test (one
     * row of "nps_diff"). */
    public static ResultTable npsCompare(int[] before, int[] after, NpsOptions opts) {
        Native.required("before", before);
        Native.required("after", after);
        nps_opts o = opts == null ? null : opts.raw;
        nps_result b = new nps_result(), a = new nps_result();
        CsmNative.nps(b, Native.bytes(before, "before"), before.length, o);
        CsmNative.nps(a, Native.bytes(after, "after"), after.length, o);
        nps_diff d = new nps_diff();
        CsmNative.nps_compare(d, b, a, o);
        return ResultTable.read(CsmNative.nps_diff_table(d, null, 1), null);
    }

    /** CSAT of scores (one row). */
    public static ResultTable csat(int[] scores, CsatOptions opts) {
        Native.required("scores", scores);
        csat_result r = new csat_result();
        CsmNative.csat(r, Native.bytes(scores, "scores"), scores.length, opts == null ? null : opts.raw);
        return ResultTable.read(CsmNative.csat_table(r, null, 1), null);
    }

    /** CES of scores (one row). */
    public static ResultTable ces(int[] scores, CesOptions opts) {
        Native.required("scores", scores);
        ces_result r = new ces_result();
        CsmNative.ces(r, Native.bytes(scores, "scores"), scores.length, opts == null ? null : opts.raw);
        return ResultTable.read(CsmNative.ces_table(r, null, 1), null);
    }
}
