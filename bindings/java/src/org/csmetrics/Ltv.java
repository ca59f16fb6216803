package org.csmetrics;

/**
 * Lifetime value, CAC and unit economics (csmetrics/ltv.h, cac.h,
 * unit_economics.h).  The one-figure functions return the one-row table
 * "ltv" or "metric" (value and flags: NaN and CSM_FLAG_ZERO_DENOMINATOR for
 * a zero denominator).
 */
public final class Ltv {
    private Ltv() {}

    /** Options of LTV (csm_ltv_opts). */
    public static final class Options {
        final ltv_opts raw = new ltv_opts();

        /** What a zero churn rate means: csm_zero_churn_policy code. */
        public Options zeroChurn(int policy) { raw.setZero_churn(policy); return this; }

        /** The smallest churn rate used (the floor). */
        public Options churnFloor(double f) { raw.setChurn_floor(f); return this; }

        /** The largest lifetime in months (the cap). */
        public Options lifetimeCapMonths(double m) { raw.setLifetime_cap_months(m); return this; }

        /** From a ledger: the month of the figures (default: the last). */
        public Options month(java.time.YearMonth m) { raw.setMonth(Csm.monthIndex(m)); return this; }

        /** From a ledger: months of churn averaged. */
        public Options window(int months) { raw.setWindow(months); return this; }
    }

    /** LTV = ARPA x gross margin / monthly churn (one row of "ltv"). */
    public static ResultTable simple(double arpa, double grossMargin, double monthlyChurn,
                                     Options opts) {
        ltv_result r = new ltv_result();
        CsmNative.ltv_simple(r, arpa, grossMargin, monthlyChurn, opts == null ? null : opts.raw);
        return ResultTable.read(CsmNative.ltv_table(r, null, 1), null);
    }

    /** LTV from a ledger's ARPA and churn (one row of "ltv"). */
    public static ResultTable fromLedger(Ledger ledger, double grossMargin, Options opts) {
        ltv_result r = new ltv_result();
        ledger.use(h -> CsmNative.ltv_from_ledger(r, h, grossMargin, opts == null ? null : opts.raw));
        return ResultTable.read(CsmNative.ltv_table(r, null, 1), null);
    }

    private static ResultTable metric(metric m) {
        return ResultTable.read(CsmNative.metric_table(m, null, 1), null);
    }

    /** LTV of the seed formula: purchase value x rate x lifetime ("metric"). */
    public static ResultTable seed(double avgPurchaseValue, double purchaseRate, double avgLifetime) {
        metric m = new metric();
        CsmNative.ltv_seed(m, avgPurchaseValue, purchaseRate, avgLifetime);
        return metric(m);
    }

    /** LTV / CAC ("metric"). */
    public static ResultTable ltvCac(double ltv, double cac) {
        metric m = new metric();
        CsmNative.ltv_cac(m, ltv, cac);
        return metric(m);
    }

    /** CAC = spend / new customers ("metric"). */
    public static ResultTable cac(double spend, double newCustomers) {
        metric m = new metric();
        CsmNative.cac(m, spend, newCustomers);
        return metric(m);
    }

    /** CAC payback in months = CAC / (new ARPA x gross margin) ("metric"). */
    public static ResultTable cacPayback(double cac, double newArpa, double grossMargin) {
        metric m = new metric();
        CsmNative.cac_payback(m, cac, newArpa, grossMargin);
        return metric(m);
    }

    /** Options of unit economics (csm_unit_economics_opts). */
    public static final class UnitEconomicsOptions {
        final unit_economics_opts raw = new unit_economics_opts();
        Options ltv;

        /** The month (default: the ledger's last). */
        public UnitEconomicsOptions month(java.time.YearMonth m) { raw.setMonth(Csm.monthIndex(m)); return this; }

        /** Months averaged. */
        public UnitEconomicsOptions window(int months) { raw.setWindow(months); return this; }

        /** The LTV options used. */
        public UnitEconomicsOptions ltv(Options o) { ltv = o; return this; }
    }

    /** Unit economics of a ledger with acquisition spend by month
     * (table "unit_economics"); spendMonth and spend may be null. */
    public static ResultTable unitEconomics(Ledger ledger, double grossMargin, int[] spendMonth,
                                            double[] spend, UnitEconomicsOptions opts) {
        int n = spendMonth == null ? 0 : spendMonth.length;
        Native.sameLength(n, new String[] {"spend"}, (Object) spend);
        return ledger.compute(h -> CsmNative.unit_economics_from_ledger(h, grossMargin, spendMonth,
            spend, n, opts == null ? null : opts.raw,
            opts == null || opts.ltv == null ? null : opts.ltv.raw));
    }
}
