package org.csmetrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LTV/CAC, projection, team, renewals and activity through the Java
 * layer; every expected value is worked by hand in its comment. */
class FamiliesTest {
    static final double TOL = 1e-12;

    @Test
    void ltvAndCac() {
        // ARPA 100 x margin 0.8 / churn 0.02 = 4000 over 1 / 0.02 = 50 months
        ResultTable l = Ltv.simple(100, 0.8, 0.02, null);
        assertEquals(4000, l.getDoubles("ltv")[0], 1e-9);
        assertEquals(50, l.getDoubles("lifetime_months")[0], 1e-12);
        assertEquals(250, Ltv.cac(1000, 4).getDoubles("value")[0], TOL); // 1000 / 4
        assertEquals(16, Ltv.ltvCac(4000, 250).getDoubles("value")[0], TOL); // 4000 / 250
        // payback 250 / (100 x 0.8) = 3.125 months
        assertEquals(3.125, Ltv.cacPayback(250, 100, 0.8).getDoubles("value")[0], TOL);
        // zero new customers: NaN and the zero-denominator flag
        ResultTable z = Ltv.cac(1000, 0);
        assertTrue(Double.isNaN(z.getDoubles("value")[0]));
        assertTrue(z.getLongs("flags")[0] != 0);
    }

    @Test
    void projection() {
        // 1000 MRR, churn 10%, no expansion or new MRR: 1000, 900, 810
        ResultTable p = Projection.mrr(2, 1000, new double[] {0.1}, null, null);
        assertArrayEquals(new int[] {0, 1, 2}, p.getInts("month"));
        assertArrayEquals(new double[] {1000, 900, 810}, p.getDoubles("mrr"), 1e-9);
        // steady state: new / (churn - expansion) = 100 / (0.05 - 0.01) = 2500
        assertEquals(2500, Projection.steadyState(0.05, 0.01, 100).getDoubles("value")[0], 1e-9);
    }

    @Test
    void teamOfTheWorkedLedger() {
        try (Ledger l = LedgerTest.fixture()) {
            // M5 (the last month): A 120, C 80, D 300, E 100, F 90.  Owner 7 has A and D
            // (420), owner 8 has C (80); E and F are unassigned (190); D is at risk.
            ResultTable t = Team.compute(l, new long[] {1, 4, 3}, new int[] {7, 7, 8},
                new long[] {4}, null);
            String[] owner = t.getLabels("owner");
            double[] mrr = t.getDoubles("mrr");
            double[] risk = t.getDoubles("at_risk_mrr");
            boolean seen7 = false;
            for (int i = 0; i < t.rowCount(); i++) {
                if (owner[i].equals("7")) {
                    seen7 = true;
                    assertEquals(420, mrr[i], TOL);
                    assertEquals(300, risk[i], TOL);
                } else if (owner[i].equals("8")) {
                    assertEquals(80, mrr[i], TOL);
                } else {
                    assertEquals("unassigned", owner[i]); // the column's null label
                    assertEquals(190, mrr[i], TOL);
                }
            }
            assertTrue(seen7);
            assertEquals(YearMonth.of(2024, 6), t.table("team_summary").getMonths("month")[0]);
        }
    }

