package org.csmetrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The key dictionary (csmetrics/keys.h) for string ids: the labels' dense
 * integer ids (their rank: byte order, or numeric order when every label is
 * a decimal integer) and the labels back for result rows.  Built by the C
 * library, then kept as a Java array of labels by id (the C dictionary is
 * freed at once).
 */
public final class Keys {
    private final String[] labels;

    private Keys(String[] labels) {
        this.labels = labels;
    }

    /** Encode labels (null or "" = no label: id -1); ids[i] gets the id of
     * labels[i]. */
    static Keys encode(String[] labels, long[] ids, String field) {
        Native.required(field, labels);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        long[] offsets = new long[labels.length + 1];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != null) {
                byte[] b = labels[i].getBytes(StandardCharsets.UTF_8);
                blob.write(b, 0, b.length);
            }
            offsets[i + 1] = blob.size();
        }
        long k = CsmNative.keys_encode(blob.toByteArray(), offsets, ids, labels.length);
        try {
            String[] byId = new String[Math.toIntExact(CsmNative.keys_count(k))];
            for (int i = 0; i < byId.length; i++)
                byId[i] = Native.utf8(CsmNative.keys_label(k, i));
            return new Keys(byId);
        } finally {
            CsmNative.keys_free(k);
        }
    }

    /** Ids of labels (each must have one): the int64 id column a family reads. */
    static long[] ids(String[] labels, String field, Keys[] keysOut) {
        long[] ids = new long[labels.length];
        Keys k = encode(labels, ids, field);
        for (int i = 0; i < ids.length; i++)
            if (ids[i] < 0)
                throw new CsmException.MissingValue(9, "EMISSING", i, field,
                    "required value is missing",
                    "EMISSING: row " + i + ", field '" + field + "': required value is missing");
        keysOut[0] = k;
        return ids;
    }

    /** Codes of labels (each must have one): the int32 code column (segment,
     * owner) a family reads; the codes are the labels' ranks. */
    static int[] codes(String[] labels, String field, Keys[] keysOut) {
        long[] ids = ids(labels, field, keysOut);
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++)
            out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    /** Number of distinct labels. */
    public int size() { return labels.length; }

    /** The label of id (the decimal id when it is not in the dictionary). */
    public String label(long id) {
        return id >= 0 && id < labels.length ? labels[(int) id] : Long.toString(id);
    }

    /** The id of label, or -1. */
    public long id(String label) {
        for (int i = 0; i < labels.length; i++)
            if (labels[i].equals(label))
                return i;
        return -1;
    }
}
