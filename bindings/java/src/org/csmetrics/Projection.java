package org.csmetrics;

import java.time.YearMonth;

/** MRR projection (csmetrics/projection.h): scenarios of churn, expansion
 * and new MRR, their inputs from a ledger, the steady state. */
public final class Projection {
    private Projection() {}

    /**
     * Project MRR for months months from startMrr under n scenarios
     * (table "projection"): churn required, expansion and newMrr optional
     * (null = 0), one element per scenario.
     */
    public static ResultTable mrr(int months, double startMrr, double[] churn, double[] expansion,
                                  double[] newMrr) {
        Native.required("churn", churn);
        Native.sameLength(churn.length, new String[] {"expansion", "new_mrr"}, expansion, newMrr);
        return ResultTable.read(CsmNative.projection_mrr_table(months, startMrr, churn, expansion,
            newMrr, churn.length), null);
    }

    /** The closed form of the projection at time t. */
    public static double closed(double startMrr, double churn, double expansion, double newMrr,
                                double t) {
        return CsmNative.projection_mrr_closed(startMrr, churn, expansion, newMrr, t);
    }

    /** The steady-state MRR new / (churn - expansion) (one row of "metric"). */
    public static ResultTable steadyState(double churn, double expansion, double newMrr) {
        metric m = new metric();
        CsmNative.projection_steady_state(m, churn, expansion, newMrr);
        return ResultTable.read(CsmNative.metric_table(m, null, 1), null);
    }

    /** Churn, expansion and new MRR rates of a ledger (table
     * "projection_inputs"); month null = the last, window months averaged
     * (0 = the default). */
    public static ResultTable inputs(Ledger ledger, YearMonth month, int window) {
        projection_inputs_opts o = new projection_inputs_opts();
        if (month != null)
            o.setMonth(Csm.monthIndex(month));
        if (window > 0)
            o.setWindow(window);
        return ledger.compute(h -> CsmNative.projection_inputs_from_ledger(h, o));
    }
}
