/*
 * common.i - the typemaps of the Java interface (csmetrics.i), one
 * generation of them for every family:
 *
 *   csm_error *err        hidden; a failed csm_status throws the
 *                         org.csmetrics.CsmException of the status
 *                         (CsmException.fromStatus builds it from the
 *                         status, row, field, msg and text of the error)
 *   csm_status            not a Java value: the wrapper returns a long
 *                         (0, or the native pointer of the call's `out`
 *                         object or result, below); failure throws
 *   T **out (object)      CSM_JAVA_OBJECT: the returned long is the object
 *                         (a ledger, key dictionary, scorecard); the
 *                         object's own handle type is long everywhere
 *   T **out (table)       CSM_JAVA_TABLE: the returned long is the
 *                         csm_result of the family's typed view; the Java
 *                         layer copies its tables (ResultTable) and frees it
 *   const T *view         CSM_JAVA_VIEW: a csm_result handle passed back
 *                         as the typed view of a computed result (checked
 *                         by csm_result_kind)
 *   arrays                CSM_JAVA_ARRAY: a Java primitive array (null =
 *                         NULL): Get<Type>ArrayElements, which on HotSpot
 *                         copies once into C memory; released without
 *                         copying back (const) or copied back (outputs)
 *   column copies         (T *DST, size_t N): the Java array a column is
 *                         copied into, pinned with GetPrimitiveArrayCritical
 *                         so the column's one copy goes straight into it
 *   text                  csm_java_utf8 (a const char * typedef): returned
 *                         as byte[] (UTF-8, decoded by the Java layer);
 *                         input text (JSON, labels) goes in as byte[] too
 *   option structs        CSM_JAVA_OPTS: a package-private proxy whose
 *                         constructor fills the C defaults (<x>_opts_init)
 *   allocators            hidden, NULL (the library's malloc/free)
 *
 * The Java layer (org.csmetrics) checks array lengths against the count
 * argument before every call (the C functions take one n for several
 * arrays), so a short array is a CsmException, never a read past its end.
 */

