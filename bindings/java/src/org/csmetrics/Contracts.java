package org.csmetrics;

import java.time.LocalDate;

/**
 * Contract rows (csm_contracts of csmetrics/contracts.h) as columns, for
 * {@link Ledger#fromContracts} and {@link Renewals}: customer, start and end
 * day and amount are required; the other columns are optional (null = the
 * library's default).  Every column given must have the customers' length.
 */
public final class Contracts {
    long[] customerId;
    Keys ids, segmentKeys, ownerKeys;
    int[] startDay, endDay, intervalCount, segment, channel, owner;
    double[] amount, discount, tax;
    byte[] intervalUnit, discountRecurring, kind;

    /** Contracts of customers with long ids. */
    public Contracts(long[] customerId, LocalDate[] start, LocalDate[] end, double[] amount) {
        Native.required("customer_id", customerId);
        this.customerId = customerId.clone();
        init(start, end, amount);
    }

    /** Contracts of customers with String ids (the key dictionary). */
    public Contracts(String[] customerId, LocalDate[] start, LocalDate[] end, double[] amount) {
        Keys[] k = new Keys[1];
        this.customerId = Keys.ids(customerId, "customer_id", k);
        this.ids = k[0];
        init(start, end, amount);
    }

    private static int[] days(LocalDate[] d, String field) {
        Native.required(field, d);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++)
            out[i] = Csm.dayIndex(d[i]);
        return out;
    }

    private void init(LocalDate[] start, LocalDate[] end, double[] amount) {
        startDay = days(start, "start_day");
        endDay = days(end, "end_day");
        Native.required("amount", amount);
        this.amount = amount.clone();
        check();
    }

    long n() { return customerId.length; }

    private Contracts check() {
        Native.sameLength(customerId.length, new String[] {"start_day", "end_day", "amount",
            "interval_count", "interval_unit", "discount", "discount_recurring", "tax", "kind",
            "segment", "channel", "owner"}, startDay, endDay, amount, intervalCount, intervalUnit,
            discount, discountRecurring, tax, kind, segment, channel, owner);
        return this;
    }

    /** Billing interval lengths (in units of {@link #intervalUnit}). */
    public Contracts intervalCount(int[] v) { intervalCount = v.clone(); return check(); }

    /** Interval units: csm_interval_unit codes (0 = months, ...). */
    public Contracts intervalUnit(int[] v) { intervalUnit = Native.bytes(v, "interval_unit"); return check(); }

    /** Discount per interval. */
    public Contracts discount(double[] v) { discount = v.clone(); return check(); }

    /** Whether each discount recurs. */
    public Contracts discountRecurring(boolean[] v) { discountRecurring = Native.bytes(v); return check(); }

    /** Tax and fees inside the amount. */
    public Contracts tax(double[] v) { tax = v.clone(); return check(); }

    /** Charge kinds: csm_charge_kind codes (0 = recurring). */
    public Contracts kind(int[] v) { kind = Native.bytes(v, "kind"); return check(); }

    /** Segment codes. */
    public Contracts segment(int[] v) { segment = v.clone(); segmentKeys = null; return check(); }

    /** Segment labels, through their key dictionary (the codes C sees are
     * the labels' ranks; results give the labels back); every contract
     * needs one. */
    public Contracts segment(String[] v) {
        Keys[] k = new Keys[1];
        segment = Keys.codes(v, "segment", k);
        segmentKeys = k[0];
        return check();
    }

    /** Sales channel codes (renewals). */
    public Contracts channel(int[] v) { channel = v.clone(); return check(); }

    /** Owner codes (renewals). */
    public Contracts owner(int[] v) { owner = v.clone(); ownerKeys = null; return check(); }

    /** Owner labels (renewals), through their key dictionary like
     * {@link #segment(String[])}; every contract needs one. */
    public Contracts owner(String[] v) {
        Keys[] k = new Keys[1];
        owner = Keys.codes(v, "owner", k);
        ownerKeys = k[0];
        return check();
    }

    /** The key dictionary of String customer ids, or null. */
    public Keys keys() { return ids; }

    /** The key dictionary of String segment labels, or null. */
    public Keys segmentKeys() { return segmentKeys; }

    /** The key dictionary of String owner labels, or null. */
    public Keys ownerKeys() { return ownerKeys; }

    /** Options of turning contracts into MRR (csm_contracts_opts). */
    public static final class Options {
        final contracts_opts raw = new contracts_opts();

        /** 0 = snapshot at month end (default), 1 = daily proration. */
        public Options proration(int p) { raw.setProration(p); return this; }

        /** csm_discount_mode code. */
        public Options discountMode(int m) { raw.setDiscount_mode(m); return this; }

        /** Keep tax in the MRR. */
        public Options includeTax(boolean on) { raw.setInclude_tax(on ? 1 : 0); return this; }
    }
}
