/* C tests for the risk scores: Charlson, Elixhauser and HFRS over parallel arrays and the
 * Arrow C Data Interface; LACE, HOSPITAL and eFI bands; rejects, NULL arguments and bad enum
 * values.
 *
 * Expected values come from the worked examples of core/data/risk/risk_examples.csv
 * (E02, E06, E07; the columns charlson1987_with_age, charlson_quan2011, elixhauser_vw2009,
 * hfrs) and from the LACE, HOSPITAL and eFI point tables (DOMAIN.md 2.9, 2.13, 2.14). */
#include <stdint.h>
#include <stdlib.h>
#include "carecoord.h"
#include "harness.h"

#define STR(lit) {(lit), sizeof(lit) - 1}
#define NULL_STR {NULL, 0}

/* The bit of category `name` in a result, or -1. */
static int bit_of(const carecoord_risk_result *r, const char *name) {
    char buf[16];
    size_t n = 0;
    for (size_t b = 0; b < carecoord_risk_result_categories(r); b++) {
        if (carecoord_risk_result_category_name(r, b, buf, sizeof buf, &n) == CARECOORD_RESULT_OK &&
            strcmp(buf, name) == 0)
            return (int)b;
    }
    return -1;
}

/* The mask of one word-sized set of named categories. */
static uint64_t mask_of(const carecoord_risk_result *r, const char **names, int n) {
    uint64_t m = 0;
    for (int i = 0; i < n; i++) {
        int b = bit_of(r, names[i]);
        CHECK(b >= 0 && b < 64);
        if (b >= 0 && b < 64) m |= 1ULL << b;
    }
    return m;
}

/* Worked examples E02, E07 and E06, one patient each, interleaved in one call. Rows:
 *  0 E07 B201   1 E02 I214   2 E07 F321   3 E02 I500   4 E06 F050   5 E02 E119
 *  6 E07 F112   7 E06 F051   8 E02 I251   9 E06 F059  10 E06 R296  11 E06 R298 */
static const carecoord_str PATIENTS[12] = {
    STR("E07"), STR("E02"), STR("E07"), STR("E02"), STR("E06"), STR("E02"),
    STR("E07"), STR("E06"), STR("E02"), STR("E06"), STR("E06"), STR("E06"),
};
static const carecoord_str CODES[12] = {
    STR("B201"), STR("I214"), STR("F321"), STR("I500"), STR("F050"), STR("E119"),
    STR("F112"), STR("F051"), STR("I251"), STR("F059"), STR("R296"), STR("R298"),
};
/* Patients in order of first appearance: E07, E02, E06. */
#define P_E07 0
#define P_E02 1
#define P_E06 2

static void scores_of(const carecoord_risk_result *r, int32_t out[3]) {
    CHECK_EQ_INT(carecoord_risk_result_patients(r), 3);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, out, 3), CARECOORD_RESULT_OK);
}

