package org.csmetrics;

/**
 * One column of a {@link ResultTable}, as the C descriptor declares it:
 * name, description, type, storage, role and the label of its undefined
 * value.  The values were copied once from the C result into a Java array:
 * double[] (f64), long[] (i64, u32), int[] (i32, u8) or String[] (text).
 */
public final class Column {
    /** The storage of the values (csm_storage). */
    public enum Storage { I32, I64, U32, F64, U8, STR }

    /** The column's role in its table (csm_role). */
    public enum Role { KEY, MAIN, DETAIL }

    private final String name, doc, nullLabel;
    private final ColumnType type;
    private final Storage storage;
    private final Role role;
    final Object data;

    Column(String name, String doc, String nullLabel, ColumnType type, Storage storage,
           Role role, Object data) {
        this.name = name;
        this.doc = doc;
        this.nullLabel = nullLabel;
        this.type = type;
        this.storage = storage;
        this.role = role;
        this.data = data;
    }

    /** snake_case name, unique in its table ("nrr"). */
    public String name() { return name; }

    /** One line: what the column holds and its unit. */
    public String doc() { return doc; }

    /** What the values mean. */
    public ColumnType type() { return type; }

    /** How the C library stores them. */
    public Storage storage() { return storage; }

    /** key, main or detail value. */
    public Role role() { return role; }

    /** The label of the undefined value ("all" for CODE columns), or null. */
    public String nullLabel() { return nullLabel; }

    @Override
    public String toString() {
        return name + " (" + type.name().toLowerCase() + ", " + storage.name().toLowerCase()
            + ", " + role.name().toLowerCase() + ")";
    }
}
