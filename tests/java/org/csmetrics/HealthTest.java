package org.csmetrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Health scores: the hand-worked three accounts of tests/test-health.c
 * (worked in its comments; the same as tests/python/test_health.py), and
 * the surveys' fixtures of tests/python/test_nps.py. */
class HealthTest {
    static final double TOL = 1e-12;
    static final String SPEC = "{\"name\": \"t\", \"groups\": ["
        + "{\"name\": \"usage\", \"weight\": 3, \"measures\": ["
        + "{\"name\": \"login_rate\", \"weight\": 2, \"transform\": {\"type\": \"linear\", \"min\": 0.2, \"max\": 0.8}},"
        + "{\"name\": \"tickets\", \"weight\": 1, \"direction\": \"lower\", \"transform\": {\"type\": \"piecewise\","
        + " \"points\": [[0, 100], [5, 50], [10, 0]]}}]},"
        + "{\"name\": \"relationship\", \"weight\": 1, \"measures\": ["
        + "{\"name\": \"nps\", \"transform\": {\"type\": \"linear\", \"min\": -100, \"max\": 100}, \"missing\": \"zero\"},"
        + "{\"name\": \"sponsor\", \"transform\": {\"type\": \"boolean\"}}]}],"
        + "\"overrides\": ["
        + "{\"name\": \"key contact left\", \"input\": \"key_contact_left\", \"op\": \"==\", \"value\": 1,"
        + " \"action\": \"cap\", \"score\": 40},"
        + "{\"name\": \"open P1\", \"input\": \"open_p1\", \"op\": \">=\", \"value\": 1, \"action\": \"subtract\","
        + " \"points\": 10}]}";

    @Test
    void threeAccountsWorkedByHand() {
        double nan = Double.NaN;
        // login_rate, tickets, nps, sponsor, key_contact_left, open_p1
        double[][] values = {
            {0.5, 2, 50, 1, 0, 0},
            {0.9, nan, nan, 0, 1, 0},
            {0.1, 12, -20, 1, 0, 2},
        };
        try (Scorecard sc = Scorecard.fromJson(SPEC)) {
            assertEquals(List.of("login_rate", "tickets", "nps", "sponsor", "key_contact_left", "open_p1"),
                sc.inputs());
            try (Health h = sc.score(values, new double[] {70, 80, 10}, new int[] {2, 2, 0})) {
                // previous: A, B green (band 2 of the default red 0, yellow 40, green 70), C red
                ResultTable t = h.table();
                double[] score = t.getDoubles("score");
                // A: usage 3/4 x (2/3 x 50 + 1/3 x 80) = 45, relationship 1/4 x (75 + 100) / 2
                // = 21.875: 66.875; B capped at 40 by "key contact left"; C 17.5 - 10 = 7.5
                assertEquals(66.875, score[0], TOL);
                assertEquals(40, score[1], TOL);
                assertEquals(7.5, score[2], TOL);
                assertArrayEquals(new String[] {"yellow", "yellow", "red"}, t.getStrings("band"));
                assertArrayEquals(new int[] {1, 1, 0}, t.getInts("moved")); // A, B left green
                assertEquals("key contact left", t.getStrings("override")[1]);
                assertEquals(-3.125, t.getDoubles("change")[0], TOL); // 66.875 - 70
                ResultTable m = t.table("health_measures");
                // A's login_rate: (0.5 - 0.2) / 0.6 = 50 points x weight 3/4 x 2/3 = 25
                assertEquals(25, m.getDoubles("contribution")[0], TOL);
                assertEquals(9.375, m.getDoubles("contribution")[2], TOL); // 75 x 1/4 x 1/2
                ResultTable bands = h.bands(new double[] {100, 200, 300});
                // rows from the highest band: green none, yellow A and B (MRR 100 + 200), red C (300)
                assertArrayEquals(new String[] {"green", "yellow", "red"}, bands.getStrings("band_name"));
                assertArrayEquals(new long[] {0, 2, 1}, bands.getLongs("accounts"));
                assertArrayEquals(new double[] {0, 300, 300}, bands.getDoubles("mrr"), TOL);
                ResultTable risk = h.atRisk(new long[] {11, 12, 13}, null, 1, 2);
                assertEquals(13, risk.getLongs("account_id")[0]); // C (row 2) has the lowest score
                assertEquals(2, risk.getLongs("account")[0]);
                assertEquals(7.5, risk.getDoubles("score")[0], TOL);
            }
            h2Closed(sc);
            String json = sc.toJson();
            try (Scorecard again = Scorecard.fromJson(json)) {
                assertEquals(json, again.toJson());
            }
        }
    }

    private static void h2Closed(Scorecard sc) {
        Health h = sc.score(new double[][] {{0.5, 2, 50, 1, 0, 0}}, null, null);
        h.close();
        h.close();
        assertThrows(IllegalStateException.class, () -> h.bands(null));
    }

    @Test
    void scorecardErrors() {
        CsmException e = assertThrows(CsmException.InvalidArgument.class, () ->
            Scorecard.fromJson(SPEC.replace("\"weight\": 1, \"measures\"", "\"weight\": -1, \"measures\"")));
        assertTrue(e.getMessage().startsWith("EINVAL: $.groups[1].weight"), e.getMessage());
        assertThrows(CsmException.Parse.class, () -> Scorecard.fromJson("{"));
    }

    @Test
    void npsCsatCes() {
        // 45 promoters (10), 30 passives (8), 25 detractors (3): NPS = 100 (0.45 - 0.25) = 20
        int[] scores = new int[100];
        for (int i = 0; i < 100; i++)
            scores[i] = i < 45 ? 10 : i < 75 ? 8 : 3;
        ResultTable r = Surveys.nps(scores, null, null);
        assertEquals(20.0, r.getDoubles("nps")[0], TOL);
        assertEquals(0.45, r.getDoubles("promoters")[0], TOL);
        assertEquals(100, r.getDoubles("n")[0], TOL);
        assertEquals(20.0, Surveys.npsCounts(45, 30, 25, null).getDoubles("nps")[0], TOL);
        // groups 0 (10, 10, 0) and 1 (8, 9): 100 (2/3 - 1/3) = 33.3..., 100 (1/2 - 0) = 50
        ResultTable g = Surveys.npsByGroup(new int[] {10, 10, 0, 8, 9}, null,
            new int[] {0, 0, 0, 1, 1}, null);
        assertEquals(100.0 / 3, g.getDoubles("nps")[0], TOL);
        assertEquals(50.0, g.getDoubles("nps")[1], TOL);
        // CSAT 1..5, satisfied 4 and 5: 3 of 5
        assertEquals(0.6, Surveys.csat(new int[] {5, 4, 4, 2, 1}, null).getDoubles("csat")[0], TOL);
        CsmException e = assertThrows(CsmException.Domain.class, () ->
            Surveys.nps(new int[] {10, 11}, null, null));
        assertEquals(1, e.row());
    }
}
