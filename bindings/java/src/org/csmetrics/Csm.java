package org.csmetrics;

import java.time.LocalDate;
import java.time.YearMonth;

/** Library-wide helpers: version, month and day indexes, sentinels. */
public final class Csm {
    private Csm() {}

    /** The code of a breakdown's "all" row (CSM_CODE_ALL, Integer.MIN_VALUE). */
    public static final int CODE_ALL = Integer.MIN_VALUE;
    /** An undefined month index (CSM_MONTH_NONE, Integer.MIN_VALUE). */
    public static final int MONTH_NONE = Integer.MIN_VALUE;

    /** The library's version as major * 10000 + minor * 100 + patch. */
    public static long versionNumber() {
        return CsmNative.version_number();
    }

    /** The library's month index of ym: year * 12 + month - 1 (csm_month). */
    public static int monthIndex(YearMonth ym) {
        return CsmNative.month(ym.getYear(), ym.getMonthValue());
    }

    /** The YearMonth of a month index; null for MONTH_NONE. */
    public static YearMonth yearMonth(int index) {
        if (index == MONTH_NONE)
            return null;
        return YearMonth.of(Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
    }

    /** Month indexes of several months. */
    public static int[] monthIndexes(YearMonth... months) {
        int[] out = new int[months.length];
        for (int i = 0; i < months.length; i++)
            out[i] = monthIndex(months[i]);
        return out;
    }

    /** The library's day index of d: days since 1970-01-01. */
    public static int dayIndex(LocalDate d) {
        return Math.toIntExact(d.toEpochDay());
    }
}
