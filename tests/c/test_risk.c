/* C tests for the risk scores: Charlson, Elixhauser, HFRS and the eFI over parallel arrays
 * and the Arrow C Data Interface; LACE, HOSPITAL and eFI bands; custom models, tiers and
 * cohort filters; rejects, NULL arguments and bad enum values.
 *
 * Expected values come from the worked examples of core/data/risk/risk_examples.csv
 * (E02, E06, E07; the columns charlson1987_with_age, charlson_quan2011, elixhauser_vw2009,
 * hfrs), from the LACE, HOSPITAL and eFI point tables (DOMAIN.md 2.9, 2.13, 2.14), and from
 * the hand-checked eFI, model, tier and cohort cases of the Rust unit tests (named where
 * used), so that C, Rust and Python check the same answers. */
#include <stdint.h>
#include <stdlib.h>
#include "carecoord.h"
#include "harness.h"
#include "arrow_build.h"

#define STR(lit) {(lit), sizeof(lit) - 1}
#define NULL_STR {NULL, 0}

/* The bit of category `name` in a result, or -1. */
static int bit_of(const carecoord_risk_result *r, const char *name) {
    char buf[32];
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

/* ---- A small Arrow builder for the eFI, model and cohort tests: fixed-width, boolean and
 * utf8 children in a struct array (one record batch). ---- */

static void release_all_buffers(struct ArrowArray *a) {
    for (int64_t i = 0; i < a->n_buffers; i++) free((void *)a->buffers[i]);
    free(a->buffers);
    a->release = NULL;
}

static struct ArrowArray *new_array(int64_t n, int64_t nulls, void *validity, void *data) {
    struct ArrowArray *a = malloc(sizeof *a);
    const void **buffers = malloc(sizeof(void *) * 2);
    buffers[0] = validity;
    buffers[1] = data;
    memset(a, 0, sizeof *a);
    a->length = n;
    a->null_count = nulls;
    a->n_buffers = 2;
    a->buffers = buffers;
    a->release = release_all_buffers;
    return a;
}

/* `n` values of `width` bytes (int32, int64, float64, date32); `valid` NULL: no nulls. */
static struct ArrowArray *new_fixed(const void *values, size_t width, int64_t n, const int *valid) {
    uint8_t *bits = calloc((size_t)(n + 7) / 8 + 1, 1);
    void *data = malloc(width * (size_t)(n ? n : 1));
    memcpy(data, values, width * (size_t)n);
    int64_t nulls = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!valid || valid[i]) bits[i / 8] |= (uint8_t)(1u << (i % 8));
        else nulls++;
    }
    return new_array(n, nulls, bits, data);
}

/* Booleans: 1 true, 0 false, -1 null. */
static struct ArrowArray *new_bool(const int *vals, int64_t n) {
    uint8_t *bits = calloc((size_t)(n + 7) / 8 + 1, 1);
    uint8_t *data = calloc((size_t)(n + 7) / 8 + 1, 1);
    int64_t nulls = 0;
    for (int64_t i = 0; i < n; i++) {
        if (vals[i] < 0) {
            nulls++;
            continue;
        }
        bits[i / 8] |= (uint8_t)(1u << (i % 8));
        if (vals[i]) data[i / 8] |= (uint8_t)(1u << (i % 8));
    }
    return new_array(n, nulls, bits, data);
}

/* Strings; a NULL entry is a null. */
static struct ArrowArray *new_utf8(const char **vals, int64_t n) {
    struct ArrowArray *a = malloc(sizeof *a);
    make_utf8(a, vals, n);
    return a;
}

/* A struct array over `n_children` heap children (taken over), `length` rows. */
static void make_struct(struct ArrowArray *a, struct ArrowArray **kids, int64_t n_children, int64_t length) {
    struct ArrowArray **children = malloc(sizeof(struct ArrowArray *) * (size_t)n_children);
    memcpy(children, kids, sizeof(struct ArrowArray *) * (size_t)n_children);
    const void **buffers = malloc(sizeof(void *));
    buffers[0] = NULL;
    memset(a, 0, sizeof *a);
    a->length = length;
    a->n_buffers = 1;
    a->buffers = buffers;
    a->n_children = n_children;
    a->children = children;
    a->release = release_struct;
}

#define FIELD(fmt, name) {(fmt), (name), NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, NULL, NULL}

/* Value `i` of a utf8 child, NUL-terminated into `buf` (an empty string for null). */
static const char *utf8_at(const struct ArrowArray *col, int64_t i, char *buf, size_t cap) {
    const int32_t *off = (const int32_t *)col->buffers[1] + col->offset;
    const char *data = col->buffers[2];
    size_t len = (size_t)(off[i + 1] - off[i]);
    if (len >= cap) len = cap - 1;
    memcpy(buf, data + off[i], len);
    buf[len] = '\0';
    return buf;
}

static double f64_at(const struct ArrowArray *col, int64_t i) {
    return ((const double *)col->buffers[1])[col->offset + i];
}

static void release_tables(struct ArrowArray *a, struct ArrowSchema *as, struct ArrowArray *b, struct ArrowSchema *bs) {
    a->release(a);
    as->release(as);
    if (b) b->release(b);
    if (bs) bs->release(bs);
}

/* ---- eFI: the spec table of core/src/risk/efi.rs (`batch_spec_table`), bundled list.
 * Conditions (rows 0-7):
 *   a: hypertension 38341003, AF 49436004, MI 22298006 and angina 194828000 (chd, once)
 *   b: diabetes 44054006, dementia 52448006 (cognitive_problems), 52448007 (bad check digit)
 *   a: NULL code
 * Medications (rows 8-25 in the C numbering), dated 2026-06-01 unless said:
 *   a: m1-m5 (5 distinct: polypharmacy); b: m1 m2 m2 m3 m4 (4 distinct), m5 on 2025-11-23
 *   (outside the window 2025-11-24..2026-11-23), a blank code; c: m1-m6.
 * Expected: a 4 deficits, b 2, c 1 (polypharmacy only). ---- */

