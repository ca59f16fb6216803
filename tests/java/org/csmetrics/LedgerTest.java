package org.csmetrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The ledger families on the hand-worked ledger of tests/test-ledger.c
 * (the same fixture as tests/python/conftest.py; months M0..M5 =
 * 2024-01..2024-06, segments 1 and 2):
 *
 * <pre>
 *   cust seg   M0   M1   M2   M3   M4   M5
 *   A=1   1   100  100  150  150  120  120   expansion M2, contraction M4
 *   B=2   1   200  200    -    -    -    -   churn M2
 *   C=3   2     -   50   50    -   80   80   new M1, churn M3, back M4 (away 1)
 *   D=4   2   300    -    -    -  300  300   churn M1, back M4 (away 3)
 *   E=5  1/2  100  100  100  100  100  100   M0 given as two rows 40 + 60;
 *                                           segment 1 until M2, 2 from M3
 *   F=6   2     -    -    -   90   90   90   new M3
 *
 *   total MRR: M0 700, M1 450, M2 300, M3 340, M4 690, M5 690
 * </pre>
 */
class LedgerTest {
    static final double TOL = 1e-12;
    static final int M0 = 2024 * 12; // month index of 2024-01: year x 12 + month - 1

    static final long[] CUST = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6};
    static final int[] MONTH = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0, 4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5};
    static final double[] MRR = {100, 100, 150, 150, 120, 120, 200, 200, 50, 50, 80, 80, 300, 300, 300,
        40, 60, 100, 100, 100, 100, 100, 90, 90, 90};
    static final int[] SEG = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2};

    static Ledger fixture() {
        int[] month = new int[MONTH.length];
        for (int i = 0; i < month.length; i++)
            month[i] = M0 + MONTH[i];
        return Ledger.fromRows(CUST, month, MRR, SEG, null);
    }

    static void assertClose(double[] want, double[] got) {
        assertEquals(want.length, got.length, "length");
        for (int i = 0; i < want.length; i++)
            assertEquals(want[i], got[i], TOL, "row " + i);
    }

    @Test
    void movementsOfTheWorkedLedger() {
        try (Ledger l = fixture()) {
            assertEquals(6, l.customerCount());
            assertEquals(YearMonth.of(2024, 1), l.firstMonth());
            assertEquals(YearMonth.of(2024, 6), l.lastMonth());
            ResultTable mv = l.movements(null);
            assertEquals("movements", mv.name());
            assertEquals(6, mv.rowCount());
            YearMonth[] months = mv.getMonths("month");
            for (int k = 0; k < 6; k++)
                assertEquals(YearMonth.of(2024, 1 + k), months[k]);
            // M0 new A100 + B200 + D300 + E100; M1 C new 50; M3 F new 90
            assertClose(new double[] {700, 50, 0, 90, 0, 0}, mv.getDoubles("new"));
            // D churns 300 in M1, B 200 in M2, C 50 in M3
            assertClose(new double[] {0, 300, 200, 50, 0, 0}, mv.getDoubles("churn"));
            // A +50 in M2, -30 in M4; C (80) and D (300) come back in M4
            assertClose(new double[] {0, 0, 50, 0, 0, 0}, mv.getDoubles("expansion"));
            assertClose(new double[] {0, 0, 0, 0, 30, 0}, mv.getDoubles("contraction"));
            assertClose(new double[] {0, 0, 0, 0, 380, 0}, mv.getDoubles("reactivation"));
            assertClose(new double[] {700, 450, 300, 340, 690, 690}, mv.getDoubles("closing_mrr"));
            assertArrayEquals(new long[] {4, 4, 3, 3, 5, 5}, mv.getLongs("customers"));
            double[] churnRate = mv.getDoubles("customer_churn_rate");
            assertTrue(Double.isNaN(churnRate[0])); // 0 / 0 at the start of M0
            assertEquals(0.25, churnRate[1], TOL); // 1 of 4
            assertEquals(1.0 / 3, churnRate[3], TOL); // C of A C E
            double[] qr = mv.getDoubles("quick_ratio");
            assertEquals(50.0 / 300, qr[1], TOL);
            assertEquals(380.0 / 30, qr[4], TOL);
            assertEquals(-350.0 / 340, mv.getDoubles("net_mrr_churn_rate")[4], TOL); // (30 - 380) / 340
            assertEquals(138, mv.getDoubles("arpa")[4], TOL); // 690 / 5
            assertEquals(ColumnType.MONEY, mv.column("new").type());
        }
    }

    @Test
    void movementsOptions() {
        try (Ledger l = fixture()) {
            // window 2: D was away 3 months (M1..M3) > 2 -> new 300; C away 1 -> 80
            ResultTable mv = l.movements(new Ledger.MovementsOptions().reactivationWindow(2));
            assertEquals(80, mv.getDoubles("reactivation")[4], TOL);
            assertEquals(300, mv.getDoubles("new")[4], TOL);
            // the range M3..M4: opening of M3 = closing of M2 = 300
            ResultTable r = l.movements(new Ledger.MovementsOptions()
                .firstMonth(YearMonth.of(2024, 4)).lastMonth(YearMonth.of(2024, 5)));
            assertEquals(2, r.rowCount());
            assertEquals(300, r.getDoubles("opening_mrr")[0], TOL);
        }
    }

    @Test
    void retentionOfTheWorkedLedger() {
        try (Ledger l = fixture()) {
            ResultTable rt = l.retention(new Ledger.RetentionOptions().window(3));
            assertArrayEquals(new YearMonth[] {YearMonth.of(2024, 4), YearMonth.of(2024, 5),
                YearMonth.of(2024, 6)}, rt.getMonths("end_month"));
            // t1 M3, t0 M0: base A100 B200 D300 E100 = 700; at M3 A150 E100
            // t1 M4, t0 M1: base A100 B200 C50 E100 = 450; at M4 A120 C80 E100
            // t1 M5, t0 M2: base A150 C50 E100 = 300; at M5 A120 C80 E100
            assertClose(new double[] {200.0 / 700, 250.0 / 450, 0.9}, rt.getDoubles("grr"));
            assertClose(new double[] {250.0 / 700, 300.0 / 450, 1.0}, rt.getDoubles("nrr"));
            assertClose(new double[] {0.5, 0.75, 1.0}, rt.getDoubles("logo_retention"));
            assertClose(new double[] {700, 450, 300}, rt.getDoubles("base_mrr"));
        }
    }

    @Test
    void cohortsOfTheWorkedLedger() {
        try (Ledger l = fixture()) {
            ResultTable c = l.cohorts(null);
            assertArrayEquals(new YearMonth[] {YearMonth.of(2024, 1), YearMonth.of(2024, 2),
                YearMonth.of(2024, 4)}, c.getMonths("cohort"));
            ResultTable cells = c.table("cohort_cells");
            int[] age = cells.getInts("age");
            YearMonth[] cohort = cells.getMonths("cohort");
            double[] mrr = cells.getDoubles("mrr");
            // M0 cohort {A,B,D,E} MRR by age: 700, 400, 250, 250, 520, 520
            double[] want = {700, 400, 250, 250, 520, 520};
            int seen = 0;
            for (int i = 0; i < cells.rowCount(); i++)
                if (cohort[i].equals(YearMonth.of(2024, 1))) {
                    assertEquals(want[age[i]], mrr[i], TOL, "age " + age[i]);
                    seen++;
                }
            assertEquals(6, seen);
        }
    }

    @Test
    void stringIdsComeBackAsLabels() {
        Ledger.Builder b = Ledger.builder();
        b.add("cus_B", YearMonth.of(2024, 1), 200).add("cus_A", YearMonth.of(2024, 1), 100)
            .add("cus_A", YearMonth.of(2024, 2), 150);
        try (Ledger l = b.build()) {
            ResultTable ev = l.movementEvents(null);
            String[] who = ev.getLabels("customer_id");
            String[] kind = ev.getStrings("kind");
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < ev.rowCount(); i++)
                rows.add(who[i] + ":" + kind[i]);
            // M0: A and B new; M1: A expands, B churns
            assertTrue(rows.contains("cus_A:expansion"), rows.toString());
            assertTrue(rows.contains("cus_B:churn"), rows.toString());
            assertEquals(2, l.keys().size());
        }
    }

    /** The worked ledger with String ids "A".."F" and segment labels: segment 1 is
     * "smb", 2 is "ent" (E's M0 rows: 40 + 60 in "smb"). */
    static Ledger labelled() {
        String[] cust = new String[CUST.length];
        YearMonth[] month = new YearMonth[CUST.length];
        String[] seg = new String[CUST.length];
        for (int i = 0; i < CUST.length; i++) {
            cust[i] = String.valueOf((char) ('A' + CUST[i] - 1));
            month[i] = YearMonth.of(2024, 1 + MONTH[i]);
            seg[i] = SEG[i] == 1 ? "smb" : "ent";
        }
        return Ledger.fromRows(cust, month, MRR, seg, null);
    }

    @Test
    void segmentLabelsComeBack() {
        try (Ledger l = labelled()) {
            // M0: A 100 (smb), B 200 (smb), D 300 (ent), E 40 + 60 (smb); C and F absent.
            // Codes are the labels' ranks in byte order: "ent" 0, "smb" 1.
            ResultTable m = l.month(YearMonth.of(2024, 1));
            assertArrayEquals(new String[] {"A", "B", "D", "E"}, m.getLabels("customer_id"));
            assertArrayEquals(new String[] {"smb", "smb", "ent", "smb"}, m.getLabels("segment"));
            assertArrayEquals(new int[] {1, 1, 0, 1}, m.getInts("segment"));
            assertEquals(2, l.segmentKeys().size());
            // closing MRR by segment in M0: smb 100 + 200 + 100 = 400, ent 300
            ResultTable mv = l.movements(new Ledger.MovementsOptions().bySegment(true));
            YearMonth[] month = mv.getMonths("month");
            String[] seg = mv.getLabels("segment");
            double[] closing = mv.getDoubles("closing_mrr");
            int seen = 0;
            for (int i = 0; i < mv.rowCount(); i++)
                if (month[i].equals(YearMonth.of(2024, 1))) {
                    assertEquals(seg[i].equals("smb") ? 400 : 300, closing[i], TOL, seg[i]);
                    assertTrue(seg[i].equals("smb") || seg[i].equals("ent"), seg[i]);
                    seen++;
                }
            assertEquals(2, seen);
        }
        // the builder: segments as labels; rows without one only in a ledger without segments
        Ledger.Builder b = Ledger.builder();
        b.add("cus_B", YearMonth.of(2024, 1), 200, "west")
            .add("cus_A", YearMonth.of(2024, 1), 100, "east");
        try (Ledger l = b.build()) {
            ResultTable m = l.month(YearMonth.of(2024, 1));
            assertArrayEquals(new String[] {"cus_A", "cus_B"}, m.getLabels("customer_id"));
            assertArrayEquals(new String[] {"east", "west"}, m.getLabels("segment"));
        }
        Ledger.Builder mixed = Ledger.builder().add("x", YearMonth.of(2024, 1), 1, "s")
            .add("y", YearMonth.of(2024, 1), 2);
        CsmException.MissingValue e = assertThrows(CsmException.MissingValue.class, mixed::build);
        assertEquals("segment", e.field());
        assertEquals(1, e.row());
    }

    @Test
    void errorsCarryStatusRowAndField() {
        CsmException e = assertThrows(CsmException.Domain.class, () ->
            Ledger.fromRows(new long[] {1, 2}, new int[] {M0, M0}, new double[] {10, -5}, null, null));
        assertEquals("EDOMAIN", e.status());
        assertEquals(1, e.row());
        assertEquals("mrr", e.field());
        assertTrue(e.getMessage().startsWith("EDOMAIN: row 1, field 'mrr'"), e.getMessage());
        CsmException s = assertThrows(CsmException.InvalidArgument.class, () ->
            Ledger.fromRows(new long[] {1, 2}, new int[] {M0}, new double[] {10, 5}, null, null));
        assertEquals("period", s.field());
        CsmException d = assertThrows(CsmException.Duplicate.class, () ->
            Ledger.fromRows(new long[] {1, 1}, new int[] {M0, M0}, new double[] {1, 2}, null,
                new Ledger.Options().strict(true)));
        assertEquals(1, d.row());
    }

    @Test
    void closeTwiceAndUseAfterClose() {
        Ledger l = fixture();
        l.close();
        l.close(); // a second close does nothing
        assertTrue(l.isClosed());
        assertThrows(IllegalStateException.class, () -> l.movements(null));
        assertThrows(IllegalStateException.class, l::customerCount);
        Scorecard sc = Scorecard.fromJson(HealthTest.SPEC);
        sc.close();
        sc.close();
        assertThrows(IllegalStateException.class, sc::inputs);
    }

    @Test
    void severalThreadsOnOneLedger() throws Exception {
        try (Ledger l = fixture()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<double[]>> nrr = new ArrayList<>();
                List<Future<double[]>> closing = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    nrr.add(pool.submit(() ->
                        l.retention(new Ledger.RetentionOptions().window(3)).getDoubles("nrr")));
                    closing.add(pool.submit(() -> l.movements(null).getDoubles("closing_mrr")));
                }
                for (Future<double[]> f : nrr)
                    assertClose(new double[] {250.0 / 700, 300.0 / 450, 1.0}, f.get());
                for (Future<double[]> f : closing)
                    assertClose(new double[] {700, 450, 300, 340, 690, 690}, f.get());
            } finally {
                pool.shutdown();
            }
        }
    }
}
