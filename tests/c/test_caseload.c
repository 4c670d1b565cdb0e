/* C tests for the caseload: events as JSON, rejections with no state change, the UCR
 * two-hour deadline (hand-checked: a fall referred at 16:30 BST on Friday 10 July 2026 has
 * 90 minutes of service time that day, to 18:00 BST, and 30 the next morning from 08:00 BST,
 * so it is due 08:30 BST = 07:30 UTC), a durable journal reopened and replayed, a torn tail
 * reported, a file that is not a journal, bulk loading from an Arrow struct array with a bad
 * row reported by number, queries as JSON and as Arrow, and the chasing list with an MDT
 * action log merged in (hand-checked order: the MDT action 5 days overdue before the task 3
 * days overdue). */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "carecoord.h"
#include "harness.h"
#include "arrow_build.h"

#define T0 "2026-07-10T15:30:00Z"

static const char *EVENTS[] = {
    "{\"patient_registered\":{\"patient\":\"P1\",\"practice\":\"SYN004\",\"birth_date\":\"1939-02-11\"}}",
    "{\"referral_received\":{\"referral\":\"R1\",\"patient\":\"P1\",\"received_at\":\"" T0 "\",\"referrer\":\"NHS 111\"}}",
    "{\"referral_triaged\":{\"referral\":\"R1\",\"priority\":\"ucr_2_hour\",\"ucr_condition\":\"fall\"}}",
};

