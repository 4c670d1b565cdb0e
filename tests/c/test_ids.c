/* C tests for the identifier functions: valid, invalid and NULL inputs, batches, Arrow. */
#include <stdint.h>
#include <stdlib.h>
#include "carecoord.h"
#include "harness.h"

static void test_version(void) {
    CHECK_EQ_INT(carecoord_abi_version(), CARECOORD_ABI_VERSION);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", CARECOORD_VERSION_MAJOR, CARECOORD_VERSION_MINOR,
             CARECOORD_VERSION_PATCH);
    CHECK(strcmp(carecoord_version(), expect) == 0);
    CHECK(strcmp(carecoord_result_name(CARECOORD_RESULT_OK), "CARECOORD_RESULT_OK") == 0);
    CHECK(strcmp(carecoord_result_name(106), "CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH") == 0);
    CHECK(strcmp(carecoord_result_name(99999), "CARECOORD_RESULT_UNKNOWN") == 0);
}

static void test_nhs_number(void) {
    uint64_t v = 0;
    /* DOMAIN.md 2.1 vectors. */
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("943 476 5919"), &v), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(v, 9434765919ULL);
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("987-654-3210"), &v), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(v, 9876543210ULL);
    CHECK(carecoord_nhs_number_is_valid(S("4000000632")));
    CHECK(!carecoord_nhs_number_is_valid(S("9434765918")));
    CHECK(!carecoord_nhs_number_is_valid(NULL, 10));
    CHECK(!carecoord_nhs_number_is_valid("\xff\xfe", 2));
    v = 42;
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("9434765918"), &v), CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH);
    CHECK_EQ_INT(v, 42); /* no partial success */
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("1234567890"), &v), CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_TEN);
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("1111111111"), &v), CARECOORD_RESULT_NHS_NUMBER_ALL_SAME_DIGIT);
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("94347659"), &v), CARECOORD_RESULT_NHS_NUMBER_WRONG_LENGTH);
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("94 34765919"), &v), CARECOORD_RESULT_NHS_NUMBER_BAD_GROUPING);
    CHECK_EQ_INT(carecoord_nhs_number_parse(S(""), &v), CARECOORD_RESULT_NHS_NUMBER_EMPTY);
    CHECK_EQ_INT(carecoord_nhs_number_parse(NULL, 3, &v), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("9434765919"), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_nhs_number_parse("94\xff", 3, &v), CARECOORD_RESULT_INVALID_UTF8);

    /* The last error names the rule, never the digits. */
    CHECK_EQ_INT(carecoord_nhs_number_parse(S("9434765918"), &v), CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH);
    size_t need = carecoord_last_error_length();
    CHECK(need > 1);
    char *msg = malloc(need);
    size_t n = 0;
    CHECK_EQ_INT(carecoord_last_error_message(msg, need, &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n + 1, need);
    CHECK(strcmp(msg, "NHS number check digit mismatch") == 0);
    CHECK(strstr(msg, "943") == NULL);
    free(msg);
    char tiny[4];
    CHECK_EQ_INT(carecoord_last_error_message(tiny, sizeof tiny, &n), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(carecoord_last_error_message(tiny, sizeof tiny, NULL), CARECOORD_RESULT_NULL_ARGUMENT);

    /* Check digits and ranges. */
    CHECK_EQ_INT(carecoord_nhs_number_with_check_digit(943476591, &v), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(v, 9434765919ULL);
    CHECK_EQ_INT(carecoord_nhs_number_with_check_digit(123456789, &v), CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_TEN);
    CHECK_EQ_INT(carecoord_nhs_number_range_of(9434765919ULL), CARECOORD_NHS_NUMBER_RANGE_TEST);
    CHECK_EQ_INT(carecoord_nhs_number_range_of(4000000632ULL), CARECOORD_NHS_NUMBER_RANGE_ENGLAND_WALES_IOM);
    CHECK_EQ_INT(carecoord_nhs_number_range_of(100000002ULL), CARECOORD_NHS_NUMBER_RANGE_SCOTTISH_CHI);

    /* Formatting into caller buffers. */
    char buf[13];
    CHECK_EQ_INT(carecoord_nhs_number_format(9434765919ULL, CARECOORD_NHS_NUMBER_STYLE_SPACED, buf, sizeof buf, &n), CARECOORD_RESULT_OK);
    CHECK(strcmp(buf, "943 476 5919") == 0);
    CHECK_EQ_INT(n, 12);
    CHECK_EQ_INT(carecoord_nhs_number_format(9434765919ULL, CARECOORD_NHS_NUMBER_STYLE_MASKED, buf, sizeof buf, &n), CARECOORD_RESULT_OK);
    CHECK(strcmp(buf, "***-***-5919") == 0);
    CHECK_EQ_INT(carecoord_nhs_number_format(100000002ULL, CARECOORD_NHS_NUMBER_STYLE_CANONICAL, buf, sizeof buf, &n), CARECOORD_RESULT_OK);
    CHECK(strcmp(buf, "0100000002") == 0);
    CHECK_EQ_INT(carecoord_nhs_number_format(9434765919ULL, CARECOORD_NHS_NUMBER_STYLE_SPACED, buf, 5, &n), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(n, 12);
    CHECK_EQ_INT(carecoord_nhs_number_format(9434765919ULL, 7, buf, sizeof buf, &n), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_nhs_number_format(9434765918ULL, CARECOORD_NHS_NUMBER_STYLE_CANONICAL, buf, sizeof buf, &n), CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH);
}

static void test_nhs_batch(void) {
    carecoord_str values[5] = {
        {S("9434765919")}, {S("9434765918")}, {NULL, 0}, {S("943 476 5919")}, {"\xff", 1},
    };
    uint8_t valid[5];
    carecoord_result codes[5];
    size_t count = 99;
    CHECK_EQ_INT(carecoord_nhs_number_validate_batch(values, 5, valid, codes, &count), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(count, 2);
    CHECK(valid[0] == 1 && valid[1] == 0 && valid[2] == 0 && valid[3] == 1 && valid[4] == 0);
    CHECK_EQ_INT(codes[1], CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH);
    CHECK_EQ_INT(codes[2], CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(codes[4], CARECOORD_RESULT_INVALID_UTF8);
    /* Optional outputs may be NULL; required ones may not. */
    CHECK_EQ_INT(carecoord_nhs_number_validate_batch(values, 5, valid, NULL, NULL), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_nhs_number_validate_batch(values, 5, NULL, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_nhs_number_validate_batch(NULL, 0, NULL, NULL, &count), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(count, 0);
}

static void test_snomed_icd10(void) {
    carecoord_snomed_id id;
    CHECK_EQ_INT(carecoord_snomed_id_parse(S("11000001102"), &id), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(id.value, 11000001102ULL);
    CHECK(id.is_extension);
    CHECK_EQ_INT(id.namespace_id, 1000001);
    CHECK_EQ_INT(id.partition, CARECOORD_SNOMED_PARTITION_CONCEPT);
    CHECK_EQ_INT(carecoord_snomed_id_parse(S("22298007"), &id), CARECOORD_RESULT_SNOMED_ID_CHECK_DIGIT_MISMATCH);
    CHECK_EQ_INT(carecoord_snomed_id_parse(S("12345"), &id), CARECOORD_RESULT_SNOMED_ID_WRONG_LENGTH);
    CHECK_EQ_INT(carecoord_snomed_id_parse(NULL, 0, &id), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(carecoord_snomed_id_is_valid(S("404684003")));
    CHECK(!carecoord_snomed_id_is_valid(NULL, 0));

    char code[8];
    size_t n;
    CHECK_EQ_INT(carecoord_icd10_clean(S(" i21.4 "), code, sizeof code, &n), CARECOORD_RESULT_OK);
    CHECK(strcmp(code, "I214") == 0);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(carecoord_icd10_clean(S("A17.0\xe2\x80\xa0"), code, sizeof code, &n), CARECOORD_RESULT_OK); /* dagger */
    CHECK(strcmp(code, "A170") == 0);
    CHECK_EQ_INT(carecoord_icd10_clean(S("I2.14"), code, sizeof code, &n), CARECOORD_RESULT_ICD10_MISPLACED_DOT);
    CHECK_EQ_INT(carecoord_icd10_clean(S("121"), code, sizeof code, &n), CARECOORD_RESULT_ICD10_BAD_CATEGORY);
    CHECK_EQ_INT(carecoord_icd10_clean(S("I214"), code, 2, &n), CARECOORD_RESULT_BUFFER_TOO_SMALL);
}

/* A utf8 Arrow array built by hand, with a release callback that frees it. */
static void release_array(struct ArrowArray *a) {
    free((void *)a->buffers[1]);
    free((void *)a->buffers[2]);
    free(a->buffers);
    a->release = NULL;
}

static void make_utf8(struct ArrowArray *a, struct ArrowSchema *s, const char **vals, int64_t n) {
    int32_t *offsets = malloc(sizeof(int32_t) * (size_t)(n + 1));
    size_t total = 0;
    for (int64_t i = 0; i < n; i++) total += strlen(vals[i]);
    char *data = malloc(total ? total : 1);
    offsets[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        size_t l = strlen(vals[i]);
        memcpy(data + offsets[i], vals[i], l);
        offsets[i + 1] = offsets[i] + (int32_t)l;
    }
    const void **buffers = malloc(sizeof(void *) * 3);
    buffers[0] = NULL; /* no nulls */
    buffers[1] = offsets;
    buffers[2] = data;
    memset(a, 0, sizeof *a);
    a->length = n;
    a->n_buffers = 3;
    a->buffers = buffers;
    a->release = release_array;
    memset(s, 0, sizeof *s);
    s->format = "u";
    s->name = "";
    s->release = NULL; /* static schema: nothing to release */
}

static void test_arrow(void) {
    const char *vals[] = {"9434765919", "9434765918", "943-476-5919"};
    struct ArrowArray in, out;
    struct ArrowSchema in_schema, out_schema;
    make_utf8(&in, &in_schema, vals, 3);
    CHECK_EQ_INT(carecoord_nhs_number_validate_arrow(&in, &in_schema, &out, &out_schema), CARECOORD_RESULT_OK);
    CHECK(in.release == NULL); /* moved into the library and released */
    CHECK(strcmp(out_schema.format, "b") == 0);
    CHECK_EQ_INT(out.length, 3);
    CHECK_EQ_INT(out.null_count, 0);
    const uint8_t *bits = out.buffers[1];
    CHECK_EQ_INT(bits[0] & 0x7, 0x5); /* rows 0 and 2 valid: bits 101 */
    out.release(&out);
    out_schema.release(&out_schema);

    const char *codes[] = {"i21.4", "??", "G01*"};
    make_utf8(&in, &in_schema, codes, 3);
    CHECK_EQ_INT(carecoord_icd10_clean_arrow(&in, &in_schema, &out, &out_schema), CARECOORD_RESULT_OK);
    CHECK(strcmp(out_schema.format, "u") == 0);
    CHECK_EQ_INT(out.null_count, 1);
    const int32_t *off = out.buffers[1];
    const char *data = out.buffers[2];
    CHECK_EQ_INT(off[1] - off[0], 4);
    CHECK(memcmp(data + off[0], "I214", 4) == 0);
    CHECK(memcmp(data + off[2], "G01", 3) == 0);
    out.release(&out);
    out_schema.release(&out_schema);

    /* An unsupported type is an error, and the input is still released by the library. */
    int64_t ints[1] = {1};
    (void)ints;
    make_utf8(&in, &in_schema, codes, 3);
    in_schema.format = "b"; /* lie: claim boolean */
    CHECK(carecoord_icd10_clean_arrow(&in, &in_schema, &out, &out_schema) != CARECOORD_RESULT_OK);
    CHECK(in.release == NULL);
    /* NULL outputs are rejected before the input is taken. */
    make_utf8(&in, &in_schema, codes, 3);
    CHECK_EQ_INT(carecoord_icd10_clean_arrow(&in, &in_schema, NULL, &out_schema), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(in.release != NULL);
    in.release(&in);
    CHECK_EQ_INT(carecoord_icd10_clean_arrow(NULL, &in_schema, &out, &out_schema), CARECOORD_RESULT_NULL_ARGUMENT);
}

int main(void) {
    test_version();
    test_nhs_number();
    test_nhs_batch();
    test_snomed_icd10();
    test_arrow();
    return HARNESS_END();
}
