package org.csmetrics;

/**
 * Survival (csmetrics/km.h, sbg.h): Kaplan-Meier curves and the
 * shifted-beta-geometric (sBG) model.  Lifetimes from a ledger:
 * {@link Ledger#lifetimes}.
 */
public final class Survival {
    private Survival() {}

    /** Options of Kaplan-Meier (csm_km_opts). */
    public static final class KmOptions {
        final km_opts raw = new km_opts();
        double[] atTimes;

        /** Confidence level of the band and the median's interval (default 0.95). */
        public KmOptions level(double l) { raw.setLevel(l); return this; }

        /** Horizon of the restricted mean lifetime (0 = the largest time). */
        public KmOptions horizon(double h) { raw.setHorizon(h); return this; }

        /** With groups: also the overall curve (group {@link Csm#CODE_ALL}). */
        public KmOptions includeOverall(boolean on) { raw.setInclude_overall(on ? 1 : 0); return this; }

        /** Times to read every curve off (table "km_at"). */
        public KmOptions atTimes(double... t) { atTimes = t.clone(); return this; }
    }

    /**
     * Kaplan-Meier curves (tables "km", "km_groups", "km_at"): duration and
     * event (true = the event, false = censored) of one length; weight
     * (null = 1 each) and group (null = one curve) optional.
     */
    public static ResultTable kaplanMeier(double[] duration, boolean[] event, double[] weight,
                                          int[] group, KmOptions opts) {
        Native.required("duration", duration);
        Native.required("event", event);
        Native.sameLength(duration.length, new String[] {"event", "weight", "group"},
            event, weight, group);
        double[] at = opts == null ? null : opts.atTimes;
        return ResultTable.read(CsmNative.km_compute(duration, Native.bytes(event), weight, group,
            duration.length, opts == null ? null : opts.raw, at, at == null ? 0 : at.length), null);
    }

    /** Options of the sBG fit (csm_sbg_opts). */
    public static final class SbgOptions {
        final sbg_opts raw = new sbg_opts();

        /** Newton iterations (default 200). */
        public SbgOptions maxIter(int n) { raw.setMax_iter(n); return this; }

        /** Convergence tolerance (default 1e-10). */
        public SbgOptions tol(double t) { raw.setTol(t); return this; }

        /** Starting values of alpha and beta (default 1, 1). */
        public SbgOptions start(double alpha, double beta) {
            raw.setAlpha0(alpha);
            raw.setBeta0(beta);
            return this;
        }
    }

    /** One sBG fit, kept as the C value struct for the LTV helpers and as
     * its one-row table "sbg". */
    public static final class SbgFit {
        final sbg raw;
        private final ResultTable table;

        SbgFit(sbg raw) {
            this.raw = raw;
            this.table = ResultTable.read(CsmNative.sbg_table(raw, 1), null);
        }

        /** The fit as the one-row table "sbg" (alpha, beta, loglik, ...). */
        public ResultTable table() { return table; }

        /** alpha of the fit. */
        public double alpha() { return raw.getAlpha(); }

        /** beta of the fit. */
        public double beta() { return raw.getBeta(); }

        /** Discounted expected residual lifetime value of a new customer
         * (csm_sbg_fit_ltv_new). */
        public double ltvNew(double margin, double discount) {
            double[] out = new double[1];
            CsmNative.sbg_fit_ltv_new(out, raw, margin, discount);
            return out[0];
        }

        /** The same for a customer who has renewed nRenewals times. */
        public double ltvExisting(double margin, double discount, int nRenewals) {
            double[] out = new double[1];
            CsmNative.sbg_fit_ltv_existing(out, raw, margin, discount, nRenewals);
            return out[0];
        }

        /** The model's table over the fit (csm_sbg_model). */
        public ResultTable model(double margin, double discount) {
            return ResultTable.read(CsmNative.sbg_model(raw, 1, margin, discount), null);
        }
    }

    /**
     * Fit the sBG model to survivor counts: alive[i] customers alive at
     * period i of their cohort; cohort (null = one cohort) labels the rows
     * (ascending, each cohort's rows contiguous).
     */
    public static SbgFit sbgFit(double[] alive, int[] cohort, SbgOptions opts) {
        Native.required("alive", alive);
        Native.sameLength(alive.length, new String[] {"cohort"}, (Object) cohort);
        sbg out = new sbg();
        CsmNative.sbg_fit(out, alive, cohort, alive.length, opts == null ? null : opts.raw);
        return new SbgFit(out);
    }

    /** The survival curve of an sBG model (table "sbg_projection"). */
    public static ResultTable sbgProject(int periods, double alpha, double beta, double cohortSize) {
        return ResultTable.read(CsmNative.sbg_project(periods, alpha, beta, cohortSize), null);
    }

    /** S(t) of the sBG model. */
    public static double sbgSurvival(double alpha, double beta, int t) {
        double[] out = new double[1];
        CsmNative.sbg_survival(out, alpha, beta, t);
        return out[0];
    }

    /** Survivor counts by cohort and period from lifetimes (table
     * "sbg_survivors"): firstMonth (month index), duration (months),
     * weight optional. */
    public static ResultTable sbgSurvivors(int[] firstMonth, double[] duration, double[] weight) {
        Native.required("first_month", firstMonth);
        Native.required("duration", duration);
        Native.sameLength(firstMonth.length, new String[] {"duration", "weight"}, duration, weight);
        return ResultTable.read(CsmNative.sbg_survivors_from_lifetimes(firstMonth, duration, weight,
            firstMonth.length, null), null);
    }
}