static carecoord_result apply(carecoord_caseload *c, const char *event, uint64_t *seq) {
    return carecoord_caseload_apply_json(c, S("duty"), S(T0), event, strlen(event), seq);
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static void last_error(char *buf, size_t n) {
    size_t len = 0;
    carecoord_last_error_message(buf, n, &len);
}

static void test_deadline_and_rejection(void) {
    carecoord_caseload *c = NULL;
    CHECK_EQ_INT(carecoord_caseload_new(&c), CARECOORD_RESULT_OK);
    uint64_t seq = 0;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(apply(c, EVENTS[i], &seq), CARECOORD_RESULT_OK);
        CHECK_EQ_INT(seq, i + 1);
    }
    char *rows = NULL;
    const char *soon = "{\"query\":\"breaching_within\",\"at\":\"2026-07-11T07:00:00Z\",\"within_minutes\":60}";
    CHECK_EQ_INT(carecoord_caseload_query_json(c, soon, strlen(soon), &rows), CARECOORD_RESULT_OK);
    CHECK(contains(rows, "\"due_at\":\"2026-07-11T07:30:00Z\""));
    CHECK(contains(rows, "\"minutes_to_due\":30"));
    CHECK(contains(rows, "\"clock\":\"running\""));
    carecoord_string_free(rows);
    const char *late = "{\"query\":\"breaching_within\",\"at\":\"2026-07-11T08:00:00Z\",\"within_minutes\":0}";
    CHECK_EQ_INT(carecoord_caseload_query_json(c, late, strlen(late), &rows), CARECOORD_RESULT_OK);
    CHECK(contains(rows, "\"minutes_to_due\":-30"));
    CHECK(contains(rows, "\"clock\":\"breached\""));
    carecoord_string_free(rows);

    /* Closing a referral that does not exist: rejected, named, nothing changes. */
    char msg[256];
    const char *close = "{\"referral_closed\":{\"referral\":\"R404\",\"outcome\":\"completed\"}}";
    seq = 99;
    CHECK_EQ_INT(apply(c, close, &seq), CARECOORD_RESULT_CASELOAD_NOT_FOUND);
    CHECK_EQ_INT(seq, 99);
    last_error(msg, sizeof msg);
    CHECK(strcmp(msg, "event 4 (referral_closed): field `referral`: no referral with this id") == 0);
    CHECK_EQ_INT(carecoord_caseload_last_seq(c), 3);

    /* Bad JSON, a missing field, a bad instant, an id that looks like an NHS number. */
    CHECK_EQ_INT(apply(c, "{", &seq), CARECOORD_RESULT_CASELOAD_INVALID_JSON);
    CHECK_EQ_INT(apply(c, "{\"patient_registered\":{\"patient\":\"P2\",\"practice\":\"SYN001\"}}", &seq),
                 CARECOORD_RESULT_CASELOAD_INVALID_REQUEST);
    last_error(msg, sizeof msg);
    CHECK(strcmp(msg, "event: field `birth_date`: missing field `birth_date`") == 0);
    CHECK_EQ_INT(carecoord_caseload_apply_json(c, S("duty"), S("yesterday"), S("{}"), &seq),
                 CARECOORD_RESULT_INVALID_ARGUMENT);
    const char *nhs = "{\"patient_registered\":{\"patient\":\"9434765919\",\"practice\":\"SYN001\",\"birth_date\":\"1950-01-01\"}}";
    CHECK_EQ_INT(apply(c, nhs, &seq), CARECOORD_RESULT_CASELOAD_INVALID_FIELD);
    last_error(msg, sizeof msg);
    CHECK(!contains(msg, "9434765919"));
    CHECK_EQ_INT(carecoord_caseload_last_seq(c), 3);

    /* Bad queries. */
    const char *bad = "{\"query\":\"long_stay\",\"at\":\"2026-07-11T07:00:00Z\",\"band\":\"22+\"}";
    CHECK_EQ_INT(carecoord_caseload_query_json(c, bad, strlen(bad), &rows), CARECOORD_RESULT_CASELOAD_INVALID_REQUEST);
    last_error(msg, sizeof msg);
    CHECK(contains(msg, "field `band`"));

    /* NULL arguments. */
    CHECK_EQ_INT(carecoord_caseload_new(NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(apply(NULL, EVENTS[0], &seq), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(apply(c, EVENTS[0], NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_caseload_query_json(c, NULL, 3, &rows), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_caseload_query_json(c, S("{}"), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_caseload_report_json(NULL, &rows), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_caseload_last_seq(NULL), 0);
    CHECK(strcmp(carecoord_result_name(300), "CARECOORD_RESULT_CASELOAD_NOT_FOUND") == 0);
    CHECK(strcmp(carecoord_result_name(321), "CARECOORD_RESULT_JOURNAL_NOT_A_JOURNAL") == 0);
    carecoord_caseload_free(c);
    carecoord_caseload_free(NULL);
}

static void test_journal(void) {
    char path[128];
    snprintf(path, sizeof path, "/tmp/cc-c-caseload-%d.journal", (int)getpid());
    unlink(path);
    carecoord_caseload *c = NULL;
    CHECK_EQ_INT(carecoord_caseload_open(path, strlen(path), &c), CARECOORD_RESULT_OK);
    uint64_t seq = 0;
    for (int i = 0; i < 3; i++) CHECK_EQ_INT(apply(c, EVENTS[i], &seq), CARECOORD_RESULT_OK);
    const char *q = "{\"query\":\"caseload_of\",\"staff\":\"nobody\"}";
    char *before = NULL, *after = NULL, *report = NULL;
    const char *soon = "{\"query\":\"breaching_within\",\"at\":\"2026-07-11T07:00:00Z\",\"within_minutes\":60}";
    CHECK_EQ_INT(carecoord_caseload_query_json(c, soon, strlen(soon), &before), CARECOORD_RESULT_OK);
    carecoord_caseload_free(c);

    /* Replayed: the same state. */
    CHECK_EQ_INT(carecoord_caseload_replay(path, strlen(path), &c), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_caseload_last_seq(c), 3);
    CHECK_EQ_INT(carecoord_caseload_query_json(c, soon, strlen(soon), &after), CARECOORD_RESULT_OK);
    CHECK(strcmp(before, after) == 0);
    CHECK_EQ_INT(carecoord_caseload_query_json(c, q, strlen(q), &report), CARECOORD_RESULT_OK);
    CHECK(strcmp(report, "[]") == 0);
    carecoord_string_free(report);
    carecoord_string_free(after);
    carecoord_caseload_free(c);

    /* Cut the last record short: the replay ignores it and reports a torn tail. */
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    CHECK(truncate(path, size - 5) == 0);
    CHECK_EQ_INT(carecoord_caseload_replay(path, strlen(path), &c), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_caseload_last_seq(c), 2);
    CHECK_EQ_INT(carecoord_caseload_report_json(c, &report), CARECOORD_RESULT_OK);
    CHECK(contains(report, "\"code\":\"torn_tail\""));
    CHECK(contains(report, "\"last_seq\":2"));
    carecoord_string_free(report);
    carecoord_caseload_free(c);
    /* Opening it for writing repairs the tail; the event can be recorded again. */
    CHECK_EQ_INT(carecoord_caseload_open(path, strlen(path), &c), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(apply(c, EVENTS[2], &seq), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(seq, 3);
    CHECK_EQ_INT(carecoord_caseload_query_json(c, soon, strlen(soon), &after), CARECOORD_RESULT_OK);
    CHECK(strcmp(before, after) == 0);
    carecoord_string_free(after);
    carecoord_string_free(before);
    carecoord_caseload_free(c);
    unlink(path);

    /* Not a journal. */
    f = fopen(path, "wb");
    fputs("shopping list\n", f);
    fclose(f);
    c = NULL;
    CHECK_EQ_INT(carecoord_caseload_replay(path, strlen(path), &c), CARECOORD_RESULT_JOURNAL_NOT_A_JOURNAL);
    CHECK(c == NULL);
    CHECK_EQ_INT(carecoord_caseload_open(path, strlen(path), &c), CARECOORD_RESULT_JOURNAL_NOT_A_JOURNAL);
    unlink(path);
}

/* ---- Arrow: a struct array (one record batch) of utf8 children, built by hand. ---- */

static struct ArrowSchema CHILD_SCHEMAS[3] = {
    {"u", "patient", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, NULL, NULL},
    {"u", "practice", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, NULL, NULL},
    {"u", "birth_date", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, NULL, NULL},
};
static struct ArrowSchema *CHILD_SCHEMA_PTRS[3] = {&CHILD_SCHEMAS[0], &CHILD_SCHEMAS[1], &CHILD_SCHEMAS[2]};
static struct ArrowSchema STRUCT_SCHEMA = {"+s", "", NULL, 0, 3, CHILD_SCHEMA_PTRS, NULL, NULL, NULL};

static void make_batch(struct ArrowArray *a, const char **cols[3], int64_t n) {
    struct ArrowArray **children = malloc(sizeof(struct ArrowArray *) * 3);
    for (int i = 0; i < 3; i++) {
        children[i] = malloc(sizeof(struct ArrowArray));
        make_utf8(children[i], cols[i], n);
    }
    const void **buffers = malloc(sizeof(void *));
    buffers[0] = NULL;
    memset(a, 0, sizeof *a);
    a->length = n;
    a->n_buffers = 1;
    a->buffers = buffers;
    a->n_children = 3;
    a->children = children;
    a->release = release_struct;
}

static void test_bulk_and_arrow_queries(void) {
    carecoord_caseload *c = NULL;
    CHECK_EQ_INT(carecoord_caseload_new(&c), CARECOORD_RESULT_OK);
    const char *patients[] = {"P1", "P2", "P3"};
    const char *practices[] = {"SYN001", "SYN001", "SYN002"};
    const char *births[] = {"1940-05-01", "1940-13-01", "1951-02-03"}; /* row 1: no 13th month */
    const char **cols[3] = {patients, practices, births};
    struct ArrowArray in;
    make_batch(&in, cols, 3);
    const char *options = "{\"event\":\"patient_registered\",\"who\":\"import\",\"recorded_at\":\"2026-01-05T09:00:00Z\"}";
    char *report = NULL;
    CHECK_EQ_INT(carecoord_caseload_load_arrow(c, &in, &STRUCT_SCHEMA, options, strlen(options), &report),
                 CARECOORD_RESULT_OK);
    CHECK(in.release == NULL); /* taken over and released by the library */
    CHECK(contains(report, "\"applied\":2"));
    CHECK(contains(report, "\"row\":1"));
    CHECK(contains(report, "field `birth_date`: expected a date as YYYY-MM-DD"));
    CHECK(!contains(report, "1940-13-01"));
    carecoord_string_free(report);
    CHECK_EQ_INT(carecoord_caseload_last_seq(c), 2);

    /* Options missing: every row is reported (no event kind), nothing applied. */
    make_batch(&in, cols, 3);
    CHECK_EQ_INT(carecoord_caseload_load_arrow(c, &in, &STRUCT_SCHEMA, NULL, 0, &report), CARECOORD_RESULT_OK);
    CHECK(contains(report, "\"applied\":0"));
    CHECK(contains(report, "\"row\":2"));
    carecoord_string_free(report);
    make_batch(&in, cols, 3);
    CHECK_EQ_INT(carecoord_caseload_load_arrow(c, &in, &STRUCT_SCHEMA, S("{\"colour\":1}"), &report),
                 CARECOORD_RESULT_CASELOAD_INVALID_REQUEST);
    if (in.release) in.release(&in);

    /* A query as Arrow: the workload schema, with no rows for this caseload. */
    struct ArrowArray out;
    struct ArrowSchema out_schema;
    const char *q = "{\"query\":\"workload\",\"day\":\"2026-01-05\"}";
    CHECK_EQ_INT(carecoord_caseload_query_arrow(c, q, strlen(q), &out, &out_schema), CARECOORD_RESULT_OK);
    CHECK(strcmp(out_schema.format, "+s") == 0);
    CHECK_EQ_INT(out_schema.n_children, 11);
    CHECK(strcmp(out_schema.children[0]->name, "staff") == 0);
    CHECK(strcmp(out_schema.children[4]->format, "I") == 0); /* covering: uint32 */
    CHECK_EQ_INT(out.length, 0);
    out.release(&out);
    out_schema.release(&out_schema);

    /* Register members as Arrow: two rows, dates as date32. */
    const char *join = "{\"register_joined\":{\"patient\":\"P1\",\"register\":\"palliative\",\"on\":\"2026-01-05\"}}";
    uint64_t seq = 0;
    CHECK_EQ_INT(carecoord_caseload_apply_json(c, S("gp"), S("2026-01-05T10:00:00Z"), join, strlen(join), &seq),
                 CARECOORD_RESULT_OK);
    const char *m = "{\"query\":\"register_members\",\"register\":\"palliative\",\"day\":\"2026-01-06\"}";
    CHECK_EQ_INT(carecoord_caseload_query_arrow(c, m, strlen(m), &out, &out_schema), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(out.length, 1);
    CHECK(strcmp(out_schema.children[2]->name, "since") == 0);
    CHECK(strcmp(out_schema.children[2]->format, "tdD") == 0);
    CHECK(strcmp(out_schema.children[3]->format, "tsm:UTC") == 0);
    out.release(&out);
    out_schema.release(&out_schema);

    /* A handover summary has no Arrow form; as JSON it names the patient. */
    const char *h = "{\"query\":\"handover_summary\",\"patient\":\"P1\",\"at\":\"2026-01-06T09:00:00Z\"}";
    out.release = NULL;
    CHECK_EQ_INT(carecoord_caseload_query_arrow(c, h, strlen(h), &out, &out_schema), CARECOORD_RESULT_CASELOAD_INVALID_REQUEST);
    CHECK(out.release == NULL);
    char *summary = NULL;
    CHECK_EQ_INT(carecoord_caseload_query_json(c, h, strlen(h), &summary), CARECOORD_RESULT_OK);
    CHECK(contains(summary, "\"patient\":\"P1\""));
    CHECK(contains(summary, "palliative"));
    carecoord_string_free(summary);
    carecoord_caseload_free(c);
}

static void test_chase_list_with_mdt(void) {
    carecoord_caseload *c = NULL;
    CHECK_EQ_INT(carecoord_caseload_new(&c), CARECOORD_RESULT_OK);
    const char *staff = "{\"staff_joined\":{\"staff\":\"N1\",\"band\":\"6\",\"skills\":[\"nursing\"]}}";
    const char *task = "{\"task_created\":{\"task\":\"T1\",\"owner\":\"N1\",\"due\":\"2026-03-03\","
                       "\"kind\":\"chase_document\",\"text\":\"Chase the discharge letter\"}}";
    uint64_t seq = 0;
    CHECK_EQ_INT(carecoord_caseload_apply_json(c, S("lead"), S("2026-03-02T09:00:00Z"), staff, strlen(staff), &seq),
                 CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_caseload_apply_json(c, S("lead"), S("2026-03-02T09:00:00Z"), task, strlen(task), &seq),
                 CARECOORD_RESULT_OK);
    const char *actions =
        "{\"actions\":["
        "{\"id\":\"A1\",\"patient_ref\":\"P-12\",\"description\":\"Chase CHC panel date\",\"owner\":\"flow-2\","
        "\"due\":\"2026-03-01\",\"status\":\"open\",\"completed\":null,\"raised_at\":\"m1\",\"raised_on\":\"2026-02-24\"},"
        "{\"id\":\"A2\",\"patient_ref\":null,\"description\":\"Book the room\",\"owner\":\"flow-2\","
        "\"due\":\"2026-02-27\",\"status\":\"done\",\"completed\":\"2026-02-26\",\"raised_at\":\"m1\",\"raised_on\":\"2026-02-24\"}]}";
    carecoord_action_log *log = NULL;
    CHECK_EQ_INT(carecoord_action_log_from_json(actions, strlen(actions), &log), CARECOORD_RESULT_OK);
    const carecoord_action_log *logs[1] = {log};
    carecoord_date today = {2026, 3, 6};

    char *rows = NULL;
    CHECK_EQ_INT(carecoord_caseload_chase_list_json(c, today, logs, 1, &rows), CARECOORD_RESULT_OK);
    const char *a1 = strstr(rows, "\"id\":\"A1\"");
    const char *t1 = strstr(rows, "\"id\":\"T1\"");
    CHECK(a1 != NULL && t1 != NULL && a1 < t1);
    CHECK(contains(rows, "\"source\":\"mdt\""));
    CHECK(contains(rows, "\"days_overdue\":5"));
    CHECK(contains(rows, "\"days_overdue\":3"));
    CHECK(!contains(rows, "A2")); /* done: not chased */
    carecoord_string_free(rows);

    /* No logs: the chase_list query's rows, the task alone. */
    CHECK_EQ_INT(carecoord_caseload_chase_list_json(c, today, NULL, 0, &rows), CARECOORD_RESULT_OK);
    CHECK(contains(rows, "\"id\":\"T1\"") && !contains(rows, "A1"));
    carecoord_string_free(rows);

    struct ArrowArray out;
    struct ArrowSchema out_schema;
    CHECK_EQ_INT(carecoord_caseload_chase_list_arrow(c, today, logs, 1, &out, &out_schema), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(out.length, 2);
    CHECK_EQ_INT(out_schema.n_children, 9);
    CHECK(strcmp(out_schema.children[0]->name, "owner") == 0);
    out.release(&out);
    out_schema.release(&out_schema);

    /* Bad arguments, named. */
    char msg[256];
    CHECK_EQ_INT(carecoord_caseload_chase_list_json(c, today, NULL, 1, &rows), CARECOORD_RESULT_NULL_ARGUMENT);
    const carecoord_action_log *holes[2] = {log, NULL};
    CHECK_EQ_INT(carecoord_caseload_chase_list_json(c, today, holes, 2, &rows), CARECOORD_RESULT_NULL_ARGUMENT);
    last_error(msg, sizeof msg);
    CHECK(contains(msg, "logs[1]"));
    carecoord_date never = {2026, 2, 30};
    CHECK_EQ_INT(carecoord_caseload_chase_list_json(c, never, logs, 1, &rows), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_caseload_chase_list_json(NULL, today, logs, 1, &rows), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_caseload_chase_list_arrow(c, today, logs, 1, NULL, &out_schema), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_action_log_free(log);
    carecoord_caseload_free(c);
}

int main(void) {
    test_deadline_and_rejection();
    test_journal();
    test_bulk_and_arrow_queries();
    test_chase_list_with_mdt();
    return HARNESS_END();
}
