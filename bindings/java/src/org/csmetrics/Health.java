package org.csmetrics;

/**
 * Health scores of accounts (csm_health_score): the tables "health",
 * "health_measures" and "health_groups" ({@link #table()}), and the C
 * result kept for the band distribution and the accounts at risk.
 * AutoCloseable: close() frees the C result (twice is fine; use after
 * close throws IllegalStateException).
 */
public final class Health implements AutoCloseable {
    private final Scorecard scorecard;
    private final Native handle;
    private final ResultTable table;
    private final int accounts;

    Health(Scorecard scorecard, long result, int accounts) {
        this.scorecard = scorecard;
        this.handle = new Native(this, "health result", result, CsmNative::result_free);
        this.accounts = accounts;
        // the tables are copied; the C result stays for bands() and atRisk()
        this.table = handle.use(r -> ResultTable.read(CsmNative.result_ref(r), null));
    }

    /** The table "health" (one row per account; the others by name). */
    public ResultTable table() { return table; }

    /** Accounts and MRR by band (table "health_bands"); mrr may be null. */
    public ResultTable bands(double[] mrr) {
        Native.sameLength(accounts, new String[] {"mrr"}, (Object) mrr);
        return handle.use(r -> scorecard.use(sc ->
            ResultTable.read(CsmNative.health_bands_compute(r, sc, mrr), null)));
    }

    /** The topN accounts most at risk and their nReasons reasons (tables
     * "health_risks", "health_reasons"); accountId and mrr may be null. */
    public ResultTable atRisk(long[] accountId, double[] mrr, int topN, int nReasons) {
        Native.sameLength(accounts, new String[] {"account_id", "mrr"}, accountId, mrr);
        health_risks_opts o = new health_risks_opts();
        o.setTop_n(topN);
        o.setN_reasons(nReasons);
        return handle.use(r -> ResultTable.read(CsmNative.health_at_risk(r, accountId, mrr, o), null));
    }

    @Override
    public void close() {
        handle.close();
    }
}
