package org.csmetrics;

import java.nio.charset.StandardCharsets;

/**
 * A failed libcsmetrics call: the C library's status (csm_status), the
 * 0-based row of the offending input element (or -1), the offending field
 * (or null) and the library's explanation.  The message is the library's
 * csm_error text, e.g. {@code EDOMAIN: row 7, field 'mrr': MRR must be >= 0}.
 * Each status has its subclass; the Java layer's own argument checks (an
 * array shorter than the others) throw {@link InvalidArgument} worded the
 * same way.
 */
public class CsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String status;
    private final long row;
    private final String field;
    private final String detail;

    CsmException(int code, String status, long row, String field, String detail,
                 String text) {
        super(text);
        this.code = code;
        this.status = status;
        this.row = row;
        this.field = field;
        this.detail = detail;
    }

    /** The numeric csm_status (1 = EINVAL, 2 = EDOMAIN, ...). */
    public int code() { return code; }

    /** The status name without prefix ("EINVAL", "EDOMAIN", ...). */
    public String status() { return status; }

    /** The 0-based row of the offending input element, or -1 for none. */
    public long row() { return row; }

    /** The offending parameter, option or column, or null. */
    public String field() { return field; }

    /** The explanation without status, row and field. */
    public String detail() { return detail; }

    /** CSM_EINVAL: a missing or short array, a bad option. */
    public static final class InvalidArgument extends CsmException {
        private static final long serialVersionUID = 1L;
        InvalidArgument(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_EDOMAIN: an input value outside its domain. */
    public static final class Domain extends CsmException {
        private static final long serialVersionUID = 1L;
        Domain(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_ENOMEM: out of memory. */
    public static final class OutOfMemory extends CsmException {
        private static final long serialVersionUID = 1L;
        OutOfMemory(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_EDUP: a duplicate row in strict mode. */
    public static final class Duplicate extends CsmException {
        private static final long serialVersionUID = 1L;
        Duplicate(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_ERANGE: a result or size out of range. */
    public static final class Range extends CsmException {
        private static final long serialVersionUID = 1L;
        Range(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_ENOCONV: a numerical method did not converge. */
    public static final class Convergence extends CsmException {
        private static final long serialVersionUID = 1L;
        Convergence(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_EPARSE: a malformed specification (a scorecard's JSON). */
    public static final class Parse extends CsmException {
        private static final long serialVersionUID = 1L;
        Parse(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_ENOTFOUND: a named item not found. */
    public static final class NotFound extends CsmException {
        private static final long serialVersionUID = 1L;
        NotFound(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    /** CSM_EMISSING: a required value is missing. */
    public static final class MissingValue extends CsmException {
        private static final long serialVersionUID = 1L;
        MissingValue(int c, String s, long r, String f, String d, String t) { super(c, s, r, f, d, t); }
    }

    private static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Called by the JNI wrappers (common.i, csm_java_throw): the exception
     * of a failed status. */
    static CsmException fromStatus(int code, byte[] name, long row, byte[] field,
                                   byte[] msg, byte[] text) {
        String s = utf8(name), f = utf8(field), d = utf8(msg), t = utf8(text);
        switch (code) {
        case 1: return new InvalidArgument(code, s, row, f, d, t);
        case 2: return new Domain(code, s, row, f, d, t);
        case 3: return new OutOfMemory(code, s, row, f, d, t);
        case 4: return new Duplicate(code, s, row, f, d, t);
        case 5: return new Range(code, s, row, f, d, t);
        case 6: return new Convergence(code, s, row, f, d, t);
        case 7: return new Parse(code, s, row, f, d, t);
        case 8: return new NotFound(code, s, row, f, d, t);
        case 9: return new MissingValue(code, s, row, f, d, t);
        default: return new CsmException(code, s, row, f, d, t);
        }
    }

    /** An argument error found by the Java layer, worded as the library's
     * csm_error_set words it ("EINVAL: field 'mrr': ..."). */
    static CsmException invalid(String field, String msg) {
        String text = "EINVAL: " + (field != null ? "field '" + field + "': " : "") + msg;
        return new InvalidArgument(1, "EINVAL", -1, field, msg, text);
    }
}
