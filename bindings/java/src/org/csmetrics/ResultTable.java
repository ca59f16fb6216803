package org.csmetrics;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table of a computed result, built from the C library's descriptors
 * (csmetrics/table.h): the binding iterates the columns the C result
 * declares, it does not list them.  Every column's values were copied once
 * from the C result into a Java array when the result was read; the C
 * result was then freed, so a ResultTable is plain, immutable Java data
 * (safe to share between threads, no close needed).
 *
 * <p>Typed access by column name: {@link #getDoubles} (f64 columns),
 * {@link #getLongs} (i64 and u32), {@link #getInts} (i32 and u8),
 * {@link #getMonths} (MONTH columns as YearMonth, null for an undefined
 * month), {@link #getDays} (DAY columns as LocalDate), {@link #getStrings}
 * (TEXT columns) and {@link #getLabels} (ID columns as the caller's string
 * ids, CODE columns as the caller's segment and owner labels or their
 * decimal codes, with the "all" label, and text).  Each getter returns a
 * fresh copy of the column.  Undefined f64 values are NaN.
 */
public final class ResultTable {
    private final String kind;
    private final String name;
    private final int rows;
    private final Map<String, Column> columns;
    private final Map<String, ResultTable> siblings;
    private final Keys ids;
    private final Map<String, Keys> codes;

    ResultTable(String kind, String name, int rows, Map<String, Column> columns,
                Map<String, ResultTable> siblings, Keys ids, Map<String, Keys> codes) {
        this.kind = kind;
        this.name = name;
        this.rows = rows;
        this.columns = columns;
        this.siblings = siblings;
        this.ids = ids;
        this.codes = codes;
    }

    /** read(r, ids, no code labels). */
    static ResultTable read(long r, Keys ids) {
        return read(r, ids, Collections.emptyMap());
    }

    /** Copy every table of the C result r (one copy per column) and free r.
     * ids (may be null) labels the ID columns, codes (column name to key
     * dictionary: "segment", "owner", ...) the CODE columns of those names.
     * Returns the first (main) table; the others are {@link #table(String)}. */
    static ResultTable read(long r, Keys ids, Map<String, Keys> codes) {
        try {
            String kind = CsmNative.result_kind(r);
            Map<String, ResultTable> all = new LinkedHashMap<>();
            ResultTable first = null;
            long n = CsmNative.result_n_tables(r);
            for (long t = 0; t < n; t++) {
                String tname = Native.utf8(CsmNative.table_name(r, t));
                int nrows = Math.toIntExact(CsmNative.table_rows(r, t));
                long ncols = CsmNative.table_columns(r, t);
                Map<String, Column> cols = new LinkedHashMap<>();
                for (long c = 0; c < ncols; c++) {
                    Column col = readColumn(r, t, c, nrows);
                    cols.put(col.name(), col);
                }
                ResultTable table = new ResultTable(kind, tname, nrows,
                    Collections.unmodifiableMap(cols), all, ids, codes);
                all.put(tname, table);
                if (first == null)
                    first = table;
            }
            return first;
        } finally {
            CsmNative.result_free(r);
        }
    }

    private static Column readColumn(long r, long t, long c, int nrows) {
        int kind = CsmNative.column_kind(r, t, c);
        ColumnType type = ColumnType.of(kind >> 8);
        Column.Storage storage = Column.Storage.values()[((kind >> 4) & 15) - 1];
        Column.Role role = Column.Role.values()[(kind & 15) - 1];
        Object data;
        switch (storage) {
        case F64:
            data = new double[nrows];
            CsmNative.column_f64(r, t, c, (double[]) data);
            break;
        case I64: case U32:
            data = new long[nrows];
            CsmNative.column_i64(r, t, c, (long[]) data);
            break;
        case I32: case U8:
            data = new int[nrows];
            CsmNative.column_i32(r, t, c, (int[]) data);
            break;
        default: {
            String[] s = new String[nrows];
            for (int i = 0; i < nrows; i++)
                s[i] = Native.utf8(CsmNative.column_text(r, t, c, i));
            data = s;
        }
        }
        return new Column(Native.utf8(CsmNative.column_name(r, t, c)),
            Native.utf8(CsmNative.column_doc(r, t, c)),
            Native.utf8(CsmNative.column_null_label(r, t, c)), type, storage, role, data);
    }

    /** The family's name of the result ("movements", "km", ...). */
    public String kind() { return kind; }

    /** The table's name ("movements", "km_groups", ...). */
    public String name() { return name; }

    /** Number of rows. */
    public int rowCount() { return rows; }

    /** The columns in declared order. */
    public List<Column> columns() { return new ArrayList<>(columns.values()); }

    /** The column names in declared order. */
    public List<String> columnNames() { return new ArrayList<>(columns.keySet()); }

    /** Whether the table has a column of that name. */
    public boolean hasColumn(String name) { return columns.containsKey(name); }

    /** The descriptor of column name; IllegalArgumentException if none. */
    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null)
            throw new IllegalArgumentException("table " + this.name + " has no column '" + name
                + "' (columns: " + String.join(", ", columns.keySet()) + ")");
        return c;
    }

    /** The names of the result's tables (this one first if it is the main one). */
    public List<String> tableNames() { return new ArrayList<>(siblings.keySet()); }

    /** Another table of the same result ("km_groups" of a "km" result). */
    public ResultTable table(String name) {
        ResultTable t = siblings.get(name);
        if (t == null)
            throw new IllegalArgumentException("the result has no table '" + name
                + "' (tables: " + String.join(", ", siblings.keySet()) + ")");
        return t;
    }

    private IllegalArgumentException wrong(Column c, String want) {
        return new IllegalArgumentException("column '" + c.name() + "' is "
            + c.storage().name().toLowerCase() + ", not " + want);
    }

    /** An f64 column (undefined values are NaN); integer columns are
     * converted. */
    public double[] getDoubles(String name) {
        Column c = column(name);
        if (c.data instanceof double[])
            return ((double[]) c.data).clone();
        if (c.data instanceof long[]) {
            long[] v = (long[]) c.data;
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++)
                out[i] = v[i];
            return out;
        }
        if (c.data instanceof int[]) {
            int[] v = (int[]) c.data;
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++)
                out[i] = v[i];
            return out;
        }
        throw wrong(c, "a number");
    }

    /** An i64 or u32 column (i32 and u8 columns are widened). */
    public long[] getLongs(String name) {
        Column c = column(name);
        if (c.data instanceof long[])
            return ((long[]) c.data).clone();
        if (c.data instanceof int[]) {
            int[] v = (int[]) c.data;
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++)
                out[i] = v[i];
            return out;
        }
        throw wrong(c, "an integer");
    }

    /** An i32 or u8 column (month and day indexes, codes, booleans). */
    public int[] getInts(String name) {
        Column c = column(name);
        if (c.data instanceof int[])
            return ((int[]) c.data).clone();
        throw wrong(c, "i32 or u8");
    }

    /** A MONTH column: null for an undefined month. */
    public YearMonth[] getMonths(String name) {
        Column c = column(name);
        if (c.type() != ColumnType.MONTH)
            throw new IllegalArgumentException("column '" + name + "' is not a month column");
        int[] v = (int[]) c.data;
        YearMonth[] out = new YearMonth[v.length];
        for (int i = 0; i < v.length; i++)
            out[i] = Csm.yearMonth(v[i]);
        return out;
    }

    /** A DAY column: null for an undefined day. */
    public LocalDate[] getDays(String name) {
        Column c = column(name);
        if (c.type() != ColumnType.DAY)
            throw new IllegalArgumentException("column '" + name + "' is not a day column");
        int[] v = (int[]) c.data;
        LocalDate[] out = new LocalDate[v.length];
        for (int i = 0; i < v.length; i++)
            out[i] = v[i] == Integer.MIN_VALUE ? null : LocalDate.ofEpochDay(v[i]);
        return out;
    }

    /** A TEXT column (null = no value). */
    public String[] getStrings(String name) {
        Column c = column(name);
        if (!(c.data instanceof String[]))
            throw wrong(c, "str");
        return ((String[]) c.data).clone();
    }

    /**
     * Labels of a key-like column: an ID column as the caller's string ids
     * (the key dictionary of the ledger or call that took them; the
     * decimal id without one), a CODE column as the caller's label when
     * its codes came from String labels (segments, owners: the ledger's,
     * the contracts' or the call's key dictionary), else as its decimal
     * code, with the column's null label ("all", "unassigned") for the
     * undefined code; MONTH columns as "2024-01", text as it is.
     */
    public String[] getLabels(String name) {
        Column c = column(name);
        String[] out = new String[rows];
        if (c.data instanceof String[])
            return ((String[]) c.data).clone();
        if (c.type() == ColumnType.MONTH) {
            YearMonth[] m = getMonths(name);
            for (int i = 0; i < rows; i++)
                out[i] = m[i] == null ? c.nullLabel() : m[i].toString();
            return out;
        }
        long[] v = getLongs(name);
        boolean i32 = c.storage() == Column.Storage.I32;
        Keys k = c.type() == ColumnType.ID ? ids
            : c.type() == ColumnType.CODE ? codes.get(c.name()) : null;
        for (int i = 0; i < rows; i++) {
            if (i32 && v[i] == Integer.MIN_VALUE)
                out[i] = c.nullLabel();
            else if (k != null)
                out[i] = k.label(v[i]);
            else
                out[i] = Long.toString(v[i]);
        }
        return out;
    }

    /** A text rendering: the columns and up to 20 rows. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (").append(rows).append(" rows)\n");
        sb.append(String.join("\t", columns.keySet())).append('\n');
        for (int i = 0; i < Math.min(rows, 20); i++) {
            List<String> cells = new ArrayList<>();
            for (Column c : columns.values()) {
                Object d = c.data;
                if (d instanceof double[])
                    cells.add(Double.toString(((double[]) d)[i]));
                else if (d instanceof long[])
                    cells.add(Long.toString(((long[]) d)[i]));
                else if (d instanceof int[])
                    cells.add(Integer.toString(((int[]) d)[i]));
                else
                    cells.add(String.valueOf(((String[]) d)[i]));
            }
            sb.append(String.join("\t", cells)).append('\n');
        }
        return sb.toString();
    }
}