static void test_charlson(void) {
    carecoord_risk_result *r = NULL;
    int32_t s[3] = {0, 0, 0};

    /* Charlson 1987 without age: E07 AIDS 6; E02 MI + CHF + diabetes 3; E06 dementia 1. */
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 12, CARECOORD_CHARLSON_WEIGHTS_CHARLSON1987, NULL, &r),
                 CARECOORD_RESULT_OK);
    scores_of(r, s);
    CHECK_EQ_INT(s[P_E07], 6);
    CHECK_EQ_INT(s[P_E02], 3);
    CHECK_EQ_INT(s[P_E06], 1);

    /* first_rows maps each patient back to the caller's rows. */
    uint64_t first[3] = {99, 99, 99};
    CHECK_EQ_INT(carecoord_risk_result_first_rows(r, first, 3), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(first[P_E07], 0);
    CHECK_EQ_INT(first[P_E02], 1);
    CHECK_EQ_INT(first[P_E06], 4);
    CHECK(memcmp(PATIENTS[first[P_E02]].ptr, "E02", 3) == 0);

    /* Counts: nothing rejected. */
    CHECK_EQ_INT(carecoord_risk_result_rows_in(r), 12);
    CHECK_EQ_INT(carecoord_risk_result_rows_scored(r), 12);
    CHECK_EQ_INT(carecoord_risk_result_rows_excluded(r), 0);
    CHECK_EQ_INT(carecoord_risk_result_rows_rejected(r), 0);

    /* Flags in table order: 17 Charlson categories, mi first; E02 has chf, diab, mi. */
    CHECK_EQ_INT(carecoord_risk_result_categories(r), 17);
    char name[16];
    size_t len = 0;
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 0, name, sizeof name, &len), CARECOORD_RESULT_OK);
    CHECK(strcmp(name, "mi") == 0);
    CHECK_EQ_INT(len, 2);
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 17, name, sizeof name, &len), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 0, name, 2, &len), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(len, 2);
    uint64_t mask = 0;
    CHECK_EQ_INT(carecoord_risk_result_flags(r, P_E02, &mask, 1), CARECOORD_RESULT_OK);
    const char *e02[] = {"chf", "diab", "mi"};
    CHECK_EQ_INT(mask, mask_of(r, e02, 3));
    CHECK_EQ_INT(carecoord_risk_result_flags(r, P_E07, &mask, 1), CARECOORD_RESULT_OK);
    const char *e07[] = {"aids"};
    CHECK_EQ_INT(mask, mask_of(r, e07, 1));
    mask = 42;
    CHECK_EQ_INT(carecoord_risk_result_flags(r, 3, &mask, 1), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_flags(r, 0, &mask, 0), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(mask, 42); /* no partial success */

    /* Too small an output array: nothing written. */
    int32_t two[2] = {7, 7};
    CHECK_EQ_INT(carecoord_risk_result_scores(r, two, 2), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK(two[0] == 7 && two[1] == 7);
    carecoord_risk_result_free(r);

    /* Quan 2011: E02 2, E07 4 (AIDS weighs 4, not 6). */
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 12, CARECOORD_CHARLSON_WEIGHTS_QUAN2011, NULL, &r),
                 CARECOORD_RESULT_OK);
    scores_of(r, s);
    CHECK_EQ_INT(s[P_E02], 2);
    CHECK_EQ_INT(s[P_E07], 4);
    CHECK_EQ_INT(s[P_E06], 2);
    carecoord_risk_result_free(r);

    /* SHMI weights run (an approximation of SHMI). */
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 12, CARECOORD_CHARLSON_WEIGHTS_SHMI, NULL, &r),
                 CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_patients(r), 3);
    carecoord_risk_result_free(r);

    /* With ages (charlson1987_with_age): E07 38 -> 6, E02 72 -> 6, E06 78 -> 4. */
    int32_t ages[12];
    for (int i = 0; i < 12; i++) {
        const char *p = PATIENTS[i].ptr;
        ages[i] = p[2] == '7' ? 38 : p[2] == '2' ? 72 : 78;
    }
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 12, CARECOORD_CHARLSON_WEIGHTS_CHARLSON1987, ages, &r),
                 CARECOORD_RESULT_OK);
    scores_of(r, s);
    CHECK_EQ_INT(s[P_E07], 6);
    CHECK_EQ_INT(s[P_E02], 6);
    CHECK_EQ_INT(s[P_E06], 4);
    carecoord_risk_result_free(r);

    /* A negative age rejects its row; a patient with no usable age has an unknown score. */
    carecoord_str p2[3] = {STR("a"), STR("b"), STR("b")};
    carecoord_str c2[3] = {STR("I21.4"), STR("I21.4"), STR("E11.9")};
    int32_t a2[3] = {-1, 80, 80};
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_charlson(p2, c2, 3, CARECOORD_CHARLSON_WEIGHTS_CHARLSON1987, a2, &r), CARECOORD_RESULT_OK);
    int32_t s2[2];
    CHECK_EQ_INT(carecoord_risk_result_scores(r, s2, 2), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s2[0], CARECOORD_RISK_SCORE_UNKNOWN);
    CHECK_EQ_INT(s2[1], 6); /* MI 1 + diabetes 1 + age 4 */
    CHECK_EQ_INT(carecoord_risk_result_rows_rejected(r), 1);
    uint64_t row = 99;
    char reason[32];
    CHECK_EQ_INT(carecoord_risk_result_reject(r, 0, &row, reason, sizeof reason, &len), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(row, 0);
    CHECK(strcmp(reason, "negative_age") == 0);
    carecoord_risk_result_free(r);
}

