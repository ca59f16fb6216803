/* test-table.c - result tables (csmetrics/table.h): descriptors derived
 * from a family's column list, the one-block allocation, typed access, and
 * the Arrow C Data Interface export (formats, nulls, month -> date32,
 * release callbacks and lifetimes, children moved out, out of memory).
 *
 * Fixture: the movements of test-ledger.c's hand-worked ledger (total MRR
 * by month 2024-01..06: 700, 450, 300, 340, 690, 690), without segments.
 * Dates: 2024-01-01 is day 19723 since 1970-01-01 (54 years of 365 days
 * = 19710, plus 13 leap days 1972..2020); then +31 (Jan), +29 (Feb 2024),
 * +31, +30, +31: 19754, 19783, 19814, 19844, 19875.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csmetrics/csmetrics.h"
#include "internal/table.h"
#include "oom.h"
#include "tables.h"

#define TOL 1e-9
#define M(k) (csm_month(2024, 1) + (k))

static const int64_t fx_cust[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4,
                                  4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6};
static const int32_t fx_month[] = {0, 1, 2, 3, 4, 5, 0, 1, 1, 2, 4, 5, 0,
                                   4, 5, 0, 0, 1, 2, 3, 4, 5, 3, 4, 5};
static const double fx_mrr[] = {100, 100, 150, 150, 120, 120, 200, 200, 50,
                                50,  80,  80,  300, 300, 300, 40,  60,  100,
                                100, 100, 100, 100, 90,  90,  90};
#define FX_N (sizeof fx_cust / sizeof fx_cust[0])

static csm_ledger *fixture(const csm_allocator *a) {
    int32_t per[FX_N];
    for (size_t i = 0; i < FX_N; i++)
        per[i] = M(fx_month[i]);
    csm_ledger_opts o = CSM_LEDGER_OPTS_INIT;
    o.allocator = a;
    csm_ledger *l = NULL;
    ck_assert_int_eq(
        csm_ledger_new(&l, fx_cust, per, fx_mrr, NULL, FX_N, &o, NULL),
        CSM_OK);
    return l;
}

static csm_movements *movements(const csm_ledger *l) {
    csm_movements *m = NULL;
    ck_assert_int_eq(csm_movements_compute(&m, l, NULL, NULL), CSM_OK);
    return m;
}


/* ---- descriptors --------------------------------------------------------- */
START_TEST(test_descriptors) {
    csm_ledger *l = fixture(NULL);
    csm_movements *m = movements(l);
    ck_assert_ptr_nonnull(m->result);
    ck_assert_str_eq(csm_result_kind(m->result), "movements");
    ck_assert_ptr_eq(csm_result_view(m->result), m);
    ck_assert_uint_eq(csm_result_n_tables(m->result), 1);
    ck_assert_ptr_null(csm_result_table(m->result, 1));
    const csm_table *t = csm_result_table(m->result, 0);
    ck_assert_ptr_eq(csm_result_find(m->result, "movements"), t);
    ck_assert_ptr_null(csm_result_find(m->result, "nope"));
    ck_assert_str_eq(t->name, "movements");
    ck_assert_uint_eq(t->n_rows, 6);
    ck_assert_uint_eq(m->n_rows, 6);
    /* 2 keys + 11 money + 10 counts + 6 rates/ratios/money + flags */
    ck_assert_uint_eq(t->n_columns, 30);
    ck_assert_str_eq(t->columns[0].name, "month");
    ck_assert_int_eq(t->columns[0].type, CSM_TYPE_MONTH);
    ck_assert_int_eq(t->columns[0].storage, CSM_STORAGE_I32);
    ck_assert_int_eq(t->columns[0].role, CSM_ROLE_KEY);
    ck_assert_int_eq(csm_table_find(t, "churn")->role, CSM_ROLE_MAIN);
    ck_assert_int_eq(csm_table_find(t, "flags")->role, CSM_ROLE_DETAIL);
    ck_assert_str_eq(csm_role_name(CSM_ROLE_DETAIL), "detail");
    ck_assert_ptr_eq(t->columns[0].data, m->month);
    /* the column name may differ from the C member: "new" is new_mrr */
    const csm_column *c = csm_table_find(t, "new");
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_eq(c->data, m->new_mrr);
    ck_assert_int_eq(c->type, CSM_TYPE_MONEY);
    ck_assert_ptr_eq(csm_table_find(t, "customers")->data,
                     m->closing_customers);
    ck_assert_ptr_null(csm_table_find(t, "new_mrr"));
    /* every column has a description and its data */
    for (size_t i = 0; i < t->n_columns; i++) {
        ck_assert_ptr_nonnull(t->columns[i].data);
        ck_assert_int_gt(strlen(t->columns[i].doc), 5);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(t->columns[i].name, t->columns[j].name);
    }
    /* typed access: closing MRR by month from the fixture's comment */
    const double closing[] = {700, 450, 300, 340, 690, 690};
    const csm_column *cm = csm_table_find(t, "closing_mrr");
    const csm_column *cu = csm_table_find(t, "customers");
    const csm_column *cr = csm_table_find(t, "customer_churn_rate");
    const csm_column *sg = csm_table_find(t, "segment");
    for (size_t i = 0; i < 6; i++) {
        ck_assert_double_eq_tol(csm_column_double(cm, i), closing[i], TOL);
        ck_assert_double_eq_tol(m->closing_mrr[i], closing[i], TOL);
    }
    /* customers: 4, 4, 3, 3, 5, 5 */
    ck_assert_int_eq(csm_column_int64(cu, 2), 3);
    ck_assert_double_eq_tol(csm_column_double(cu, 4), 5, TOL);
    /* month 0 has no customers before it: churn rate undefined */
    ck_assert_int_eq(csm_column_is_valid(cr, 0), 0);
    ck_assert(isnan(csm_column_double(cr, 0)));
    /* month 1: B? no - D churned (1 of 4 customers at M0) */
    ck_assert_int_eq(csm_column_is_valid(cr, 1), 1);
    ck_assert_double_eq_tol(csm_column_double(cr, 1), 0.25, TOL);
    /* not by segment: the segment is the "all" code, undefined */
    ck_assert_int_eq(csm_column_is_valid(sg, 0), 0);
    ck_assert_int_eq(csm_column_int64(sg, 0), 0);
    /* null labels: "all" for CODE columns, none for the others */
    ck_assert_str_eq(sg->null_label, "all");
    ck_assert_ptr_null(cm->null_label);
    ck_assert_ptr_null(t->columns[0].null_label);
    ck_assert_int_eq(csm_code_all(), CSM_CODE_ALL);
    ck_assert_str_eq(csm_type_name(CSM_TYPE_FRACTION), "fraction");
    ck_assert_str_eq(csm_storage_name(CSM_STORAGE_F64), "f64");
    ck_assert_uint_eq(csm_storage_size(CSM_STORAGE_I64), 8);
    ck_assert_str_eq(csm_type_name((csm_type)99), "unknown");
    csm_movements_free(m);
    csm_ledger_free(l);
}
END_TEST


