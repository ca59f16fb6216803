package org.csmetrics;

import java.time.YearMonth;

/** The team table (csmetrics/team.h): accounts, MRR and at-risk MRR per
 * owner (tables "team" and "team_summary").  Owners are int codes or
 * String labels (a key dictionary; the "owner" column gives them back). */
public final class Team {
    private Team() {}

    /**
     * ownerCustomer[i] is owned by owner[i] (customer ids of the ledger:
     * long ids, or labels of a String-id ledger); atRisk (may be null)
     * lists at-risk customers; month null = the ledger's last.
     */
    public static ResultTable compute(Ledger ledger, String[] ownerCustomer, int[] owner,
                                      String[] atRisk, YearMonth month) {
        return compute(ledger, idsOf(ledger, ownerCustomer, "owner_customer"), owner,
            idsOf(ledger, atRisk, "at_risk"), month);
    }

    /** The ledger's ids of customer labels (null stays null for at_risk). */
    private static long[] idsOf(Ledger ledger, String[] labels, String field) {
        Keys k = ledger.keys();
        if (k == null)
            throw CsmException.invalid(field, "the ledger has long ids: pass long[]");
        if (labels == null && field.equals("at_risk"))
            return null;
        Native.required(field, labels);
        long[] out = new long[labels.length];
        for (int i = 0; i < labels.length; i++)
            out[i] = k.id(labels[i]);
        return out;
    }

    /**
     * The same with owner labels (e.g. the CSMs' names), through a key
     * dictionary: the "owner" column gives the labels back.  Every
     * customer listed needs an owner.
     */
    public static ResultTable compute(Ledger ledger, String[] ownerCustomer, String[] owner,
                                      String[] atRisk, YearMonth month) {
        return compute(ledger, idsOf(ledger, ownerCustomer, "owner_customer"), owner,
            idsOf(ledger, atRisk, "at_risk"), month);
    }

    /** Long customer ids and owner labels. */
    public static ResultTable compute(Ledger ledger, long[] ownerCustomer, String[] owner,
                                      long[] atRisk, YearMonth month) {
        Keys[] ok = new Keys[1];
        int[] codes = Keys.codes(owner, "owner", ok);
        return compute(ledger, ownerCustomer, codes, atRisk, month, ok[0]);
    }

    /** The same with long customer ids. */
    public static ResultTable compute(Ledger ledger, long[] ownerCustomer, int[] owner,
                                      long[] atRisk, YearMonth month) {
        return compute(ledger, ownerCustomer, owner, atRisk, month, null);
    }

    private static ResultTable compute(Ledger ledger, long[] ownerCustomer, int[] owner,
                                       long[] atRisk, YearMonth month, Keys ownerKeys) {
        Native.required("owner_customer", ownerCustomer);
        Native.required("owner", owner);
        Native.sameLength(ownerCustomer.length, new String[] {"owner"}, (Object) owner);
        team_opts o = new team_opts();
        if (month != null)
            o.setMonth(Csm.monthIndex(month));
        return ledger.compute(h -> CsmNative.team_compute(h, ownerCustomer, owner,
            ownerCustomer.length, atRisk, atRisk == null ? 0 : atRisk.length, o), "owner",
            ownerKeys);
    }
}
