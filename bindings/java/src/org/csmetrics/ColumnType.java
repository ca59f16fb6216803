package org.csmetrics;

/** What a column's values mean (csm_type of csmetrics/table.h). */
public enum ColumnType {
    /** a month: {@link ResultTable#getMonths} */
    MONTH,
    /** a day: {@link ResultTable#getDays} */
    DAY,
    /** a customer / account / contract id: {@link ResultTable#getLabels} */
    ID,
    /** a segment, group, owner or band code; {@link Csm#CODE_ALL} = the "all" row */
    CODE,
    /** a number of customers, accounts, events */
    COUNT,
    /** currency units (per month for MRR) */
    MONEY,
    /** a rate or share, 0.95 = 95% */
    FRACTION,
    /** any other quantity */
    NUMBER,
    /** flag bits */
    FLAGS,
    /** 0 or 1 */
    BOOL,
    /** text: {@link ResultTable#getStrings} */
    TEXT;

    static ColumnType of(int code) {
        return values()[code - 1];
    }
}