START_TEST(test_arrow_movements) {
    csm_ledger *l = fixture(NULL);
    csm_movements *m = movements(l);
    const csm_table *t = csm_result_table(m->result, 0);
    struct ArrowSchema s;
    struct ArrowArray a;
    csm_error e;
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, m->result, t, &e),
                     CSM_OK);
    ck_assert_str_eq(s.format, "+s");
    ck_assert_str_eq(s.name, "movements");
    ck_assert_int_eq(s.n_children, 30);
    ck_assert_str_eq(s.children[0]->format, "tdD");
    ck_assert_str_eq(s.children[0]->name, "month");
    ck_assert_str_eq(arrow_md_value(s.children[0]->metadata, "csm.type"), "month");
    ck_assert_str_eq(arrow_md_value(s.children[0]->metadata, "csm.role"), "key");
    ck_assert_str_eq(arrow_md_value(s.children[8]->metadata, "csm.role"), "detail");
    ck_assert_int_eq(s.children[0]->flags, ARROW_FLAG_NULLABLE);
    ck_assert_str_eq(s.children[1]->format, "i");
    ck_assert_str_eq(s.children[3]->name, "new");
    ck_assert_str_eq(s.children[3]->format, "g");
    ck_assert_str_eq(arrow_md_value(s.children[3]->metadata, "csm.type"), "money");
    ck_assert_str_eq(s.children[14]->name, "customers");
    ck_assert_str_eq(s.children[14]->format, "l");
    ck_assert_str_eq(s.children[29]->format, "I");

    ck_assert_int_eq(a.length, 6);
    ck_assert_int_eq(a.n_children, 30);
    ck_assert_int_eq(a.n_buffers, 1);
    ck_assert_ptr_null(a.buffers[0]);
    /* months as dates (header comment) */
    const int32_t days[] = {19723, 19754, 19783, 19814, 19844, 19875};
    const struct ArrowArray *mo = a.children[0];
    ck_assert_int_eq(mo->null_count, 0);
    ck_assert_ptr_null(mo->buffers[0]);
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(((const int32_t *)mo->buffers[1])[i], days[i]);
    ck_assert_int_eq(csm_day(2024, 6, 1), 19875);
    /* the "all segments" code is null in every row */
    ck_assert_int_eq(a.children[1]->null_count, 6);
    for (int i = 0; i < 6; i++)
        ck_assert(!arrow_bit(a.children[1]->buffers[0], (size_t)i));
    /* money is zero-copy */
    ck_assert_ptr_eq(a.children[12]->buffers[1], m->closing_mrr);
    ck_assert_ptr_null(a.children[12]->buffers[0]);
    /* customer churn rate: row 0 undefined (no customers before M0) */
    const struct ArrowArray *cr = a.children[23];
    ck_assert_str_eq(s.children[23]->name, "customer_churn_rate");
    ck_assert_int_eq(cr->null_count, 1);
    ck_assert(!arrow_bit(cr->buffers[0], 0));
    ck_assert(arrow_bit(cr->buffers[0], 1));
    ck_assert_double_eq_tol(((const double *)cr->buffers[1])[1], 0.25, TOL);

    /* a second owner's reference keeps the block after the first frees */
    ck_assert_ptr_eq(csm_result_ref(m->result), m->result);
    ck_assert_ptr_null(csm_result_ref(NULL));
    csm_result_free(m->result);
    ck_assert_double_eq_tol(m->closing_mrr[5], 690, TOL);
    /* the caller frees first: the export keeps the data alive (ASan and
     * valgrind check the reads below) */
    csm_movements_free(m);
    csm_ledger_free(l);
    const double *closing = a.children[12]->buffers[1];
    ck_assert_double_eq_tol(closing[3], 340, TOL);
    /* a consumer moves one child out, then releases the parent */
    struct ArrowArray kept = *a.children[12];
    a.children[12]->release = NULL;
    a.release(&a);
    ck_assert(a.release == NULL);
    ck_assert_double_eq_tol(((const double *)kept.buffers[1])[5], 690, TOL);
    kept.release(&kept);
    ck_assert(kept.release == NULL);
    struct ArrowSchema ks = *s.children[3];
    s.children[3]->release = NULL;
    s.release(&s);
    ck_assert_str_eq(ks.name, "new");
    ks.release(&ks);
}
END_TEST