static void test_elixhauser_hfrs(void) {
    carecoord_risk_result *r = NULL;
    int32_t s[3] = {0, 0, 0};

    /* van Walraven: E02 7; E07 -10 (negative kept); E06 0. */
    CHECK_EQ_INT(carecoord_risk_elixhauser(PATIENTS, CODES, 12, &r), CARECOORD_RESULT_OK);
    scores_of(r, s);
    CHECK_EQ_INT(s[P_E02], 7);
    CHECK_EQ_INT(s[P_E07], -10);
    CHECK_EQ_INT(s[P_E06], 0);
    CHECK_EQ_INT(carecoord_risk_result_categories(r), 31);
    uint64_t mask = 0;
    CHECK_EQ_INT(carecoord_risk_result_flags(r, P_E02, &mask, 1), CARECOORD_RESULT_OK);
    const char *e02[] = {"chf", "diabunc"};
    CHECK_EQ_INT(mask, mask_of(r, e02, 2));
    CHECK_EQ_INT(carecoord_risk_result_flags(r, P_E07, &mask, 1), CARECOORD_RESULT_OK);
    const char *e07[] = {"aids", "depre", "drug"};
    CHECK_EQ_INT(mask, mask_of(r, e07, 3));
    carecoord_risk_result_free(r);

    /* HFRS in tenths: E06 6.8 (F05 and R29 each counted once), E02 0.0, E07 0.5. */
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_hfrs(PATIENTS, CODES, 12, &r), CARECOORD_RESULT_OK);
    scores_of(r, s);
    CHECK_EQ_INT(s[P_E06], 68);
    CHECK_EQ_INT(s[P_E02], 0);
    CHECK_EQ_INT(s[P_E07], 5);
    /* 109 groups: two mask words; F00 is bit 0. */
    CHECK_EQ_INT(carecoord_risk_result_categories(r), 109);
    char name[16];
    size_t len = 0;
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 0, name, sizeof name, &len), CARECOORD_RESULT_OK);
    CHECK(strcmp(name, "F00") == 0);
    uint64_t words[2] = {0, 0};
    CHECK_EQ_INT(carecoord_risk_result_flags(r, P_E06, words, 1), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(carecoord_risk_result_flags(r, P_E06, words, 2), CARECOORD_RESULT_OK);
    int f05 = bit_of(r, "F05"), r29 = bit_of(r, "R29");
    CHECK(f05 >= 0 && r29 >= 0);
    uint64_t want[2] = {0, 0};
    if (f05 >= 0) want[f05 / 64] |= 1ULL << (f05 % 64);
    if (r29 >= 0) want[r29 / 64] |= 1ULL << (r29 % 64);
    CHECK_EQ_INT(words[0], want[0]);
    CHECK_EQ_INT(words[1], want[1]);
    carecoord_risk_result_free(r);
}

static void test_rejects(void) {
    /* Rows: 0 ok, 1 malformed code, 2 NULL code, 3 NULL patient, 4 ok (second patient). */
    carecoord_str p[5] = {STR("p1"), STR("p1"), STR("p1"), NULL_STR, STR("p2")};
    carecoord_str c[5] = {STR("I50.0"), STR("I2.14"), NULL_STR, STR("I21.4"), STR("I21.4")};
    carecoord_risk_result *r = NULL;
    CHECK_EQ_INT(carecoord_risk_charlson(p, c, 5, CARECOORD_CHARLSON_WEIGHTS_CHARLSON1987, NULL, &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_patients(r), 2);
    CHECK_EQ_INT(carecoord_risk_result_rows_in(r), 5);
    CHECK_EQ_INT(carecoord_risk_result_rows_scored(r), 2);
    CHECK_EQ_INT(carecoord_risk_result_rows_rejected(r), 3);
    CHECK_EQ_INT(carecoord_risk_result_rows_in(r),
                 carecoord_risk_result_rows_scored(r) + carecoord_risk_result_rows_excluded(r) +
                     carecoord_risk_result_rows_rejected(r));
    int32_t s[2];
    CHECK_EQ_INT(carecoord_risk_result_scores(r, s, 2), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s[0], 1); /* CHF */
    CHECK_EQ_INT(s[1], 1); /* MI */
    uint64_t first[2];
    CHECK_EQ_INT(carecoord_risk_result_first_rows(r, first, 2), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(first[0], 0);
    CHECK_EQ_INT(first[1], 4);

    const char *reasons[3] = {"misplaced_dot", "null_code", "null_patient"};
    for (size_t i = 0; i < 3; i++) {
        uint64_t row = 99;
        char buf[32];
        size_t len = 0;
        CHECK_EQ_INT(carecoord_risk_result_reject(r, i, &row, buf, sizeof buf, &len), CARECOORD_RESULT_OK);
        CHECK_EQ_INT(row, i + 1);
        CHECK(strcmp(buf, reasons[i]) == 0);
        CHECK_EQ_INT(len, strlen(reasons[i]));
    }
    uint64_t row = 99;
    char tiny[4];
    size_t len = 0;
    CHECK_EQ_INT(carecoord_risk_result_reject(r, 0, &row, tiny, sizeof tiny, &len), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(len, 13);
    CHECK_EQ_INT(row, 99); /* no partial success */
    CHECK_EQ_INT(carecoord_risk_result_reject(r, 3, &row, tiny, sizeof tiny, &len), CARECOORD_RESULT_INVALID_ARGUMENT);
    carecoord_risk_result_free(r);

    /* An entry that is not UTF-8 fails the call; *out is untouched. */
    carecoord_str bad[1] = {{"\xff", 1}};
    carecoord_risk_result *keep = (carecoord_risk_result *)&row;
    r = keep;
    CHECK_EQ_INT(carecoord_risk_hfrs(p, bad, 1, &r), CARECOORD_RESULT_INVALID_UTF8);
    CHECK(r == keep);

    /* No rows: no patients. */
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_elixhauser(NULL, NULL, 0, &r), CARECOORD_RESULT_OK);
    CHECK(r != NULL);
    CHECK_EQ_INT(carecoord_risk_result_patients(r), 0);
    CHECK_EQ_INT(carecoord_risk_result_rows_in(r), 0);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, NULL, 0), CARECOORD_RESULT_OK);
    carecoord_risk_result_free(r);
}