    @Test
    void teamWithOwnerLabels() {
        try (Ledger l = LedgerTest.fixture()) {
            // as teamOfTheWorkedLedger with owners 7 = "maria", 8 = "li": maria A + D = 420
            // (D at risk: 300), li C = 80, E and F unassigned 190
            ResultTable t = Team.compute(l, new long[] {1, 4, 3},
                new String[] {"maria", "maria", "li"}, new long[] {4}, null);
            String[] owner = t.getLabels("owner");
            double[] mrr = t.getDoubles("mrr");
            double[] risk = t.getDoubles("at_risk_mrr");
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < t.rowCount(); i++) {
                seen.add(owner[i]);
                double want = owner[i].equals("maria") ? 420 : owner[i].equals("li") ? 80 : 190;
                assertEquals(want, mrr[i], TOL, owner[i]);
                assertEquals(owner[i].equals("maria") ? 300 : 0, risk[i], TOL, owner[i]);
            }
            assertEquals(List.of("li", "maria", "unassigned"), seen.stream().sorted().toList());
        }
        // String customer ids too: the labelled worked ledger, A and D owned by "maria"
        try (Ledger l = LedgerTest.labelled()) {
            ResultTable t = Team.compute(l, new String[] {"A", "D"},
                new String[] {"maria", "maria"}, null, null);
            String[] owner = t.getLabels("owner");
            double[] mrr = t.getDoubles("mrr");
            for (int i = 0; i < t.rowCount(); i++)
                assertEquals(owner[i].equals("maria") ? 420 : 270, mrr[i], TOL, owner[i]);
        }
    }

    @Test
    void contractSegmentsAndOwnersAsLabels() {
        LocalDate jan1 = LocalDate.of(2024, 1, 1);
        // contractsAndRenewals' contracts: acme (annual, MRR 100) of segment "ent" and
        // owner "li", beta (monthly 50, ends 2024-03-31) of "smb" and "maria"
        Contracts c = new Contracts(new String[] {"acme", "beta"},
            new LocalDate[] {jan1, jan1}, new LocalDate[] {LocalDate.of(2024, 12, 31),
                LocalDate.of(2024, 3, 31)}, new double[] {1200, 50})
            .intervalCount(new int[] {12, 1}).segment(new String[] {"ent", "smb"})
            .owner(new String[] {"li", "maria"});
        try (Ledger l = Ledger.fromContracts(c, null, null)) {
            ResultTable m = l.month(YearMonth.of(2024, 1));
            assertArrayEquals(new String[] {"acme", "beta"}, m.getLabels("customer_id"));
            assertArrayEquals(new String[] {"ent", "smb"}, m.getLabels("segment"));
        }
        // by owner: only beta is due in March (not renewed): one row, maria, 1 due, 0 renewed
        ResultTable r = Renewals.compute(c, LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31),
            new Renewals.Options().groupBy(Renewals.OWNER));
        assertArrayEquals(new String[] {"maria"}, r.getLabels("group"));
        assertArrayEquals(new long[] {1}, r.getLongs("due"));
        assertArrayEquals(new long[] {0}, r.getLongs("renewed"));
        assertArrayEquals(new String[] {"maria"}, r.table("renewal_contracts").getLabels("group"));
        // by segment: beta's "smb"
        ResultTable s = Renewals.compute(c, LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31),
            new Renewals.Options().groupBy(Renewals.SEGMENT));
        assertArrayEquals(new String[] {"smb"}, s.getLabels("group"));
    }

    @Test
    void contractsAndRenewals() {
        LocalDate jan1 = LocalDate.of(2024, 1, 1);
        // one annual contract of 1200 (1 year = 12 months: MRR 100) and a monthly one of 50
        Contracts c = new Contracts(new String[] {"acme", "beta"},
            new LocalDate[] {jan1, jan1}, new LocalDate[] {LocalDate.of(2024, 12, 31),
                LocalDate.of(2024, 3, 31)}, new double[] {1200, 50})
            .intervalCount(new int[] {12, 1});
        try (Ledger l = Ledger.fromContracts(c, null, null)) {
            // January: 100 + 50 = 150; April: beta has ended, 100
            assertEquals(150, l.mrr(YearMonth.of(2024, 1)), TOL);
            assertEquals(100, l.mrr(YearMonth.of(2024, 4)), TOL);
            assertArrayEquals(new String[] {"acme", "beta"}, l.month(YearMonth.of(2024, 1))
                .getLabels("customer_id"));
        }
        // days from 2024-03-01 to the next end: acme 2024-12-31 (305 days), beta 03-31 (30)
        double[] days = Renewals.daysToEnd(c, new long[] {0, 1}, LocalDate.of(2024, 3, 1));
        assertArrayEquals(new double[] {305, 30}, days, TOL);
        // beta is due in March and did not renew: one contract due, none renewed
        ResultTable r = Renewals.compute(c, LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), null);
        ResultTable due = r.table("renewal_contracts");
        assertEquals(1, due.rowCount());
        assertEquals("beta", due.getLabels("customer_id")[0]);
    }

    @Test
    void activity() {
        // activation_rate = activated / licensed seats: 5/10 and 3/4 per account
        ResultTable a = new Activity(new long[] {1, 2}).licensedSeats(new double[] {10, 4})
            .activatedSeats(new double[] {5, 3}).compute(null);
        assertEquals(2, a.rowCount());
        assertArrayEquals(new double[] {10, 4}, a.getDoubles("licensed_seats"), TOL);
        ResultTable m = a.table("activity_measures");
        String[] measure = m.getStrings("measure");
        long[] key = m.getLongs("key");
        double[] rate = m.getDoubles("rate");
        int seen = 0;
        for (int i = 0; i < m.rowCount(); i++)
            if (measure[i].equals("activation_rate")) {
                assertEquals(key[i] == 1 ? 0.5 : 0.75, rate[i], TOL);
                seen++;
            }
        assertEquals(2, seen);
    }
}