START_TEST(test_arrow_only_one_side) {
    csm_ledger *l = fixture(NULL);
    csm_movements *m = movements(l);
    const csm_table *t = csm_result_table(m->result, 0);
    struct ArrowArray a;
    ck_assert_int_eq(csm_table_export_arrow(NULL, &a, m->result, t, NULL),
                     CSM_OK);
    struct ArrowSchema s;
    ck_assert_int_eq(csm_table_export_arrow(&s, NULL, m->result, t, NULL),
                     CSM_OK);
    s.release(&s);
    a.release(&a);
    /* a table that is not the result's */
    csm_movements *m2 = movements(l);
    csm_error e;
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, m2->result, t, &e),
                     CSM_EINVAL);
    ck_assert_str_eq(e.field, "table");
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, NULL, t, &e), CSM_EINVAL);
    csm_movements_free(m);
    csm_movements_free(m2);
    csm_ledger_free(l);
}
END_TEST

/* Every allocation of a computation plus an export fails in turn: each
 * failure is reported, nothing leaks, and the outputs are untouched. */
START_TEST(test_arrow_oom) {
    int done = 0;
    for (long budget = 0; !done && budget < 200; budget++) {
        fail_ctx f = {-1, 0};
        csm_allocator a = {fail_alloc, fail_free, &f, NULL};
        csm_ledger *l = fixture(&a);
        csm_movements *m = movements(l);
        f.budget = budget;
        struct ArrowSchema s = {0};
        struct ArrowArray arr = {0};
        csm_status st = csm_table_export_arrow(
            &s, &arr, m->result, csm_result_table(m->result, 0), NULL);
        if (st == CSM_OK) {
            done = 1;
            ck_assert_int_gt(budget, 30); /* a block per child at least */
            csm_movements_free(m);
            arr.release(&arr);
            s.release(&s);
        } else {
            ck_assert_int_eq(st, CSM_ENOMEM);
            ck_assert(s.release == NULL);
            ck_assert(arr.release == NULL);
            csm_movements_free(m);
        }
        csm_ledger_free(l);
        ck_assert_int_eq(f.live, 0);
    }
    ck_assert(done);
}
END_TEST