#define D_INSIDE {2026, 6, 1}
#define D_OUTSIDE {2025, 11, 23}
static const carecoord_str EFI_P[8] = {STR("a"), STR("a"), STR("a"), STR("a"), STR("b"), STR("b"), STR("b"), STR("a")};
static const carecoord_str EFI_C[8] = {STR("38341003"), STR("49436004"), STR("22298006"), STR("194828000"),
                                       STR("44054006"), STR("52448006"), STR("52448007"), NULL_STR};
static const carecoord_str MED_P[18] = {STR("a"), STR("a"), STR("a"), STR("a"), STR("a"), STR("b"),
                                        STR("b"), STR("b"), STR("b"), STR("b"), STR("b"), STR("b"),
                                        STR("c"), STR("c"), STR("c"), STR("c"), STR("c"), STR("c")};
static const carecoord_str MED_C[18] = {STR("m1"), STR("m2"), STR("m3"), STR("m4"), STR("m5"), STR("m1"),
                                        STR("m2"), STR("m2"), STR("m3"), STR("m4"), STR("m5"), STR(" "),
                                        STR("m1"), STR("m2"), STR("m3"), STR("m4"), STR("m5"), STR("m6")};
static const carecoord_date MED_D[18] = {D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE,
                                         D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE, D_OUTSIDE, D_INSIDE,
                                         D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE, D_INSIDE};
static const carecoord_date INDEX = {2026, 11, 23};

