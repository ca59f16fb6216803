package org.csmetrics;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An MRR ledger (csmetrics/ledger.h): customers' MRR by month, immutable
 * once built, and the computations on it (movements, retention, cohorts,
 * their drill-downs, lifetimes, LTV, unit economics, the team table,
 * projection inputs).
 *
 * <p>AutoCloseable: close() frees the C ledger (try-with-resources);
 * closing twice is fine; a call on a closed ledger throws
 * IllegalStateException.  Any number of threads may compute on one ledger
 * at once; close() waits for the running computations.  An unclosed
 * ledger is freed when it becomes unreachable.
 *
 * <p>Customer ids: long ids are used as they are; String ids go through
 * the key dictionary (their ids are the labels' ranks) and every result's
 * ID columns give the strings back ({@link ResultTable#getLabels}).
 * Segments likewise: int codes with long ids, String labels (through their
 * own key dictionary) with String ids; the "segment" columns of every
 * result give the labels back.
 */
public final class Ledger implements AutoCloseable {
    private final Native handle;
    private final Keys ids;
    private final Keys segments;

    private Ledger(long h, Keys ids, Keys segments) {
        this.handle = new Native(this, "ledger", h, CsmNative::ledger_free);
        this.ids = ids;
        this.segments = segments;
    }

    // ---- options -----------------------------------------------------------

    /** Options of building a ledger (csm_ledger_opts). */
    public static final class Options {
        final ledger_opts raw = new ledger_opts();

        /** Duplicate (customer, month) rows are an error (EDUP) instead of summed. */
        public Options strict(boolean on) { raw.setStrict(on ? 1 : 0); return this; }

        /** A customer with MRR 0 counts as active (a free plan). */
        public Options freeIsActive(boolean on) { raw.setFree_is_active(on ? 1 : 0); return this; }
    }

    /** Definition presets (csm_preset): DEFAULT, CHARTMOGUL_B2B, STRIPE, BAREMETRICS. */
    public enum Preset { DEFAULT, CHARTMOGUL_B2B, STRIPE, BAREMETRICS }

    /** Churn-rate denominators (csm_churn_denominator). */
    public enum ChurnDenominator { START, START_PLUS_NEW, AVERAGE }

    /** Options of movements and movement events (csm_movements_opts). */
    public static final class MovementsOptions {
        final movements_opts raw = new movements_opts();

        /** Overwrite the definition options with a preset's. */
        public MovementsOptions preset(Preset p) {
            CsmNative.movements_opts_preset(raw, p.ordinal());
            return this;
        }

        /** Months of absence after which a return is new business (0 = none). */
        public MovementsOptions reactivationWindow(int months) { raw.setReactivation_window(months); return this; }

        /** Changes of at most this much count as no change. */
        public MovementsOptions tolerance(double t) { raw.setTolerance(t); return this; }

        /** Customers who start and stop inside one month are counted. */
        public MovementsOptions countIntraPeriod(boolean on) { raw.setCount_intra_period(on ? 1 : 0); return this; }

        /** The churn-rate denominator. */
        public MovementsOptions churnDenominator(ChurnDenominator d) { raw.setChurn_denominator(d.ordinal()); return this; }

        /** One row per (month, segment). */
        public MovementsOptions bySegment(boolean on) { raw.setBy_segment(on ? 1 : 0); return this; }

        /** First month of the range (default: the ledger's first). */
        public MovementsOptions firstMonth(YearMonth m) { raw.setFirst_month(Csm.monthIndex(m)); return this; }

        /** Last month of the range (default: the ledger's last). */
        public MovementsOptions lastMonth(YearMonth m) { raw.setLast_month(Csm.monthIndex(m)); return this; }
    }

    /** NRR / GRR definitions (csm_nrr_mode). */
    public enum NrrMode { SNAPSHOT, MOVEMENT_SUM }

    /** Options of retention and its drill-down (csm_retention_opts). */
    public static final class RetentionOptions {
        final retention_opts raw = new retention_opts();

        /** Overwrite the definition options with a preset's. */
        public RetentionOptions preset(Preset p) {
            CsmNative.retention_opts_preset(raw, p.ordinal());
            return this;
        }

        /** Window in months (12 = annual NRR/GRR). */
        public RetentionOptions window(int months) { raw.setWindow(months); return this; }

        /** How NRR and GRR are computed. */
        public RetentionOptions nrrMode(NrrMode m) { raw.setNrr_mode(m.ordinal()); return this; }

        /** One row per (end month, segment). */
        public RetentionOptions bySegment(boolean on) { raw.setBy_segment(on ? 1 : 0); return this; }

        /** First end month. */
        public RetentionOptions firstMonth(YearMonth m) { raw.setFirst_month(Csm.monthIndex(m)); return this; }

        /** Last end month. */
        public RetentionOptions lastMonth(YearMonth m) { raw.setLast_month(Csm.monthIndex(m)); return this; }
    }

    /** Options of cohorts (csm_cohorts_opts). */
    public static final class CohortsOptions {
        final cohorts_opts raw = new cohorts_opts();
        long[] keyCustomer;
        int[] keyMonth;

        /** The age that counts as 100%: 0 (default) or 1. */
        public CohortsOptions baseline(int age) { raw.setBaseline(age); return this; }

        /** Cohorts per segment. */
        public CohortsOptions bySegment(boolean on) { raw.setBy_segment(on ? 1 : 0); return this; }

        /** Largest age in months. */
        public CohortsOptions maxAge(int months) { raw.setMax_age(months); return this; }

        /** Cohort keys: customer[i] belongs to the cohort of month[i]
         * (default: the first month of MRR). */
        public CohortsOptions keys(long[] customer, YearMonth[] month) {
            Native.sameLength(customer.length, new String[] {"key_month"}, (Object) month);
            keyCustomer = customer.clone();
            keyMonth = Csm.monthIndexes(month);
            return this;
        }
    }

    // ---- building ----------------------------------------------------------

    /**
     * A ledger from rows (customer, month index, MRR, optional segment):
     * customerId, month and mrr have one length; segment is null (all 0)
     * or of that length.  opts may be null.
     */
    public static Ledger fromRows(long[] customerId, int[] month, double[] mrr, int[] segment,
                                  Options opts) {
        Native.required("customer_id", customerId);
        Native.sameLength(customerId.length, new String[] {"period", "mrr", "segment"},
            month, mrr, segment);
        Native.required("period", month);
        Native.required("mrr", mrr);
        return new Ledger(CsmNative.ledger_new(customerId, month, mrr, segment,
            customerId.length, opts == null ? null : opts.raw), null, null);
    }

    /** A ledger from rows with String customer ids and String segment
     * labels (each through its key dictionary: the codes C sees are the
     * labels' ranks); segment is null (no segments) or of the customers'
     * length, every row with a label. */
    public static Ledger fromRows(String[] customerId, YearMonth[] month, double[] mrr,
                                  String[] segment, Options opts) {
        Keys[] k = new Keys[1];
        long[] ids = Keys.ids(customerId, "customer_id", k);
        Native.required("period", month);
        Native.sameLength(customerId.length, new String[] {"period"}, (Object) month);
        Native.sameLength(customerId.length, new String[] {"mrr", "segment"}, mrr, segment);
        Native.required("mrr", mrr);
        Keys[] sk = new Keys[1];
        int[] seg = segment == null ? null : Keys.codes(segment, "segment", sk);
        return new Ledger(CsmNative.ledger_new(ids, Csm.monthIndexes(month), mrr, seg,
            ids.length, opts == null ? null : opts.raw), k[0], sk[0]);
    }

    /** A ledger from contracts (csm_ledger_from_contracts): their MRR by month. */
    public static Ledger fromContracts(Contracts contracts, Contracts.Options contractOpts,
                                       Options opts) {
        Contracts c = contracts;
        long n = c.n();
        return new Ledger(CsmNative.ledger_from_contracts(c.customerId, c.startDay, c.endDay,
            c.amount, c.intervalCount, c.intervalUnit, c.discount, c.discountRecurring, c.tax,
            c.kind, c.segment, c.channel, c.owner, n,
            contractOpts == null ? null : contractOpts.raw, opts == null ? null : opts.raw),
            c.ids, c.segmentKeys);
    }

    /** Collects rows one at a time (String ids and segment labels), then
     * builds the ledger. */
    public static final class Builder {
        private final List<String> cust = new ArrayList<>();
        private final List<YearMonth> months = new ArrayList<>();
        private final List<Double> mrr = new ArrayList<>();
        private final List<String> seg = new ArrayList<>();
        private boolean segmented;
        private Options opts;

        /** One row without a segment (a ledger without segments: no row may
         * have one). */
        public Builder add(String customer, YearMonth month, double value) {
            return add(customer, month, value, null);
        }

        /** One row in segment `segment` (a label; null = none, allowed only
         * when no row has one). */
        public Builder add(String customer, YearMonth month, double value, String segment) {
            segmented |= segment != null;
            cust.add(customer);
            months.add(month);
            mrr.add(value);
            seg.add(segment);
            return this;
        }

        /** The build options. */
        public Builder options(Options o) {
            opts = o;
            return this;
        }

        /** The ledger of the rows added. */
        public Ledger build() {
            double[] m = new double[mrr.size()];
            for (int i = 0; i < m.length; i++)
                m[i] = mrr.get(i);
            return fromRows(cust.toArray(new String[0]), months.toArray(new YearMonth[0]), m,
                segmented ? seg.toArray(new String[0]) : null, opts);
        }
    }

    /** A row-at-a-time builder. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- the ledger --------------------------------------------------------

    /** The key dictionary of String customer ids, or null (long ids). */
    public Keys keys() { return ids; }

    /** The key dictionary of String segment labels, or null (int codes). */
    public Keys segmentKeys() { return segments; }

    /** Distinct customers. */
    public long customerCount() { return handle.use(CsmNative::ledger_customer_count); }

    /** (customer, month) entries. */
    public long entryCount() { return handle.use(CsmNative::ledger_entry_count); }

    /** First month with MRR, or null for an empty ledger. */
    public YearMonth firstMonth() { return Csm.yearMonth(handle.use(CsmNative::ledger_first_month)); }

    /** Last month with MRR, or null for an empty ledger. */
    public YearMonth lastMonth() { return Csm.yearMonth(handle.use(CsmNative::ledger_last_month)); }

    /** Total MRR of a month. */
    public double mrr(YearMonth month) {
        int m = Csm.monthIndex(month);
        return handle.use(h -> CsmNative.ledger_mrr(h, m));
    }

    /** Run a computation that returns a C result, and read it. */
    ResultTable compute(Native.Call<Long> call) {
        return compute(call, null, null);
    }

    /** The same, with the CODE column `column` (may be null) labelled by
     * keys (the call's owners...), besides the ledger's segments. */
    ResultTable compute(Native.Call<Long> call, String column, Keys keys) {
        Map<String, Keys> codes = new HashMap<>();
        if (segments != null)
            codes.put("segment", segments);
        if (column != null && keys != null)
            codes.put(column, keys);
        return ResultTable.read(handle.use(call), ids, Collections.unmodifiableMap(codes));
    }

    /** The C ledger for a family class (under its read lock). */
    <T> T use(Native.Call<T> call) {
        return handle.use(call);
    }

    /** The customers' MRR in one month (table "ledger_month"). */
    public ResultTable month(YearMonth month) {
        int m = Csm.monthIndex(month);
        return compute(h -> CsmNative.ledger_month_compute(h, m));
    }

    /** MRR movements by month (table "movements"); opts may be null. */
    public ResultTable movements(MovementsOptions opts) {
        return compute(h -> CsmNative.movements_compute(h, opts == null ? null : opts.raw));
    }

    /** The movements' customer events (table "movement_events"). */
    public ResultTable movementEvents(MovementsOptions opts) {
        return compute(h -> CsmNative.movements_events_compute(h, opts == null ? null : opts.raw));
    }

    /** NRR, GRR and logo retention over a window (table "retention"). */
    public ResultTable retention(RetentionOptions opts) {
        return compute(h -> CsmNative.retention_compute(h, opts == null ? null : opts.raw));
    }

    /** Retention's per-customer drill-down. */
    public ResultTable retentionCustomers(RetentionOptions opts) {
        return compute(h -> CsmNative.retention_customers_compute(h, opts == null ? null : opts.raw));
    }

    /** Cohorts (tables "cohorts" and "cohort_cells"). */
    public ResultTable cohorts(CohortsOptions opts) {
        return compute(h -> CsmNative.cohorts_compute(h, opts == null ? null : opts.raw,
            opts == null ? null : opts.keyCustomer, opts == null ? null : opts.keyMonth,
            opts == null || opts.keyCustomer == null ? 0 : opts.keyCustomer.length));
    }

    /** Customer lifetimes (table "lifetimes"), for Kaplan-Meier and sBG;
     * asOf null = the ledger's last month. */
    public ResultTable lifetimes(YearMonth asOf) {
        lifetimes_opts o = new lifetimes_opts();
        if (asOf != null)
            o.setAs_of(Csm.monthIndex(asOf));
        return compute(h -> CsmNative.lifetimes_from_ledger(h, o));
    }

    /** Close (free the C ledger).  Closing twice is fine. */
    @Override
    public void close() {
        handle.close();
    }

    /** Whether close() was called. */
    public boolean isClosed() {
        return handle.isClosed();
    }
}