/* A table with text, bool, day and id columns, made with the internal
 * allocator (no family has all of them). */
typedef struct demo_view {
    csm_result *result;
    const char **label;
    uint8_t *ok;
    int32_t *day;
    int64_t *id;
    int32_t *month;
} demo_view;

#define DEMO_COLUMNS(X)                                                        \
    X(label, "label", TEXT, STR, MAIN, "a label")                              \
    X(ok, "ok", BOOL, U8, MAIN, "a yes/no answer")                             \
    X(day, "day", DAY, I32, DETAIL, "a day")                                   \
    X(id, "id", ID, I64, KEY, "an id")                                         \
    X(month, "month", MONTH, I32, KEY, "a month")
#define COL(m, n, ty, st, r, d) CSM__COLDEF(demo_view, m, n, ty, st, r, d)
static const csm__coldef demo_cols[] = {DEMO_COLUMNS(COL)};
#undef COL

START_TEST(test_arrow_text_bool) {
    csm__tabspec spec = {"demo", demo_cols, CSM__NCOLS(demo_cols), 10};
    demo_view *v =
        csm__result_new(NULL, "demo", sizeof *v, &spec, 1, NULL, 0, 64);
    ck_assert_ptr_nonnull(v);
    const char *words[] = {"alpha", NULL, "", "Mid-Market", "\xc3\xa9t\xc3\xa9"};
    for (size_t i = 0; i < 10; i++) {
        v->label[i] = i < 5 && words[i] ? csm__result_text(v, words[i]) : NULL;
        v->ok[i] = (uint8_t)(i % 3 == 0);
        v->day[i] = (int32_t)i - 3;
        v->id[i] = (int64_t)i * 1000000007;
        v->month[i] = i == 9 ? CSM_MONTH_NONE : csm_month(1969, 12) + (int32_t)i;
    }
    /* the pool holds 64 bytes: "alpha" "" "Mid-Market" "été" = 6+1+11+6 */
    ck_assert_ptr_null(csm__result_text(v, "0123456789012345678901234567890123456789012345"));
    csm__result_set_rows(v, 0, 9);
    csm__result_set_rows(v, 0, 12); /* more than allocated: ignored */
    const csm_table *t = csm_result_table(v->result, 0);
    ck_assert_uint_eq(t->n_rows, 9);
    struct ArrowSchema s;
    struct ArrowArray a;
    ck_assert_int_eq(csm_table_export_arrow(&s, &a, v->result, t, NULL),
                     CSM_OK);
    ck_assert_str_eq(s.children[0]->format, "u");
    ck_assert_str_eq(s.children[1]->format, "b");
    ck_assert_str_eq(s.children[2]->format, "tdD");
    ck_assert_str_eq(s.children[3]->format, "l");
    ck_assert_int_eq(a.length, 9);
    /* text: offsets 0,5,5,5,15,20,20,20,20,20 ("été" is 5 bytes) */
    const struct ArrowArray *tx = a.children[0];
    ck_assert_int_eq(tx->n_buffers, 3);
    ck_assert_int_eq(tx->null_count, 5); /* rows 1 and 5..8 */
    const int32_t *off = tx->buffers[1];
    const int32_t want[] = {0, 5, 5, 5, 15, 20, 20, 20, 20, 20};
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(off[i], want[i]);
    ck_assert(memcmp((const char *)tx->buffers[2] + 5, "Mid-Market", 10) == 0);
    ck_assert(arrow_bit(tx->buffers[0], 2) && !arrow_bit(tx->buffers[0], 1));
    /* bool bit-packed: rows 0, 3, 6 -> bits 0, 3, 6 = 0x49 */
    ck_assert_uint_eq(((const uint8_t *)a.children[1]->buffers[1])[0], 0x49);
    ck_assert_uint_eq(((const uint8_t *)a.children[1]->buffers[1])[1] & 1, 0);
    /* days zero-copy, including negative days */
    ck_assert_ptr_eq(a.children[2]->buffers[1], v->day);
    /* months from 1969-12: day -31, then 0 (1970-01-01), 31 ... */
    const int32_t *md = a.children[4]->buffers[1];
    ck_assert_int_eq(md[0], -31);
    ck_assert_int_eq(md[1], 0);
    ck_assert_int_eq(md[2], 31);
    ck_assert_int_eq(a.children[4]->null_count, 0); /* row 9 is cut off */
    csm_result_free(v->result);
    a.release(&a);
    s.release(&s);
}
END_TEST