static void test_efi_batch(void) {
    carecoord_risk_rows cond = {EFI_P, EFI_C, NULL, 8};
    carecoord_risk_rows meds = {MED_P, MED_C, MED_D, 18};
    carecoord_risk_result *r = NULL;
    CHECK_EQ_INT(carecoord_risk_efi(&cond, &meds, NULL, 0, CARECOORD_EFI_BANDING_CLEGG2016, &INDEX, NULL, &r),
                 CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_patients(r), 3);
    int32_t s[3] = {0, 0, 0};
    CHECK_EQ_INT(carecoord_risk_result_scores(r, s, 3), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s[0], 4);
    CHECK_EQ_INT(s[1], 2);
    CHECK_EQ_INT(s[2], 1);
    /* Rows across both inputs: 8 + 18 = 26; one medication outside the window; three rejects. */
    CHECK_EQ_INT(carecoord_risk_result_rows_in(r), 26);
    CHECK_EQ_INT(carecoord_risk_result_rows_excluded(r), 1);
    CHECK_EQ_INT(carecoord_risk_result_rows_rejected(r), 3);
    CHECK_EQ_INT(carecoord_risk_result_rows_scored(r), 22);
    /* c first appears at medication row 12, row 8 + 12 = 20. */
    uint64_t first[3];
    CHECK_EQ_INT(carecoord_risk_result_first_rows(r, first, 3), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(first[0], 0);
    CHECK_EQ_INT(first[1], 4);
    CHECK_EQ_INT(first[2], 20);
    /* Rejects: condition rows 6 and 7, medication row 11 (row 19). */
    static const uint64_t rows[3] = {6, 7, 19};
    static const char *reasons[3] = {"check_digit_mismatch", "null_code", "empty_code"};
    for (size_t i = 0; i < 3; i++) {
        uint64_t row = 99;
        char buf[32];
        size_t len = 0;
        CHECK_EQ_INT(carecoord_risk_result_reject(r, i, &row, buf, sizeof buf, &len), CARECOORD_RESULT_OK);
        CHECK_EQ_INT(row, rows[i]);
        CHECK(strcmp(buf, reasons[i]) == 0);
    }
    /* 36 deficits, one mask word. a: hypertension, atrial_fibrillation, chd, polypharmacy. */
    CHECK_EQ_INT(carecoord_risk_result_categories(r), 36);
    char name[32];
    size_t len = 0;
    CHECK_EQ_INT(carecoord_risk_result_category_name(r, 0, name, sizeof name, &len), CARECOORD_RESULT_OK);
    CHECK(strcmp(name, "activity_limitation") == 0);
    uint64_t mask = 0;
    CHECK_EQ_INT(carecoord_risk_result_flags(r, 0, &mask, 1), CARECOORD_RESULT_OK);
    const char *a_deficits[] = {"hypertension", "atrial_fibrillation", "chd", "polypharmacy"};
    CHECK_EQ_INT(mask, mask_of(r, a_deficits, 4));
    CHECK_EQ_INT(carecoord_risk_result_flags(r, 1, &mask, 1), CARECOORD_RESULT_OK);
    const char *b_deficits[] = {"diabetes", "cognitive_problems"};
    CHECK_EQ_INT(mask, mask_of(r, b_deficits, 2));
    /* Band the count: 4/36 is fit. */
    carecoord_efi_score band;
    CHECK_EQ_INT(carecoord_risk_efi_band((uint32_t)s[0], CARECOORD_EFI_BANDING_CLEGG2016, &band), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(band.band, CARECOORD_EFI_BAND_FIT);
    carecoord_risk_result_free(r);

    /* Without medications polypharmacy is not assessed: a 3, b 2. */
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, NULL, 0, CARECOORD_EFI_BANDING_CLEGG2016, NULL, NULL, &r),
                 CARECOORD_RESULT_OK);
    int32_t s2[2];
    CHECK_EQ_INT(carecoord_risk_result_patients(r), 2);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, s2, 2), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s2[0], 3);
    CHECK_EQ_INT(s2[1], 2);
    carecoord_risk_result_free(r);

    /* A user code list with hypertension only: a 1, b 0. */
    static const char list[] = "deficit_id,code\nhypertension,38341003\n";
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, S(list), CARECOORD_EFI_BANDING_ROUNDED_2DP, NULL, NULL, &r),
                 CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, s2, 2), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(s2[0], 1);
    CHECK_EQ_INT(s2[1], 0);
    carecoord_risk_result_free(r);

    /* Condition dates and a look-back (`condition_window_and_option_errors`): hypertension on
     * 2020-01-01, heart failure on the index day, AF the day after. */
    carecoord_str wp[3] = {STR("a"), STR("a"), STR("a")};
    carecoord_str wc[3] = {STR("38341003"), STR("84114007"), STR("49436004")};
    carecoord_date wd[3] = {{2020, 1, 1}, {2026, 11, 23}, {2026, 11, 24}};
    carecoord_risk_rows wrows = {wp, wc, wd, 3};
    uint32_t five_years = 5 * 365;
    int32_t one;
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_efi(&wrows, NULL, NULL, 0, 0, &INDEX, NULL, &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, &one, 1), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(one, 2);
    CHECK_EQ_INT(carecoord_risk_result_rows_excluded(r), 1);
    carecoord_risk_result_free(r);
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_efi(&wrows, NULL, NULL, 0, 0, &INDEX, &five_years, &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_scores(r, &one, 1), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(one, 1);
    carecoord_risk_result_free(r);
    /* Null and impossible dates reject their rows. */
    carecoord_date bad_dates[3] = {{0, 0, 0}, {2026, 2, 30}, {2026, 11, 1}};
    carecoord_risk_rows brows = {wp, wc, bad_dates, 3};
    r = NULL;
    CHECK_EQ_INT(carecoord_risk_efi(&brows, NULL, NULL, 0, 0, &INDEX, NULL, &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_result_rows_rejected(r), 2);
    char reason[32];
    uint64_t row;
    CHECK_EQ_INT(carecoord_risk_result_reject(r, 0, &row, reason, sizeof reason, &len), CARECOORD_RESULT_OK);
    CHECK(strcmp(reason, "null_date") == 0);
    CHECK_EQ_INT(carecoord_risk_result_reject(r, 1, &row, reason, sizeof reason, &len), CARECOORD_RESULT_OK);
    CHECK(strcmp(reason, "invalid_date") == 0);
    CHECK_EQ_INT(row, 1);
    carecoord_risk_result_free(r);

    /* Errors: nothing is written. */
    carecoord_risk_result *keep = (carecoord_risk_result *)&row;
    r = keep;
    CHECK_EQ_INT(carecoord_risk_efi(NULL, NULL, NULL, 0, 0, NULL, NULL, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, NULL, 0, 0, NULL, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_risk_rows no_dates = {MED_P, MED_C, NULL, 18};
    CHECK_EQ_INT(carecoord_risk_efi(&cond, &no_dates, NULL, 0, 0, &INDEX, NULL, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, NULL, 0, 2, NULL, NULL, &r), CARECOORD_RESULT_INVALID_ARGUMENT);
    carecoord_date feb30 = {2026, 2, 30};
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, NULL, 0, 0, &feb30, NULL, &r), CARECOORD_RESULT_INVALID_ARGUMENT);
    /* Medications need an index date; a look-back needs condition dates. */
    CHECK_EQ_INT(carecoord_risk_efi(&cond, &meds, NULL, 0, 0, NULL, NULL, &r), CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, NULL, 0, 0, &INDEX, &five_years, &r),
                 CARECOORD_RESULT_RISK_INVALID_OPTION);
    static const char bad_list[] = "deficit_id,code\nhypertension,38341003\npolypharmacy,38341003\n";
    CHECK_EQ_INT(carecoord_risk_efi(&cond, NULL, S(bad_list), 0, NULL, NULL, &r), CARECOORD_RESULT_RISK_CODE_LIST);
    char msg[256];
    size_t n = 0;
    CHECK_EQ_INT(carecoord_last_error_message(msg, sizeof msg, &n), CARECOORD_RESULT_OK);
    CHECK(strstr(msg, "line 3") != NULL);
    carecoord_str bad_utf8[1] = {{"\xff", 1}};
    carecoord_risk_rows bad_rows = {EFI_P, bad_utf8, NULL, 1};
    CHECK_EQ_INT(carecoord_risk_efi(&bad_rows, NULL, NULL, 0, 0, NULL, NULL, &r), CARECOORD_RESULT_INVALID_UTF8);
    CHECK(r == keep);
}

static struct ArrowSchema EFI_COND_FIELDS[2] = {FIELD("u", "patient_id"), FIELD("u", "code")};
static struct ArrowSchema *EFI_COND_PTRS[2] = {&EFI_COND_FIELDS[0], &EFI_COND_FIELDS[1]};
static struct ArrowSchema EFI_COND_SCHEMA = {"+s", "", NULL, 0, 2, EFI_COND_PTRS, NULL, NULL, NULL};
static struct ArrowSchema EFI_MED_FIELDS[3] = {FIELD("u", "patient_id"), FIELD("u", "code"), FIELD("tdD", "date")};
static struct ArrowSchema *EFI_MED_PTRS[3] = {&EFI_MED_FIELDS[0], &EFI_MED_FIELDS[1], &EFI_MED_FIELDS[2]};
static struct ArrowSchema EFI_MED_SCHEMA = {"+s", "", NULL, 0, 3, EFI_MED_PTRS, NULL, NULL, NULL};