static void test_null_and_enums(void) {
    carecoord_risk_result *r = NULL;
    CHECK_EQ_INT(carecoord_risk_charlson(NULL, CODES, 1, 0, NULL, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, NULL, 1, 0, NULL, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 1, 0, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_elixhauser(NULL, CODES, 1, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_elixhauser(PATIENTS, NULL, 1, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_elixhauser(PATIENTS, CODES, 1, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_hfrs(NULL, CODES, 1, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_hfrs(PATIENTS, NULL, 1, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_hfrs(PATIENTS, CODES, 1, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(r == NULL);

    /* Unknown weights. */
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 1, 3, NULL, &r), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(r == NULL);
    size_t need = carecoord_last_error_length();
    char msg[256];
    size_t n = 0;
    CHECK(need > 1 && need <= sizeof msg);
    CHECK_EQ_INT(carecoord_last_error_message(msg, sizeof msg, &n), CARECOORD_RESULT_OK);
    CHECK(strstr(msg, "weights") != NULL);

    /* Accessors on NULL. */
    int32_t s[1];
    uint64_t u[1];
    char buf[16];
    size_t len;
    CHECK_EQ_INT(carecoord_risk_result_patients(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_result_rows_in(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_result_rows_scored(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_result_rows_excluded(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_result_rows_rejected(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_result_categories(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_result_scores(NULL, s, 1), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_first_rows(NULL, u, 1), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_flags(NULL, 0, u, 1), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_category_name(NULL, 0, buf, sizeof buf, &len), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_reject(NULL, 0, u, buf, sizeof buf, &len), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_risk_result_free(NULL);

    /* NULL outputs on a live handle. */
    CHECK_EQ_INT(carecoord_risk_charlson(PATIENTS, CODES, 12, 0, NULL, &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, NULL, 3), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_first_rows(r, NULL, 3), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_flags(r, 0, NULL, 1), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 0, buf, sizeof buf, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 0, NULL, sizeof buf, &len), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_risk_result_free(r);

    /* Scalars. */
    CHECK_EQ_INT(carecoord_risk_lace(5, true, 2, 1, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_hospital_input in = {13.0, false, 140.0, false, false, 0, 0};
    carecoord_hospital_score hs;
    CHECK_EQ_INT(carecoord_risk_hospital(NULL, &hs), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_hospital(&in, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_efi_score es = {99, 0.0, 99, 99};
    CHECK_EQ_INT(carecoord_risk_efi_band(12, CARECOORD_EFI_BANDING_CLEGG2016, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_efi_band(12, 2, &es), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(es.deficits, 99);

    /* Result names of the risk block. */
    CHECK(strcmp(carecoord_result_name(400), "CARECOORD_RESULT_RISK_MISSING_COLUMN") == 0);
    CHECK(strcmp(carecoord_result_name(402), "CARECOORD_RESULT_RISK_INVALID_OPTION") == 0);
    CHECK(strcmp(carecoord_result_name(405), "CARECOORD_RESULT_RISK_ARROW") == 0);
}

/* ---- Arrow: a struct array (one record batch) of utf8 children, built by hand. ---- */

static void release_utf8(struct ArrowArray *a) {
    free((void *)a->buffers[0]);
    free((void *)a->buffers[1]);
    free((void *)a->buffers[2]);
    free(a->buffers);
    a->release = NULL;
}

/* A utf8 array; a NULL value is a null. */
static void make_utf8(struct ArrowArray *a, const char **vals, int64_t n) {
    int32_t *offsets = malloc(sizeof(int32_t) * (size_t)(n + 1));
    uint8_t *validity = calloc((size_t)(n + 7) / 8 + 1, 1);
    size_t total = 0;
    int64_t nulls = 0;
    for (int64_t i = 0; i < n; i++) total += vals[i] ? strlen(vals[i]) : 0;
    char *data = malloc(total ? total : 1);
    offsets[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        size_t l = vals[i] ? strlen(vals[i]) : 0;
        if (vals[i]) {
            memcpy(data + offsets[i], vals[i], l);
            validity[i / 8] |= (uint8_t)(1u << (i % 8));
        } else {
            nulls++;
        }
        offsets[i + 1] = offsets[i] + (int32_t)l;
    }
    const void **buffers = malloc(sizeof(void *) * 3);
    buffers[0] = validity;
    buffers[1] = offsets;
    buffers[2] = data;
    memset(a, 0, sizeof *a);
    a->length = n;
    a->null_count = nulls;
    a->n_buffers = 3;
    a->buffers = buffers;
    a->release = release_utf8;
}

static void release_struct(struct ArrowArray *a) {
    for (int64_t i = 0; i < a->n_children; i++) {
        if (a->children[i]->release) a->children[i]->release(a->children[i]);
        free(a->children[i]);
    }
    free(a->children);
    free(a->buffers);
    a->release = NULL;
}

static struct ArrowSchema CHILD_SCHEMAS[2] = {
    {"u", "patient_id", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, NULL, NULL},
    {"u", "code", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, NULL, NULL},
};
static struct ArrowSchema *CHILD_SCHEMA_PTRS[2] = {&CHILD_SCHEMAS[0], &CHILD_SCHEMAS[1]};
static struct ArrowSchema STRUCT_SCHEMA = {"+s", "", NULL, 0, 2, CHILD_SCHEMA_PTRS, NULL, NULL, NULL};

static void make_batch(struct ArrowArray *a, const char **patients, const char **codes, int64_t n) {
    struct ArrowArray **children = malloc(sizeof(struct ArrowArray *) * 2);
    children[0] = malloc(sizeof(struct ArrowArray));
    children[1] = malloc(sizeof(struct ArrowArray));
    make_utf8(children[0], patients, n);
    make_utf8(children[1], codes, n);
    const void **buffers = malloc(sizeof(void *));
    buffers[0] = NULL; /* the struct itself has no nulls */
    memset(a, 0, sizeof *a);
    a->length = n;
    a->n_buffers = 1;
    a->buffers = buffers;
    a->n_children = 2;
    a->children = children;
    a->release = release_struct;
}

/* The index of the child called `name`, or -1. */
static int child_named(const struct ArrowSchema *s, const char *name) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0) return (int)i;
    return -1;
}

static void test_arrow(void) {
    const char *pats[12], *codes[12];
    for (int i = 0; i < 12; i++) {
        pats[i] = PATIENTS[i].ptr; /* the literals are NUL-terminated */
        codes[i] = CODES[i].ptr;
    }
    /* Add a malformed code and a null code for a fourth patient. */
    const char *pats2[14], *codes2[14];
    memcpy(pats2, pats, sizeof pats);
    memcpy(codes2, codes, sizeof codes);
    pats2[12] = "X";
    codes2[12] = "I2.14";
    pats2[13] = "X";
    codes2[13] = NULL;
    carecoord_str ps[14], cs[14];
    for (int i = 0; i < 14; i++) {
        ps[i].ptr = pats2[i];
        ps[i].len = strlen(pats2[i]);
        cs[i].ptr = codes2[i];
        cs[i].len = codes2[i] ? strlen(codes2[i]) : 0;
    }

    static const uint32_t instruments[3] = {CARECOORD_RISK_INSTRUMENT_CHARLSON, CARECOORD_RISK_INSTRUMENT_ELIXHAUSER,
                                            CARECOORD_RISK_INSTRUMENT_HFRS};
    static const char *score_col[3] = {"score", "score", "score_tenths"};
    for (int k = 0; k < 3; k++) {
        /* The parallel-array result. */
        carecoord_risk_result *r = NULL;
        carecoord_result rc = k == 0   ? carecoord_risk_charlson(ps, cs, 14, CARECOORD_CHARLSON_WEIGHTS_QUAN2011, NULL, &r)
                              : k == 1 ? carecoord_risk_elixhauser(ps, cs, 14, &r)
                                       : carecoord_risk_hfrs(ps, cs, 14, &r);
        CHECK_EQ_INT(rc, CARECOORD_RESULT_OK);
        int32_t want[4];
        CHECK_EQ_INT(carecoord_risk_result_scores(r, want, 4), CARECOORD_RESULT_OK);

        struct ArrowArray in, scores, rejects;
        struct ArrowSchema scores_schema, rejects_schema;
        make_batch(&in, pats2, codes2, 14);
        CHECK_EQ_INT(carecoord_risk_score_arrow(instruments[k], CARECOORD_CHARLSON_WEIGHTS_QUAN2011, &in, &STRUCT_SCHEMA,
                                                &scores, &scores_schema, &rejects, &rejects_schema),
                     CARECOORD_RESULT_OK);
        CHECK(in.release == NULL); /* moved into the library and released */
        CHECK(strcmp(scores_schema.format, "+s") == 0);
        CHECK_EQ_INT(scores.length, 4);
        int c = child_named(&scores_schema, score_col[k]);
        CHECK(c >= 0);
        if (c >= 0) {
            CHECK(strcmp(scores_schema.children[c]->format, "i") == 0);
            const struct ArrowArray *col = scores.children[c];
            const int32_t *v = (const int32_t *)col->buffers[1] + col->offset;
            for (int i = 0; i < 4; i++) CHECK_EQ_INT(v[i], want[i]);
        }
        /* The same category flag columns. */
        CHECK_EQ_INT(child_named(&scores_schema, k == 2 ? "F05" : "chf") >= 0, 1);

        /* Rejects: rows 12 (misplaced_dot) and 13 (null_code). */
        CHECK_EQ_INT(rejects.length, 2);
        CHECK_EQ_INT((size_t)rejects.length, carecoord_risk_result_rows_rejected(r));
        int rc_row = child_named(&rejects_schema, "row"), rc_reason = child_named(&rejects_schema, "reason");
        CHECK(rc_row >= 0 && rc_reason >= 0);
        if (rc_row >= 0 && rc_reason >= 0) {
            CHECK(strcmp(rejects_schema.children[rc_row]->format, "L") == 0);
            const struct ArrowArray *rows = rejects.children[rc_row];
            const uint64_t *rv = (const uint64_t *)rows->buffers[1] + rows->offset;
            CHECK_EQ_INT(rv[0], 12);
            CHECK_EQ_INT(rv[1], 13);
            const struct ArrowArray *reasons = rejects.children[rc_reason];
            const int32_t *off = (const int32_t *)reasons->buffers[1] + reasons->offset;
            const char *data = reasons->buffers[2];
            CHECK(off[1] - off[0] == 13 && memcmp(data + off[0], "misplaced_dot", 13) == 0);
            CHECK(off[2] - off[1] == 9 && memcmp(data + off[1], "null_code", 9) == 0);
        }
        scores.release(&scores);
        scores_schema.release(&scores_schema);
        rejects.release(&rejects);
        rejects_schema.release(&rejects_schema);
        carecoord_risk_result_free(r);
    }

    struct ArrowArray in, o1, o2;
    struct ArrowSchema s1, s2;
    /* Bad enum values are refused before the input is taken. */
    make_batch(&in, pats, codes, 12);
    CHECK_EQ_INT(carecoord_risk_score_arrow(3, 0, &in, &STRUCT_SCHEMA, &o1, &s1, &o2, &s2), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(in.release != NULL);
    CHECK_EQ_INT(carecoord_risk_score_arrow(CARECOORD_RISK_INSTRUMENT_HFRS, 9, &in, &STRUCT_SCHEMA, &o1, &s1, &o2, &s2),
                 CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(in.release != NULL);
    /* NULL arguments. */
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, &STRUCT_SCHEMA, NULL, &s1, &o2, &s2), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, &STRUCT_SCHEMA, &o1, NULL, &o2, &s2), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, &STRUCT_SCHEMA, &o1, &s1, NULL, &s2), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, &STRUCT_SCHEMA, &o1, &s1, &o2, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(in.release != NULL);
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, NULL, &STRUCT_SCHEMA, &o1, &s1, &o2, &s2), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, NULL, &o1, &s1, &o2, &s2), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(in.release != NULL);
    in.release(&in);

    /* A missing column: the input is taken and released, nothing is written. */
    struct ArrowSchema renamed[2] = {CHILD_SCHEMAS[0], CHILD_SCHEMAS[1]};
    renamed[1].name = "icd10";
    struct ArrowSchema *renamed_ptrs[2] = {&renamed[0], &renamed[1]};
    struct ArrowSchema renamed_struct = STRUCT_SCHEMA;
    renamed_struct.children = renamed_ptrs;
    make_batch(&in, pats, codes, 12);
    o1.release = NULL;
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, &renamed_struct, &o1, &s1, &o2, &s2),
                 CARECOORD_RESULT_RISK_MISSING_COLUMN);
    CHECK(in.release == NULL);
    CHECK(o1.release == NULL);

    /* Not a struct array. */
    make_utf8(&in, codes, 12);
    CHECK_EQ_INT(carecoord_risk_score_arrow(0, 0, &in, &CHILD_SCHEMAS[1], &o1, &s1, &o2, &s2), CARECOORD_RESULT_ARROW_ERROR);
    CHECK(in.release == NULL);
}

static void test_lace(void) {
    carecoord_lace_score s;
    /* LOS 5 (4-6: 4) + acute 3 + Charlson 2 + ED 1 = 10: high risk. */
    CHECK_EQ_INT(carecoord_risk_lace(5, true, 2, 1, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.l, 4);
    CHECK_EQ_INT(s.a, 3);
    CHECK_EQ_INT(s.c, 2);
    CHECK_EQ_INT(s.e, 1);
    CHECK_EQ_INT(s.total, 10);
    CHECK(s.high_risk);
    /* 9 is not high risk. */
    CHECK_EQ_INT(carecoord_risk_lace(5, true, 2, 0, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.total, 9);
    CHECK(!s.high_risk);
    /* L boundaries: 0, 1, 3, 4, 6, 7, 13, 14 midnights. */
    static const uint32_t los[8] = {0, 1, 3, 4, 6, 7, 13, 14};
    static const int l_points[8] = {0, 1, 3, 4, 4, 5, 5, 7};
    for (int i = 0; i < 8; i++) {
        CHECK_EQ_INT(carecoord_risk_lace(los[i], false, 0, 0, &s), CARECOORD_RESULT_OK);
        CHECK_EQ_INT(s.l, l_points[i]);
        CHECK_EQ_INT(s.total, l_points[i]);
    }
    /* C: 3 as is, 4+ 5; E: 3 as is, 4+ 4. Maximum 19. */
    CHECK_EQ_INT(carecoord_risk_lace(0, false, 3, 3, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.c, 3);
    CHECK_EQ_INT(s.e, 3);
    CHECK_EQ_INT(carecoord_risk_lace(100, true, 4, 4, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.c, 5);
    CHECK_EQ_INT(s.e, 4);
    CHECK_EQ_INT(s.total, 19);
}

static void test_hospital(void) {
    carecoord_hospital_score s;
    /* Nothing: 0, low. */
    carecoord_hospital_input in = {12.0, false, 135.0, false, false, 1, 4};
    CHECK_EQ_INT(carecoord_risk_hospital(&in, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.total, 0);
    CHECK_EQ_INT(s.band, CARECOORD_HOSPITAL_BAND_LOW);
    /* Just below the laboratory thresholds: H 1, S 1. */
    in.haemoglobin_g_dl = 11.9;
    in.sodium_mmol_l = 134.9;
    CHECK_EQ_INT(carecoord_risk_hospital(&in, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.haemoglobin, 1);
    CHECK_EQ_INT(s.sodium, 1);
    CHECK_EQ_INT(s.total, 2);
    /* T: 2 and 5 admissions score 2, 6 scores 5; AL: 5 midnights score 2. */
    in.admissions_12m = 2;
    in.los_days = 5;
    CHECK_EQ_INT(carecoord_risk_hospital(&in, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.admissions, 2);
    CHECK_EQ_INT(s.length_of_stay, 2);
    CHECK_EQ_INT(s.total, 6);
    CHECK_EQ_INT(s.band, CARECOORD_HOSPITAL_BAND_INTERMEDIATE);
    in.admissions_12m = 5;
    CHECK_EQ_INT(carecoord_risk_hospital(&in, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.admissions, 2);
    in.admissions_12m = 6;
    CHECK_EQ_INT(carecoord_risk_hospital(&in, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.admissions, 5);
    CHECK_EQ_INT(s.total, 9);
    CHECK_EQ_INT(s.band, CARECOORD_HOSPITAL_BAND_HIGH);
    /* Band edges: 4 low, 5 intermediate, 7 high. */
    carecoord_hospital_input four = {13.0, true, 140.0, true, true, 0, 0}; /* O 2 + P 1 + I 1 */
    CHECK_EQ_INT(carecoord_risk_hospital(&four, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.oncology, 2);
    CHECK_EQ_INT(s.procedure, 1);
    CHECK_EQ_INT(s.index_admission, 1);
    CHECK_EQ_INT(s.total, 4);
    CHECK_EQ_INT(s.band, CARECOORD_HOSPITAL_BAND_LOW);
    four.haemoglobin_g_dl = 11.0;
    CHECK_EQ_INT(carecoord_risk_hospital(&four, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.total, 5);
    CHECK_EQ_INT(s.band, CARECOORD_HOSPITAL_BAND_INTERMEDIATE);
    four.admissions_12m = 2;
    CHECK_EQ_INT(carecoord_risk_hospital(&four, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.total, 7);
    CHECK_EQ_INT(s.band, CARECOORD_HOSPITAL_BAND_HIGH);
    /* A g/L haemoglobin is refused; nothing is written. */
    carecoord_hospital_input gl = {118.0, false, 140.0, false, false, 0, 0};
    s.total = 99;
    CHECK_EQ_INT(carecoord_risk_hospital(&gl, &s), CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK_EQ_INT(s.total, 99);
    gl.haemoglobin_g_dl = 13.0;
    gl.sodium_mmol_l = -1.0;
    CHECK_EQ_INT(carecoord_risk_hospital(&gl, &s), CARECOORD_RESULT_RISK_INVALID_OPTION);
}

static void test_efi(void) {
    carecoord_efi_score s;
    /* 12, 13, 14 deficits under both bandings: they differ only at 13 (13/36 = 0.361). */
    static const uint32_t counts[3] = {12, 13, 14};
    static const uint32_t clegg[3] = {CARECOORD_EFI_BAND_MODERATE, CARECOORD_EFI_BAND_SEVERE, CARECOORD_EFI_BAND_SEVERE};
    static const uint32_t rounded[3] = {CARECOORD_EFI_BAND_MODERATE, CARECOORD_EFI_BAND_MODERATE,
                                        CARECOORD_EFI_BAND_SEVERE};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(carecoord_risk_efi_band(counts[i], CARECOORD_EFI_BANDING_CLEGG2016, &s), CARECOORD_RESULT_OK);
        CHECK_EQ_INT(s.band, clegg[i]);
        CHECK_EQ_INT(s.deficits, counts[i]);
        CHECK_EQ_INT(s.banding, CARECOORD_EFI_BANDING_CLEGG2016);
        CHECK(s.efi == (double)counts[i] / 36.0);
        CHECK_EQ_INT(carecoord_risk_efi_band(counts[i], CARECOORD_EFI_BANDING_ROUNDED_2DP, &s), CARECOORD_RESULT_OK);
        CHECK_EQ_INT(s.band, rounded[i]);
        CHECK_EQ_INT(s.banding, CARECOORD_EFI_BANDING_ROUNDED_2DP);
    }
    CHECK_EQ_INT(carecoord_risk_efi_band(4, CARECOORD_EFI_BANDING_CLEGG2016, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.band, CARECOORD_EFI_BAND_FIT);
    CHECK_EQ_INT(carecoord_risk_efi_band(5, CARECOORD_EFI_BANDING_CLEGG2016, &s), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s.band, CARECOORD_EFI_BAND_MILD);
    CHECK_EQ_INT(carecoord_risk_efi_band(36, CARECOORD_EFI_BANDING_CLEGG2016, &s), CARECOORD_RESULT_OK);
    CHECK(s.efi == 1.0);
    s.deficits = 99;
    CHECK_EQ_INT(carecoord_risk_efi_band(37, CARECOORD_EFI_BANDING_CLEGG2016, &s), CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK_EQ_INT(s.deficits, 99);
}

int main(void) {
    test_charlson();
    test_elixhauser_hfrs();
    test_rejects();
    test_null_and_enums();
    test_arrow();
    test_lace();
    test_hospital();
    test_efi();
    return HARNESS_END();
}