%{
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Text returned to Java as UTF-8 bytes (decoded by the Java layer, so any
 * byte string survives, which JNI's modified UTF-8 would not promise). */
typedef const char *csm_java_utf8;

static jbyteArray csm_java_bytes(JNIEnv *jenv, const char *s) {
    jsize n;
    jbyteArray a;
    if (!s)
        return NULL;
    n = (jsize)strlen(s);
    a = (*jenv)->NewByteArray(jenv, n);
    if (a)
        (*jenv)->SetByteArrayRegion(jenv, a, 0, n, (const jbyte *)s);
    return a;
}

/* Throw the CsmException of a failed status: built by the Java layer's
 * CsmException.fromStatus(code, name, row, field, msg, text) (row -1 for
 * none; the strings as UTF-8 bytes), so Java owns the class hierarchy.
 * `e` may be NULL or empty (a function without a csm_error): the text is
 * then the library's for the bare status. */
static void csm_java_throw(JNIEnv *jenv, csm_status st, const csm_error *e) {
    csm_error bare;
    jclass cls;
    jmethodID make;
    jobject ex;
    if ((*jenv)->ExceptionCheck(jenv))
        return;
    if (!e || !e->text[0]) {
        csm_error_set(&bare, st, e ? e->row : CSM_NO_ROW, e ? e->field : NULL,
                      e ? e->msg : NULL);
        e = &bare;
    }
    cls = (*jenv)->FindClass(jenv, "org/csmetrics/CsmException");
    if (!cls)
        return;
    make = (*jenv)->GetStaticMethodID(jenv, cls, "fromStatus",
                                      "(I[BJ[B[B[B)Lorg/csmetrics/CsmException;");
    if (!make)
        return;
    ex = (*jenv)->CallStaticObjectMethod(
        jenv, cls, make, (jint)st, csm_java_bytes(jenv, csm_status_name(st)),
        e->row == CSM_NO_ROW ? (jlong)-1 : (jlong)e->row,
        csm_java_bytes(jenv, e->field),
        csm_java_bytes(jenv, e->msg ? e->msg : csm_strerror(st)),
        csm_java_bytes(jenv, e->text));
    if (ex && !(*jenv)->ExceptionCheck(jenv))
        (*jenv)->Throw(jenv, (jthrowable)ex);
}

/* A failure the bindings find themselves, worded by the library. */
static void csm_java_fail(JNIEnv *jenv, csm_status st, const char *field,
                          const char *msg) {
    csm_error e;
    csm_error_set(&e, st, CSM_NO_ROW, field, msg);
    csm_java_throw(jenv, st, &e);
}
%}

/* The attribute macros of common.h mean nothing to SWIG. */
#define CSM_API
#define CSM_NODISCARD

%include <stdint.i>
%include <typemaps.i>
/* int64_t is C's long on LP64 (SWIGWORDSIZE64, see swig_java.py): a Java
 * long, not SWIG's default int for C long. */
%apply long long { long };
%apply const long long & { const long & };

/* JNIEnv *jenv: the wrapper's own, for the few helpers that build Java
 * values themselves. */
%typemap(in, numinputs=0) JNIEnv *jenv %{ $1 = jenv; %}

/* ---- status and errors -------------------------------------------------- */
%typemap(jni) csm_status "jlong"
%typemap(jtype) csm_status "long"
%typemap(jstype) csm_status "long"
%typemap(javaout) csm_status { return $jnicall; }
%typemap(out) csm_status %{ $result = 0; %}
/* A status without a csm_error (the *_opts_preset helpers): throw with the
 * bare status.  "ret" runs last, after argout and freearg. */
%typemap(ret) csm_status %{
    if (result != CSM_OK)
        csm_java_throw(jenv, result, NULL);
%}
/* csm_error *err: a local; a failure throws with its row, field and text.
 * The exception stays pending while freearg releases the arrays. */
%typemap(in, numinputs=0) csm_error *err (csm_error temp) %{
    csm_error_clear(&temp);
    $1 = &temp;
%}
%typemap(argout) csm_error *err %{
    if (result != CSM_OK)
        csm_java_throw(jenv, result, $1);
%}

/* The bindings use the library's malloc/free wherever a call takes an
 * allocator argument. */
%typemap(in, numinputs=0) const csm_allocator *alloc,
                          const csm_allocator *allocator %{ $1 = NULL; %}

/* ---- text --------------------------------------------------------------- */
typedef const char *csm_java_utf8;
%typemap(jni) csm_java_utf8 "jbyteArray"
%typemap(jtype) csm_java_utf8 "byte[]"
%typemap(jstype) csm_java_utf8 "byte[]"
%typemap(javaout) csm_java_utf8 { return $jnicall; }
%typemap(out) csm_java_utf8 %{ $result = csm_java_bytes(jenv, $1); %}

/* (const char *TEXT, size_t LEN) from a byte[] (UTF-8, not NUL-terminated) */
%typemap(jni) (const char *TEXT, size_t LEN) "jbyteArray"
%typemap(jtype) (const char *TEXT, size_t LEN) "byte[]"
%typemap(jstype) (const char *TEXT, size_t LEN) "byte[]"
%typemap(javain) (const char *TEXT, size_t LEN) "$javainput"
%typemap(in) (const char *TEXT, size_t LEN) %{
    if (!$input) {
        csm_java_fail(jenv, CSM_EINVAL, "$1_name", "must not be null");
        return $null;
    }
    $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    $1 = (char *)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
    if (!$1)
        return $null;
%}
%typemap(freearg) (const char *TEXT, size_t LEN) %{
    if ($1)
        (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
%}

/* ---- arrays -------------------------------------------------------------- */
/* CSM_JAVA_ARRAY(C type, JNI element type, JNI array type, Java type,
 * Get/Release name part): `const CTYPE *` in from JAVATYPE[] (null = NULL),
 * not copied back; `CTYPE *` (an output array the C function fills) copied
 * back on release. */
%define CSM_JAVA_ARRAY(CTYPE, JTYPE, JARRAY, JAVATYPE, NAME)
%typemap(jni) const CTYPE *, CTYPE * "JARRAY"
%typemap(jtype) const CTYPE *, CTYPE * "JAVATYPE[]"
%typemap(jstype) const CTYPE *, CTYPE * "JAVATYPE[]"
%typemap(javain) const CTYPE *, CTYPE * "$javainput"
%typemap(in) const CTYPE *, CTYPE * %{
    $1 = NULL;
    if ($input) {
        $1 = ($1_ltype)(*jenv)->Get##NAME##ArrayElements(jenv, $input, NULL);
        if (!$1)
            return $null;
    }
%}
%typemap(freearg) const CTYPE * %{
    if ($1)
        (*jenv)->Release##NAME##ArrayElements(jenv, $input, (JTYPE *)$1, JNI_ABORT);
%}
%typemap(freearg) CTYPE * %{
    if ($1)
        (*jenv)->Release##NAME##ArrayElements(jenv, $input, (JTYPE *)$1, 0);
%}
/* (CTYPE *DST, size_t N): the Java array a column is copied into */
%typemap(jni) (CTYPE *DST, size_t N) "JARRAY"
%typemap(jtype) (CTYPE *DST, size_t N) "JAVATYPE[]"
%typemap(jstype) (CTYPE *DST, size_t N) "JAVATYPE[]"
%typemap(javain) (CTYPE *DST, size_t N) "$javainput"
%typemap(in) (CTYPE *DST, size_t N) %{
    $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    $1 = ($1_ltype)(*jenv)->GetPrimitiveArrayCritical(jenv, $input, NULL);
    if (!$1)
        return $null;
%}
%typemap(freearg) (CTYPE *DST, size_t N) %{
    (*jenv)->ReleasePrimitiveArrayCritical(jenv, $input, $1, 0);
%}
%enddef

CSM_JAVA_ARRAY(double, jdouble, jdoubleArray, double, Double)
CSM_JAVA_ARRAY(int32_t, jint, jintArray, int, Int)
CSM_JAVA_ARRAY(int64_t, jlong, jlongArray, long, Long)
CSM_JAVA_ARRAY(uint8_t, jbyte, jbyteArray, byte, Byte)
CSM_JAVA_ARRAY(int8_t, jbyte, jbyteArray, byte, Byte)

/* Scalar outputs: a one-element Java array (typemaps.i OUTPUT). */
%apply double *OUTPUT { double *out };
%apply unsigned int *OUTPUT { uint32_t *flags };

/* ---- native objects and results as long handles ------------------------- */
%define CSM_JAVA_HANDLE_TYPE(TYPE)
%typemap(jni) TYPE *, const TYPE * "jlong"
%typemap(jtype) TYPE *, const TYPE * "long"
%typemap(jstype) TYPE *, const TYPE * "long"
%typemap(javain) TYPE *, const TYPE * "$javainput"
%typemap(javaout) TYPE *, const TYPE * { return $jnicall; }
%typemap(in) TYPE *, const TYPE * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%typemap(out) TYPE *, const TYPE * %{ $result = (jlong)(intptr_t)$1; %}
%enddef

/* An opaque object: `TYPE **out` is hidden and the wrapper returns the
 * object as a long; the object goes in as that long. */
%define CSM_JAVA_OBJECT(TYPE)
CSM_JAVA_HANDLE_TYPE(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) %{ $1 = &temp; %}
%typemap(argout) TYPE **out %{
    if (result == CSM_OK)
        jresult = (jlong)(intptr_t)*$1;
%}
%enddef

/* A family's typed view of a csm_result: `TYPE **out` is hidden and the
 * wrapper returns (*out)->result as a long. */
%define CSM_JAVA_TABLE(TYPE)
%ignore TYPE;
%typemap(in, numinputs=0) TYPE **out (TYPE *temp = NULL) %{ $1 = &temp; %}
%typemap(argout) TYPE **out %{
    if (result == CSM_OK)
        jresult = (jlong)(intptr_t)(*$1)->result;
%}
%enddef

/* `const TYPE *NAME` from a csm_result handle of kind KIND: its typed
 * view.  The Java object holding the handle keeps the result alive. */
%define CSM_JAVA_VIEW(TYPE, NAME, KIND)
%typemap(jni) const TYPE *NAME "jlong"
%typemap(jtype) const TYPE *NAME "long"
%typemap(jstype) const TYPE *NAME "long"
%typemap(javain) const TYPE *NAME "$javainput"
%typemap(in) const TYPE *NAME %{
    {
        csm_result *r_ = (csm_result *)(intptr_t)$input;
        if (!r_ || strcmp(csm_result_kind(r_), KIND) != 0) {
            csm_java_fail(jenv, CSM_EINVAL, "$1_name", "expected a \"" KIND "\" result");
            return $null;
        }
        $1 = (TYPE *)csm_result_view(r_);
    }
%}
%enddef

/* ---- option structs ----------------------------------------------------- */
/* A proxy whose constructor fills every field with INITFN (the C
 * defaults, size set); `size` is read-only. */
%define CSM_JAVA_OPTS(TYPE, INITFN)
%immutable TYPE::size;
%ignore TYPE::allocator;
%ignore INITFN;
%extend TYPE {
    TYPE() {
        TYPE *o = (TYPE *)calloc(1, sizeof *o);
        if (o && INITFN(o, sizeof *o) != CSM_OK) { /* not reached */
            free(o);
            o = NULL;
        }
        return o;
    }
    ~TYPE() { free($self); }
}
%enddef
