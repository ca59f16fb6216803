package org.csmetrics;

import java.time.YearMonth;

/** The team table (csmetrics/team.h): accounts, MRR and at-risk MRR per
 * owner (tables "team" and "team_summary"). */
public final class Team {
    private Team() {}

    /**
     * ownerCustomer[i] is owned by owner[i] (customer ids of the ledger:
     * long ids, or labels of a String-id ledger); atRisk (may be null)
     * lists at-risk customers; month null = the ledger's last.
     */
    public static ResultTable compute(Ledger ledger, String[] ownerCustomer, int[] owner,
                                      String[] atRisk, YearMonth month) {
        Keys k = ledger.keys();
        if (k == null)
            throw CsmException.invalid("owner_customer", "the ledger has long ids: pass long[]");
        return compute(ledger, idsOf(k, ownerCustomer, "owner_customer"), owner,
            atRisk == null ? null : idsOf(k, atRisk, "at_risk"), month);
    }

    private static long[] idsOf(Keys k, String[] labels, String field) {
        Native.required(field, labels);
        long[] out = new long[labels.length];
        for (int i = 0; i < labels.length; i++)
            out[i] = k.id(labels[i]);
        return out;
    }

    /** The same with long customer ids. */
    public static ResultTable compute(Ledger ledger, long[] ownerCustomer, int[] owner,
                                      long[] atRisk, YearMonth month) {
        Native.required("owner_customer", ownerCustomer);
        Native.required("owner", owner);
        Native.sameLength(ownerCustomer.length, new String[] {"owner"}, (Object) owner);
        team_opts o = new team_opts();
        if (month != null)
            o.setMonth(Csm.monthIndex(month));
        return ledger.compute(h -> CsmNative.team_compute(h, ownerCustomer, owner,
            ownerCustomer.length, atRisk, atRisk == null ? 0 : atRisk.length, o));
    }
}