START_TEST(test_overflow_and_empty) {
    /* sizes that overflow are refused, not wrapped */
    csm__tabspec big = {"big", demo_cols, CSM__NCOLS(demo_cols),
                        SIZE_MAX / 4};
    ck_assert_ptr_null(csm__result_new(NULL, "big", sizeof(demo_view), &big,
                                       1, NULL, 0, 0));
    /* an empty table exports a 0-length array with valid buffers */
    csm__tabspec none = {"none", demo_cols, CSM__NCOLS(demo_cols), 0};
    demo_view *v =
        csm__result_new(NULL, "none", sizeof *v, &none, 1, NULL, 0, 0);
    ck_assert_ptr_nonnull(v);
    struct ArrowArray a;
    ck_assert_int_eq(csm_table_export_arrow(NULL, &a, v->result,
                                            csm_result_table(v->result, 0),
                                            NULL),
                     CSM_OK);
    ck_assert_int_eq(a.length, 0);
    ck_assert_int_eq(((const int32_t *)a.children[0]->buffers[1])[0], 0);
    a.release(&a);
    csm_result_free(v->result);
    /* months whose first day is no int32 day are undefined (null):
     * 5000000-01-01 is day 365 x 4998030 + 1212022 leap days (years
     * 1970..4999999: 1212499 - 477) = 1825492972; 6000000-01 is past
     * INT32_MAX days */
    csm__tabspec three = {"far", demo_cols, CSM__NCOLS(demo_cols), 3};
    v = csm__result_new(NULL, "far", sizeof *v, &three, 1, NULL, 0, 0);
    v->month[0] = csm_month(5000000, 1);
    v->month[1] = csm_month(6000000, 1);
    v->month[2] = INT32_MAX;
    const csm_column *mc = csm_table_find(csm_result_table(v->result, 0), "month");
    ck_assert_int_eq(csm_column_is_valid(mc, 0), 1);
    ck_assert_int_eq(csm_column_is_valid(mc, 1), 0);
    ck_assert_int_eq(csm_column_is_valid(mc, 2), 0);
    ck_assert_int_eq(csm_table_export_arrow(NULL, &a, v->result,
                                            csm_result_table(v->result, 0),
                                            NULL),
                     CSM_OK);
    ck_assert_int_eq(a.children[4]->null_count, 2);
    ck_assert_int_eq(((const int32_t *)a.children[4]->buffers[1])[0],
                     1825492972);
    ck_assert(arrow_bit(a.children[4]->buffers[0], 0));
    ck_assert(!arrow_bit(a.children[4]->buffers[0], 1));
    a.release(&a);
    csm_result_free(v->result);
    csm_result_free(NULL);
    ck_assert_uint_eq(csm_result_n_tables(NULL), 0);
    ck_assert_ptr_null(csm_table_find(NULL, "x"));
    ck_assert(isnan(csm_column_double(NULL, 0)));
}
END_TEST

static Suite *table_suite(void) {
    Suite *s = suite_create("table");
    TCase *tc = tcase_create("descriptors");
    tcase_add_test(tc, test_descriptors);
    suite_add_tcase(s, tc);
    tc = tcase_create("arrow");
    tcase_add_test(tc, test_arrow_movements);
    tcase_add_test(tc, test_arrow_only_one_side);
    tcase_add_test(tc, test_arrow_text_bool);
    suite_add_tcase(s, tc);
    tc = tcase_create("edge");
    tcase_add_test(tc, test_arrow_oom);
    tcase_add_test(tc, test_overflow_and_empty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(table_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