static void efi_inputs(struct ArrowArray *cond, struct ArrowArray *meds) {
    const char *cp[8], *cc[8], *mp[18], *mc[18];
    int32_t md[18];
    for (int i = 0; i < 8; i++) {
        cp[i] = EFI_P[i].ptr;
        cc[i] = EFI_C[i].ptr;
    }
    for (int i = 0; i < 18; i++) {
        mp[i] = MED_P[i].ptr;
        mc[i] = MED_C[i].ptr;
        md[i] = MED_D[i].year == 2026 ? 20605 : 20415; /* 2026-06-01, 2025-11-23 */
    }
    struct ArrowArray *ck[2] = {new_utf8(cp, 8), new_utf8(cc, 8)};
    make_struct(cond, ck, 2, 8);
    struct ArrowArray *mk[3] = {new_utf8(mp, 18), new_utf8(mc, 18), new_fixed(md, 4, 18, NULL)};
    make_struct(meds, mk, 3, 18);
}

static void test_efi_arrow(void) {
    struct ArrowArray cond, meds, scores, rejects;
    struct ArrowSchema scores_schema, rejects_schema;
    efi_inputs(&cond, &meds);
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, &meds, &EFI_MED_SCHEMA, NULL, 0,
                                          CARECOORD_EFI_BANDING_CLEGG2016, &INDEX, NULL, &scores, &scores_schema,
                                          &rejects, &rejects_schema),
                 CARECOORD_RESULT_OK);
    CHECK(cond.release == NULL && meds.release == NULL);
    /* The same answer as the parallel arrays: deficits 4, 2, 1; efi = deficits / 36. */
    CHECK_EQ_INT(scores.length, 3);
    int dc = child_named(&scores_schema, "deficits"), ec = child_named(&scores_schema, "efi"),
        bc = child_named(&scores_schema, "band");
    CHECK(dc >= 0 && ec >= 0 && bc >= 0);
    if (dc >= 0 && ec >= 0 && bc >= 0) {
        const struct ArrowArray *d = scores.children[dc];
        const int32_t *dv = (const int32_t *)d->buffers[1] + d->offset;
        CHECK_EQ_INT(dv[0], 4);
        CHECK_EQ_INT(dv[1], 2);
        CHECK_EQ_INT(dv[2], 1);
        CHECK(f64_at(scores.children[ec], 0) == 4.0 / 36.0);
        char buf[16];
        CHECK(strcmp(utf8_at(scores.children[bc], 0, buf, sizeof buf), "fit") == 0);
    }
    CHECK(child_named(&scores_schema, "polypharmacy") >= 0);
    /* Rejects keep each input's own row numbers and name the medication field. */
    CHECK_EQ_INT(rejects.length, 3);
    int rr = child_named(&rejects_schema, "row"), rf = child_named(&rejects_schema, "field");
    CHECK(rr >= 0 && rf >= 0);
    if (rr >= 0 && rf >= 0) {
        const uint64_t *rv = (const uint64_t *)rejects.children[rr]->buffers[1] + rejects.children[rr]->offset;
        CHECK_EQ_INT(rv[0], 6);
        CHECK_EQ_INT(rv[1], 7);
        CHECK_EQ_INT(rv[2], 11);
        char buf[32];
        CHECK(strcmp(utf8_at(rejects.children[rf], 2, buf, sizeof buf), "medications.code") == 0);
    }
    release_tables(&scores, &scores_schema, &rejects, &rejects_schema);

    /* Argument errors leave both inputs with the caller. */
    efi_inputs(&cond, &meds);
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, &meds, NULL, NULL, 0, 0, &INDEX, NULL, &scores,
                                          &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, &meds, &EFI_MED_SCHEMA, NULL, 0, 7, &INDEX, NULL,
                                          &scores, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_INVALID_ARGUMENT);
    static const char bad_list[] = "deficit_id,code\nfrailty,38341003\n";
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, &meds, &EFI_MED_SCHEMA, S(bad_list), 0, &INDEX,
                                          NULL, &scores, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_RISK_CODE_LIST);
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, &meds, &EFI_MED_SCHEMA, NULL, 0, 0, &INDEX, NULL,
                                          NULL, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(cond.release != NULL && meds.release != NULL);
    /* Medications without an index date: both inputs taken, nothing written. */
    scores.release = NULL;
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, &meds, &EFI_MED_SCHEMA, NULL, 0, 0, NULL, NULL,
                                          &scores, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK(cond.release == NULL && meds.release == NULL);
    CHECK(scores.release == NULL);
    /* Without medications: polypharmacy is null, a scores 3. */
    efi_inputs(&cond, &meds);
    meds.release(&meds);
    CHECK_EQ_INT(carecoord_risk_efi_arrow(&cond, &EFI_COND_SCHEMA, NULL, NULL, NULL, 0, 0, NULL, NULL, &scores,
                                          &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_OK);
    int pc = child_named(&scores_schema, "polypharmacy");
    CHECK(pc >= 0);
    if (pc >= 0) CHECK_EQ_INT(scores.children[pc]->null_count, 2);
    release_tables(&scores, &scores_schema, &rejects, &rejects_schema);
}

/* ---- Custom models: the example of core/src/risk/model.rs (`hand_computed_predictions`). */

static const char MODEL[] =
    "{\"name\": \"readmission-local-v1\", \"kind\": \"logistic\", \"intercept\": -3.2,"
    " \"terms\": [{\"feature\": \"charlson\", \"weight\": 0.4},"
    " {\"feature\": \"age\", \"weight\": 0.03, \"transform\": {\"min\": 18}},"
    " {\"feature\": \"admissions_12m\", \"weight\": 0.5, \"cap\": 5}]}";

static int close_to(double a, double b) { return a - b < 1e-12 && b - a < 1e-12; }

