package org.csmetrics;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;

/** Renewals of contracts due in a window (csmetrics/renewals.h): tables
 * "renewals" and "renewal_contracts"; grouped by segment or owner given as
 * String labels ({@link Contracts#segment(String[])}), the "group" columns
 * give the labels back. */
public final class Renewals {
    private Renewals() {}

    /** groupBy codes (csm_renewals_group): no breakdown, by segment, by
     * channel, by owner. */
    public static final int NONE = 0, SEGMENT = 1, CHANNEL = 2, OWNER = 3;

    /** Options of renewals (csm_renewals_opts). */
    public static final class Options {
        final renewals_opts raw = new renewals_opts();
        Contracts.Options contracts;

        /** Days after the end during which a renewal still counts. */
        public Options graceDays(int days) { raw.setGrace_days(days); return this; }

        /** Late renewals count as renewed. */
        public Options lateCounts(boolean on) { raw.setLate_counts(on ? 1 : 0); return this; }

        /** Upsells count in the renewed MRR. */
        public Options includeUpsells(boolean on) { raw.setInclude_upsells(on ? 1 : 0); return this; }

        /** Breakdown: csm_renewals_group code (0 = none). */
        public Options groupBy(int g) { raw.setGroup_by(g); return this; }

        /** The day outcomes are judged on (default: the window's end). */
        public Options asOf(LocalDate d) { raw.setAs_of_day(Csm.dayIndex(d)); return this; }

        /** How contracts turn into MRR. */
        public Options contracts(Contracts.Options o) { contracts = o; return this; }
    }

    /** Renewals of the contracts due in [windowStart, windowEnd]. */
    public static ResultTable compute(Contracts c, LocalDate windowStart, LocalDate windowEnd,
                                      Options opts) {
        return ResultTable.read(CsmNative.renewals_compute(null, null, c.customerId, c.startDay,
            c.endDay, c.amount, c.intervalCount, c.intervalUnit, c.discount, c.discountRecurring,
            c.tax, c.kind, c.segment, c.channel, c.owner, c.n(), Csm.dayIndex(windowStart),
            Csm.dayIndex(windowEnd), opts == null ? null : opts.raw,
            opts == null || opts.contracts == null ? null : opts.contracts.raw), c.ids,
            groupLabels(c, opts));
    }

    /** The "group" column's labels: the contracts' segment or owner labels
     * when the rows are grouped by them and they were given as Strings. */
    private static Map<String, Keys> groupLabels(Contracts c, Options opts) {
        int g = opts == null ? 0 : opts.raw.getGroup_by();
        Keys k = g == SEGMENT ? c.segmentKeys : g == OWNER ? c.ownerKeys : null;
        return k == null ? Collections.emptyMap() : Collections.singletonMap("group", k);
    }

    /** Days from day to each account's next contract end (NaN: none). */
    public static double[] daysToEnd(Contracts c, long[] accountId, LocalDate day) {
        Native.required("account_id", accountId);
        double[] days = new double[accountId.length];
        CsmNative.renewals_days_to_end(days, accountId, accountId.length, c.customerId, c.startDay,
            c.endDay, c.amount, c.intervalCount, c.intervalUnit, c.discount, c.discountRecurring,
            c.tax, c.kind, c.segment, c.channel, c.owner, c.n(), Csm.dayIndex(day));
        return days;
    }
}
