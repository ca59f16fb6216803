package org.csmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Kaplan-Meier on the 6-MP arm of Freireich et al. (Gehan 1965), as in
 * tests/test-survival.c, and the sBG "High End" fit of Fader & Hardie
 * (2007). */
class SurvivalTest {
    static final double TOL = 1e-12;
    // 6-MP remission times (weeks); event false = censored
    static final double[] T = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
    static final boolean[] E = {true, true, true, false, true, false, true, false, false, true, true,
        false, false, false, true, true, false, false, false, false, false};

    @Test
    void kaplanMeierSixMp() {
        ResultTable km = Survival.kaplanMeier(T, E, null, null, null);
        double[] time = km.getDoubles("time");
        double[] surv = km.getDoubles("survival");
        double[] risk = km.getDoubles("at_risk");
        double[] ev = km.getDoubles("events");
        // the product limit, recomputed here from the data: S(t) = prod (1 - d/n)
        double s = 1;
        int row = 0;
        for (double u : new double[] {6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35}) {
            int n = 0, d = 0;
            for (int i = 0; i < T.length; i++) {
                if (T[i] >= u)
                    n++;
                if (T[i] == u && E[i])
                    d++;
            }
            s *= 1 - (double) d / n;
            assertEquals(u, time[row], TOL);
            assertEquals(n, risk[row], TOL);
            assertEquals(d, ev[row], TOL);
            assertEquals(s, surv[row], TOL, "S(" + u + ")");
            row++;
        }
        assertEquals(16, km.rowCount());
        // the published table (Gehan 1965): 0.857 at 6, 0.690 at 13, 0.448 at 23
        assertEquals(18.0 / 21, surv[0], TOL); // 1 - 3/21
        assertEquals(0.8571, surv[0], 5e-5);
        assertEquals(0.6902, surv[5], 5e-5);
        assertEquals(0.4482, surv[11], 5e-5);
        // Greenwood SE at 6: 0.857 sqrt(3 / (21 x 18)) = 0.0764
        assertEquals(18.0 / 21 * Math.sqrt(3.0 / (21 * 18)), km.getDoubles("stderr")[0], TOL);
        ResultTable groups = km.table("km_groups");
        assertEquals(23, groups.getDoubles("median")[0], TOL);
        assertEquals(23.287395, groups.getDoubles("rmst")[0], 1e-6);
        // the overall curve is the CODE_ALL group: labelled "all"
        assertEquals("all", km.getLabels("group")[0]);
    }

    @Test
    void kaplanMeierErrors() {
        CsmException e = assertThrows(CsmException.Domain.class, () ->
            Survival.kaplanMeier(new double[] {1, -2}, new boolean[] {true, false}, null, null, null));
        assertEquals(1, e.row());
        assertThrows(CsmException.InvalidArgument.class, () ->
            Survival.kaplanMeier(new double[] {1, 2}, new boolean[] {true}, null, null, null));
    }

    @Test
    void sbgHighEnd() {
        // Fader & Hardie (2007), "High End": alpha 0.668, beta 3.806, LL -1611.16
        Survival.SbgFit f = Survival.sbgFit(new double[] {1000, 869, 743, 653, 593, 551, 517, 491},
            null, null);
        assertEquals(0.668, f.alpha(), 5e-4);
        assertEquals(0.806 + 3, f.beta(), 5e-4);
        assertEquals(-1611.16, f.table().getDoubles("loglik")[0], 5e-3);
        assertEquals(1, f.table().getInts("converged")[0]);
        // S(t) from the model's definition: r(t) = (beta + t - 1) / (alpha + beta + t - 1),
        // S(t) = r(1) ... r(t) (Fader & Hardie's recursion), against the library's curve
        ResultTable curve = Survival.sbgProject(8, f.alpha(), f.beta(), 1000);
        double[] surv = curve.getDoubles("survival");
        double s = 1;
        for (int t = 0; t < 8; t++) {
            if (t > 0)
                s *= (f.beta() + t - 1) / (f.alpha() + f.beta() + t - 1);
            assertEquals(s, surv[t], TOL, "S(" + t + ")");
            assertEquals(s, Survival.sbgSurvival(f.alpha(), f.beta(), t), TOL);
        }
        // DEL by the recursion, discounted: sum S(t) / 1.1^t (terms beyond 4000 < 1e-160)
        double del = 0, st = 1;
        for (int t = 0; t < 4000; t++) {
            if (t > 0)
                st *= (f.beta() + t - 1) / (f.alpha() + f.beta() + t - 1);
            del += st / Math.pow(1.1, t);
        }
        assertEquals(50 * del, f.ltvNew(50, 0.1), 1e-8 * 50 * del);
        assertThrows(CsmException.Convergence.class, () ->
            Survival.sbgFit(new double[] {100, 100, 100}, null, null)); // nobody churned
    }
}