static void test_model(void) {
    carecoord_risk_model *m = NULL;
    CHECK_EQ_INT(carecoord_risk_model_new(S(MODEL), &m), CARECOORD_RESULT_OK);
    CHECK(m != NULL);
    /* charlson 2, age 70, admissions 8 (capped at 5): z = -3.2 + 0.8 + 2.1 + 2.5 = 2.2,
     * p = 1 / (1 + e^-2.2) = 0.900249510880315. */
    carecoord_str names[4] = {STR("age"), STR("charlson"), STR("admissions_12m"), STR("unused")};
    double values[4] = {70.0, 2.0, 8.0, 123.0};
    double lp = 0.0, p = 0.0;
    CHECK_EQ_INT(carecoord_risk_model_predict(m, names, values, 4, &lp, &p), CARECOORD_RESULT_OK);
    CHECK(close_to(lp, 2.2));
    CHECK(close_to(p, 0.900249510880315));
    /* Age 10 is floored at 18: z = -3.2 + 0.54 = -2.66, p = 0.0653753334255726. */
    double young[4] = {10.0, 0.0, 0.0, 0.0};
    CHECK_EQ_INT(carecoord_risk_model_predict(m, names, young, 3, &lp, NULL), CARECOORD_RESULT_OK);
    CHECK(close_to(lp, -2.66));
    CHECK_EQ_INT(carecoord_risk_model_predict(m, names, young, 3, &lp, &p), CARECOORD_RESULT_OK);
    CHECK(close_to(p, 0.0653753334255726));
    /* A missing feature, a non-finite value. */
    lp = 42.0;
    CHECK_EQ_INT(carecoord_risk_model_predict(m, names, values, 2, &lp, &p), CARECOORD_RESULT_RISK_MISSING_COLUMN);
    CHECK(lp == 42.0);
    double inf[3] = {1.0 / 0.0, 1.0, 1.0};
    CHECK_EQ_INT(carecoord_risk_model_predict(m, names, inf, 3, &lp, &p), CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK_EQ_INT(carecoord_risk_model_predict(NULL, names, values, 3, &lp, &p), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_model_predict(m, names, values, 3, NULL, &p), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_model_predict(m, NULL, values, 3, &lp, &p), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_str null_name[1] = {NULL_STR};
    CHECK_EQ_INT(carecoord_risk_model_predict(m, null_name, values, 1, &lp, &p), CARECOORD_RESULT_NULL_ARGUMENT);

    /* Apply over Arrow: rows p0 (2, 70, 8) -> 2.2; p1 (0, 10, 0) -> -2.66; p2 null charlson;
     * a null id. */
    const char *ids[4] = {"p0", "p1", "p2", NULL};
    int64_t charlson[4] = {2, 0, 0, 1};
    int charlson_valid[4] = {1, 1, 0, 1};
    double age[4] = {70.0, 10.0, 80.0, 50.0};
    int64_t adm[4] = {8, 0, 1, 0};
    static struct ArrowSchema fields[4] = {FIELD("u", "pid"), FIELD("l", "charlson"), FIELD("g", "age"),
                                           FIELD("l", "admissions_12m")};
    static struct ArrowSchema *ptrs[4] = {&fields[0], &fields[1], &fields[2], &fields[3]};
    static struct ArrowSchema schema = {"+s", "", NULL, 0, 4, ptrs, NULL, NULL, NULL};
    struct ArrowArray in, scores, rejects;
    struct ArrowSchema scores_schema, rejects_schema;
    struct ArrowArray *kids[4] = {new_utf8(ids, 4), new_fixed(charlson, 8, 4, charlson_valid),
                                  new_fixed(age, 8, 4, NULL), new_fixed(adm, 8, 4, NULL)};
    make_struct(&in, kids, 4, 4);
    CHECK_EQ_INT(carecoord_risk_model_apply(m, &in, &schema, S("pid"), &scores, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_OK);
    CHECK(in.release == NULL);
    CHECK_EQ_INT(scores.length, 2);
    int lc = child_named(&scores_schema, "linear_predictor"), pc = child_named(&scores_schema, "probability");
    CHECK(lc >= 0 && pc >= 0);
    if (lc >= 0 && pc >= 0) {
        CHECK(close_to(f64_at(scores.children[lc], 0), 2.2));
        CHECK(close_to(f64_at(scores.children[lc], 1), -2.66));
        CHECK(close_to(f64_at(scores.children[pc], 0), 0.900249510880315));
    }
    CHECK_EQ_INT(rejects.length, 2);
    int rr = child_named(&rejects_schema, "reason");
    if (rr >= 0) {
        char buf[32];
        CHECK(strcmp(utf8_at(rejects.children[rr], 0, buf, sizeof buf), "null_value") == 0);
        CHECK(strcmp(utf8_at(rejects.children[rr], 1, buf, sizeof buf), "null_patient") == 0);
    }
    release_tables(&scores, &scores_schema, &rejects, &rejects_schema);

    /* The default id column `patient_id` is missing: taken, RISK_MISSING_COLUMN. */
    struct ArrowArray *kids2[4] = {new_utf8(ids, 4), new_fixed(charlson, 8, 4, charlson_valid),
                                   new_fixed(age, 8, 4, NULL), new_fixed(adm, 8, 4, NULL)};
    make_struct(&in, kids2, 4, 4);
    CHECK_EQ_INT(carecoord_risk_model_apply(NULL, &in, &schema, NULL, 0, &scores, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(in.release != NULL);
    CHECK_EQ_INT(carecoord_risk_model_apply(m, &in, &schema, NULL, 0, &scores, &scores_schema, &rejects, &rejects_schema),
                 CARECOORD_RESULT_RISK_MISSING_COLUMN);
    CHECK(in.release == NULL);
    carecoord_risk_model_free(m);
    carecoord_risk_model_free(NULL);

    /* A linear model has no probability: NaN. 1.5 - 0.25 * 2 = 1. */
    static const char linear[] =
        "{\"name\": \"m\", \"kind\": \"linear\", \"intercept\": 1.5, \"terms\": [{\"feature\": \"contacts\", \"weight\": -0.25}]}";
    m = NULL;
    CHECK_EQ_INT(carecoord_risk_model_new(S(linear), &m), CARECOORD_RESULT_OK);
    carecoord_str contacts[1] = {STR("contacts")};
    double two[1] = {2.0};
    CHECK_EQ_INT(carecoord_risk_model_predict(m, contacts, two, 1, &lp, &p), CARECOORD_RESULT_OK);
    CHECK(lp == 1.0);
    CHECK(p != p); /* NaN */
    carecoord_risk_model_free(m);

    /* Invalid specifications name the JSON path; nothing is written. */
    static const char typo[] =
        "{\"name\": \"m\", \"kind\": \"linear\", \"terms\": [{\"feature\": \"a\", \"weight\": 1}, {\"feature\": \"b\", \"wieght\": 1}]}";
    m = NULL;
    CHECK_EQ_INT(carecoord_risk_model_new(S(typo), &m), CARECOORD_RESULT_RISK_MODEL_SPEC);
    CHECK(m == NULL);
    char msg[256];
    size_t n = 0;
    CHECK_EQ_INT(carecoord_last_error_message(msg, sizeof msg, &n), CARECOORD_RESULT_OK);
    CHECK(strstr(msg, "terms[1].wieght") != NULL);
    CHECK_EQ_INT(carecoord_risk_model_new(S("not json"), &m), CARECOORD_RESULT_RISK_MODEL_SPEC);
    CHECK_EQ_INT(carecoord_risk_model_new(NULL, 0, &m), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_model_new(S(MODEL), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_model_new("\xff", 1, &m), CARECOORD_RESULT_INVALID_UTF8);
    CHECK(m == NULL);
    CHECK(strcmp(carecoord_result_name(404), "CARECOORD_RESULT_RISK_MODEL_SPEC") == 0);
}

/* ---- Tiers: the hand-checked cases of core/src/risk/tiers.rs. ---- */

static void test_tiers(void) {
    /* N = 7 with the default cuts: boundaries ceil(0.035) = 1, ceil(0.35) = 1, ceil(1.4) = 2.
     * Sorted: p1 0.9, p3 0.5, p4 0.5, p6 0.3, p5 0.2, p2 0.1, p7 0.05. p3 and p4 tie on 0.5
     * for the one place in tier 3; p3 wins on id, both are flagged, p4 falls to tier 4. */
    carecoord_str ids[7] = {STR("p1"), STR("p2"), STR("p3"), STR("p4"), STR("p5"), STR("p6"), STR("p7")};
    double scores[7] = {0.9, 0.1, 0.5, 0.5, 0.2, 0.3, 0.05};
    int32_t tier[7];
    uint64_t rank[7];
    bool tie[7];
    CHECK_EQ_INT(carecoord_risk_tiers(ids, scores, 7, NULL, 0, tier, rank, tie), CARECOORD_RESULT_OK);
    static const int32_t want_tier[7] = {1, 4, 3, 4, 4, 4, 4};
    static const uint64_t want_rank[7] = {1, 6, 2, 3, 5, 4, 7};
    static const bool want_tie[7] = {false, false, true, true, false, false, false};
    for (int i = 0; i < 7; i++) {
        CHECK_EQ_INT(tier[i], want_tier[i]);
        CHECK_EQ_INT(rank[i], want_rank[i]);
        CHECK_EQ_INT(tie[i], want_tie[i]);
    }
    /* By position: 5, 9, 9, 1, 9, 0, 2. The 9s at positions 1, 2, 4 take ranks 1-3 and tiers
     * 1, 3, 4, all flagged. */
    double s2[7] = {5, 9, 9, 1, 9, 0, 2};
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, s2, 7, NULL, 0, tier, rank, NULL), CARECOORD_RESULT_OK);
    static const int32_t pos_tier[7] = {4, 1, 3, 4, 4, 4, 4};
    static const uint64_t pos_rank[7] = {4, 1, 2, 6, 3, 7, 5};
    for (int i = 0; i < 7; i++) {
        CHECK_EQ_INT(tier[i], pos_tier[i]);
        CHECK_EQ_INT(rank[i], pos_rank[i]);
    }
    /* 1000 people, scores 0..999: 5 / 45 / 150 / 800 (1000 x 0.005, 0.05, 0.20). */
    double *many = malloc(sizeof(double) * 1000);
    int32_t *mt = malloc(sizeof(int32_t) * 1000);
    for (int i = 0; i < 1000; i++) many[i] = i;
    double cuts[3] = {0.005, 0.05, 0.20};
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, many, 1000, cuts, 3, mt, NULL, NULL), CARECOORD_RESULT_OK);
    int counts[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i < 1000; i++)
        if (mt[i] >= 1 && mt[i] <= 4) counts[mt[i]]++;
    CHECK_EQ_INT(counts[1], 5);
    CHECK_EQ_INT(counts[2], 45);
    CHECK_EQ_INT(counts[3], 150);
    CHECK_EQ_INT(counts[4], 800);
    CHECK_EQ_INT(mt[999], 1);
    free(many);
    free(mt);
    /* Custom cuts: top half. */
    double half = 0.5;
    double s4[4] = {1, 4, 2, 3};
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, s4, 4, &half, 1, tier, NULL, NULL), CARECOORD_RESULT_OK);
    CHECK(tier[0] == 2 && tier[1] == 1 && tier[2] == 2 && tier[3] == 1);

    /* Errors: nothing written. */
    tier[0] = 99;
    carecoord_str dup[2] = {STR("9434765919"), STR("9434765919")};
    CHECK_EQ_INT(carecoord_risk_tiers(dup, scores, 2, NULL, 0, tier, NULL, NULL), CARECOORD_RESULT_RISK_INVALID_OPTION);
    char msg[256];
    size_t n = 0;
    CHECK_EQ_INT(carecoord_last_error_message(msg, sizeof msg, &n), CARECOORD_RESULT_OK);
    CHECK(strstr(msg, "positions 0 and 1") != NULL);
    CHECK(strstr(msg, "9434765919") == NULL);
    double nan_score[1] = {0.0 / 0.0};
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, nan_score, 1, NULL, 0, tier, NULL, NULL), CARECOORD_RESULT_RISK_INVALID_OPTION);
    double bad_cuts[2] = {0.2, 0.05};
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, scores, 7, bad_cuts, 2, tier, NULL, NULL), CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, scores, 7, bad_cuts, 0, tier, NULL, NULL), CARECOORD_RESULT_RISK_INVALID_OPTION);
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, scores, 7, NULL, 2, tier, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, NULL, 7, NULL, 0, tier, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, scores, 7, NULL, 0, NULL, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_str null_id[1] = {NULL_STR};
    CHECK_EQ_INT(carecoord_risk_tiers(null_id, scores, 1, NULL, 0, tier, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_str bad_id[1] = {{"\xff", 1}};
    CHECK_EQ_INT(carecoord_risk_tiers(bad_id, scores, 1, NULL, 0, tier, NULL, NULL), CARECOORD_RESULT_INVALID_UTF8);
    CHECK_EQ_INT(tier[0], 99);
    /* No people: nothing to write, NULL outputs allowed. */
    CHECK_EQ_INT(carecoord_risk_tiers(NULL, NULL, 0, NULL, 0, NULL, NULL, NULL), CARECOORD_RESULT_OK);
}

/* ---- Cohorts: the six synthetic people of core/src/risk/cohort.rs (`people`), index date
 * 2026-11-23:
 *  row id  age practice palliative efi_band lace caseload last_contact
 *   0  p1  82  SYN001   true       severe   12   false    2026-07-26 (120 days)
 *   1  p2  91  SYN001   true       moderate  9   null     null (never)
 *   2  p3  70  SYN001   true       severe   15   false    null
 *   3  p4  88  SYN002   false      mild     11   true     2026-11-01 (22 days)
 *   4  p5  79  SYN001   null       Severe   10   false    2026-08-25 (90 days)
 *   5  --  85  SYN001   true       severe   18   false    null (null id) ---- */

static struct ArrowSchema PEOPLE_FIELDS[8] = {
    FIELD("u", "patient_id"), FIELD("i", "age"), FIELD("u", "practice"), FIELD("b", "palliative"),
    FIELD("u", "efi_band"), FIELD("g", "lace"), FIELD("b", "on_caseload"), FIELD("tdD", "last_contact"),
};
static struct ArrowSchema *PEOPLE_PTRS[8] = {&PEOPLE_FIELDS[0], &PEOPLE_FIELDS[1], &PEOPLE_FIELDS[2], &PEOPLE_FIELDS[3],
                                             &PEOPLE_FIELDS[4], &PEOPLE_FIELDS[5], &PEOPLE_FIELDS[6], &PEOPLE_FIELDS[7]};
static struct ArrowSchema PEOPLE_SCHEMA = {"+s", "", NULL, 0, 8, PEOPLE_PTRS, NULL, NULL, NULL};

static void people(struct ArrowArray *a) {
    const char *ids[6] = {"p1", "p2", "p3", "p4", "p5", NULL};
    int32_t age[6] = {82, 91, 70, 88, 79, 85};
    const char *practice[6] = {"SYN001", "SYN001", "SYN001", "SYN002", "SYN001", "SYN001"};
    int palliative[6] = {1, 1, 1, 0, -1, 1};
    const char *band[6] = {"severe", "moderate", "severe", "mild", "Severe", "severe"};
    double lace[6] = {12, 9, 15, 11, 10, 18};
    int caseload[6] = {0, -1, 0, 1, 0, 0};
    int32_t contact[6] = {20660, 0, 0, 20758, 20690, 0};
    int contact_valid[6] = {1, 0, 0, 1, 1, 0};
    struct ArrowArray *kids[8] = {new_utf8(ids, 6), new_fixed(age, 4, 6, NULL), new_utf8(practice, 6),
                                  new_bool(palliative, 6), new_utf8(band, 6), new_fixed(lace, 8, 6, NULL),
                                  new_bool(caseload, 6), new_fixed(contact, 4, 6, contact_valid)};
    make_struct(a, kids, 8, 6);
}

static const char REVIEW[] =
    "{\"age\": {\"column\": \"age\", \"min\": 75, \"max\": 120},"
    " \"bands\": [{\"column\": \"efi_band\", \"in\": [\"moderate\", \"severe\"]}],"
    " \"labels\": {\"efi_band\": \"eFI\"}, \"not_on_caseload\": \"on_caseload\","
    " \"no_contact\": {\"column\": \"last_contact\", \"days\": 90, \"index_date\": \"2026-11-23\"},"
    " \"sort_by\": \"lace\"}";

static void test_cohort(void) {
    /* p1 (120 days), p5 ("Severe", exactly 90 days), p2 (caseload null, never contacted);
     * sorted by lace 12, 10, 9. p3 is 70; p4 is mild and on a caseload; no null id. */
    static const uint64_t want_rows[3] = {0, 4, 1};
    static const char *want_ids[3] = {"p1", "p5", "p2"};
    static const char *want_reasons[3] = {"age 82; eFI severe; no contact 120 days",
                                          "age 79; eFI Severe; no contact 90 days",
                                          "age 91; eFI moderate; never contacted"};
    struct ArrowArray in, out;
    struct ArrowSchema out_schema;
    carecoord_risk_selection *sel = NULL;
    people(&in);
    CHECK_EQ_INT(carecoord_risk_cohort_select(S(REVIEW), &in, &PEOPLE_SCHEMA, &sel), CARECOORD_RESULT_OK);
    CHECK(in.release == NULL);
    CHECK_EQ_INT(carecoord_risk_selection_len(sel), 3);
    uint64_t rows[3] = {99, 99, 99};
    CHECK_EQ_INT(carecoord_risk_selection_rows(sel, rows, 2), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(rows[0], 99);
    CHECK_EQ_INT(carecoord_risk_selection_rows(sel, rows, 3), CARECOORD_RESULT_OK);
    char buf[64];
    size_t len = 0;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(rows[i], want_rows[i]);
        CHECK_EQ_INT(carecoord_risk_selection_reasons(sel, (size_t)i, buf, sizeof buf, &len), CARECOORD_RESULT_OK);
        CHECK(strcmp(buf, want_reasons[i]) == 0);
        CHECK_EQ_INT(len, strlen(want_reasons[i]));
    }
    CHECK_EQ_INT(carecoord_risk_selection_reasons(sel, 3, buf, sizeof buf, &len), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_selection_reasons(sel, 0, buf, 4, &len), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(len, strlen(want_reasons[0]));
    carecoord_risk_selection_free(sel);

    /* The same list as Arrow: every input column plus `reasons`. */
    people(&in);
    CHECK_EQ_INT(carecoord_risk_cohort_arrow(S(REVIEW), &in, &PEOPLE_SCHEMA, &out, &out_schema), CARECOORD_RESULT_OK);
    CHECK(in.release == NULL);
    CHECK_EQ_INT(out.length, 3);
    CHECK_EQ_INT(out_schema.n_children, 9);
    int ic = child_named(&out_schema, "patient_id"), rc = child_named(&out_schema, "reasons");
    CHECK(ic >= 0 && rc >= 0);
    if (ic >= 0 && rc >= 0)
        for (int i = 0; i < 3; i++) {
            CHECK(strcmp(utf8_at(out.children[ic], i, buf, sizeof buf), want_ids[i]) == 0);
            CHECK(strcmp(utf8_at(out.children[rc], i, buf, sizeof buf), want_reasons[i]) == 0);
        }
    release_tables(&out, &out_schema, NULL, NULL);

    /* Registers, practices, scores and an id set (`registers_practices_scores_and_id_sets`):
     * SYN001 and palliative gives p1, p2, p3; lace >= 10 keeps p1, p3; p3 is excluded by id. */
    static const char spec2[] =
        "{\"practice\": {\"column\": \"practice\", \"in\": [\"SYN001\"]}, \"registers\": [\"palliative\"],"
        " \"scores\": [{\"column\": \"lace\", \"at_least\": 10}], \"not_on_caseload_ids\": [\"p3\"]}";
    people(&in);
    sel = NULL;
    CHECK_EQ_INT(carecoord_risk_cohort_select(S(spec2), &in, &PEOPLE_SCHEMA, &sel), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_risk_selection_len(sel), 1);
    CHECK_EQ_INT(carecoord_risk_selection_rows(sel, rows, 3), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(rows[0], 0);
    CHECK_EQ_INT(carecoord_risk_selection_reasons(sel, 0, buf, sizeof buf, &len), CARECOORD_RESULT_OK);
    CHECK(strcmp(buf, "palliative; lace 12") == 0);
    carecoord_risk_selection_free(sel);

    /* Errors. A bad specification leaves the input with the caller and names the path. */
    people(&in);
    sel = (carecoord_risk_selection *)&len;
    static const char empty_band[] = "{\"bands\": [{\"column\": \"efi_band\", \"in\": []}]}";
    CHECK_EQ_INT(carecoord_risk_cohort_select(S(empty_band), &in, &PEOPLE_SCHEMA, &sel), CARECOORD_RESULT_RISK_COHORT_SPEC);
    CHECK(in.release != NULL);
    CHECK(sel == (carecoord_risk_selection *)&len);
    char msg[256];
    size_t n = 0;
    CHECK_EQ_INT(carecoord_last_error_message(msg, sizeof msg, &n), CARECOORD_RESULT_OK);
    CHECK(strstr(msg, "bands[0].in") != NULL);
    CHECK_EQ_INT(carecoord_risk_cohort_arrow(S("{\"agee\": 1}"), &in, &PEOPLE_SCHEMA, &out, &out_schema),
                 CARECOORD_RESULT_RISK_COHORT_SPEC);
    CHECK_EQ_INT(carecoord_risk_cohort_arrow(NULL, 0, &in, &PEOPLE_SCHEMA, &out, &out_schema), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_cohort_arrow(S(REVIEW), &in, &PEOPLE_SCHEMA, NULL, &out_schema), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_cohort_arrow(S(REVIEW), &in, NULL, &out, &out_schema), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_cohort_select(S(REVIEW), &in, &PEOPLE_SCHEMA, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_cohort_select("\xff", 1, &in, &PEOPLE_SCHEMA, &sel), CARECOORD_RESULT_INVALID_UTF8);
    CHECK(in.release != NULL);
    /* A missing column: taken, nothing written. */
    out.release = NULL;
    CHECK_EQ_INT(carecoord_risk_cohort_arrow(S("{\"registers\": [\"dementia\"]}"), &in, &PEOPLE_SCHEMA, &out, &out_schema),
                 CARECOORD_RESULT_RISK_MISSING_COLUMN);
    CHECK(in.release == NULL);
    CHECK(out.release == NULL);
    /* Accessors on NULL. */
    CHECK_EQ_INT(carecoord_risk_selection_len(NULL), 0);
    CHECK_EQ_INT(carecoord_risk_selection_rows(NULL, rows, 3), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_risk_selection_reasons(NULL, 0, buf, sizeof buf, &len), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_risk_selection_free(NULL);
    CHECK(strcmp(carecoord_result_name(406), "CARECOORD_RESULT_RISK_COHORT_SPEC") == 0);
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
    test_efi_batch();
    test_efi_arrow();
    test_model();
    test_tiers();
    test_cohort();
    return HARNESS_END();
}
