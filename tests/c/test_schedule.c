/* C tests for meeting scheduling: solve, evaluate and the series conflict report on the
 * shared tiny example; a diary and its three queries on a small instance; every
 * SCHEDULE_* code the inputs can produce, the argument and JSON path in the last error,
 * NULL arguments and invalid UTF-8.
 *
 * tiny.json is read from ../shared/examples/schedule (relative to the repository root,
 * where `make test-c` runs the tests); its reference objective [0, -16, 0, 0, 1856] is the
 * one the Rust core and the reference evaluator schedule-eval give. The diary answers were
 * worked out by hand (comments at each check). */
#include <stdint.h>
#include <stdlib.h>
#include "carecoord.h"
#include "harness.h"

#define TINY "../shared/examples/schedule/tiny.json"

/* The whole file, NUL-terminated, or NULL. */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)n, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

/* Whether the calling thread's last error message contains `needle` (printed when it does
 * not and `expected`, to help read a failure). */
static int last_error_has(const char *needle, int expected) {
    char buf[512];
    size_t n = 0;
    if (carecoord_last_error_message(buf, sizeof buf, &n) != CARECOORD_RESULT_OK) return 0;
    int found = strstr(buf, needle) != NULL;
    if (expected && !found) fprintf(stderr, "last error: %s\n", buf);
    return found;
}
#define last_error_contains(needle) last_error_has((needle), 1)

/* Copy the `start` of meeting `id` in a solution's assignments into out[17]. */
static int start_of(const char *solution, const char *id, char out[17]) {
    char key[64];
    snprintf(key, sizeof key, "\"meeting\": \"%s\"", id);
    const char *m = strstr(solution, key);
    const char *s = m ? strstr(m, "\"start\": \"") : NULL;
    if (!s) return 0;
    memcpy(out, s + 10, 16);
    out[16] = '\0';
    return 1;
}

/* A small instance (Monday 23 to Friday 27 March 2026, 08:00-18:00): p1 works every day and
 * has a weekly Monday 09:00-09:30 series s1; p2 is busy Tuesday 08:00-11:00; p3 works on
 * Tuesdays only; rm1 is a physical room for two; m1 is a one-hour meeting for p1. */
static const char DIARY[] =
    "{\"schema\": \"carecoord.schedule.v1\", \"name\": \"diary\","
    " \"horizon\": {\"start\": \"2026-03-23\", \"days\": 5},"
    " \"people\": [{\"id\": \"p1\"},"
    "   {\"id\": \"p2\", \"busy\": [{\"start\": \"2026-03-24T08:00\", \"end\": \"2026-03-24T11:00\"}]},"
    "   {\"id\": \"p3\", \"working_days\": [\"Tue\"]}],"
    " \"rooms\": [{\"id\": \"rm1\", \"capacity\": 2, \"virtual\": false}],"
    " \"series\": [{\"id\": \"s1\", \"rrule\": \"FREQ=WEEKLY;BYDAY=MO\", \"dtstart\": \"2026-03-23T09:00\","
    "   \"duration_minutes\": 30, \"attendees\": [\"p1\"], \"room\": null}],"
    " \"meetings\": [{\"id\": \"m1\", \"duration_minutes\": 60, \"required\": [\"p1\"], \"rooms\": \"any\"}]}";

static void test_tiny(void) {
    size_t len = 0;
    char *tiny = slurp(TINY, &len);
    if (!tiny) {
        printf("skipping tiny.json checks: %s not found\n", TINY);
        return;
    }
    char *solution = NULL, *evaluation = NULL, *report = NULL;

    /* Default options (NULL): the plan the Rust core makes, scored as schedule-eval does. */
    CHECK_EQ_INT(carecoord_schedule_solve(tiny, len, NULL, 0, NULL, &solution), CARECOORD_RESULT_OK);
    CHECK(solution != NULL && strstr(solution, "\"schema\": \"carecoord.schedule.v1\"") != NULL);
    CHECK_EQ_INT(carecoord_schedule_evaluate(tiny, len, solution, strlen(solution), &evaluation),
                 CARECOORD_RESULT_OK);
    CHECK(strstr(evaluation, "\"objective\": [0, -16, 0, 0, 1856]") != NULL);
    CHECK(strstr(evaluation, "\"feasible\": true") != NULL);
    CHECK(strstr(evaluation, "\"hard_violations\": 0,") != NULL);
    CHECK(strstr(evaluation, "\"meetings_placed\": 3,") != NULL);
    CHECK(strstr(evaluation, "\"moved\": 0,") != NULL);
    CHECK(strstr(evaluation, "\"violations\": [],") != NULL);
    CHECK(strstr(evaluation, "\"warnings\": []") != NULL);
    /* m1 stays where the instance's previous plan put it; m3 cannot be placed (p2, p5). */
    char start[17] = "";
    CHECK(start_of(solution, "m1", start) && strcmp(start, "2026-03-24T14:00") == 0);
    CHECK(strstr(solution, "\"meeting\": \"m3\",\n      \"reason\": \"no_common_free_slot\"") != NULL);

    /* No time limit, same seed: the search stops on its own, with the same plan. */
    carecoord_schedule_options options = carecoord_schedule_options_default();
    CHECK_EQ_INT(options.time_limit_ms, 1500);
    CHECK_EQ_INT(options.seed, 0);
    options.time_limit_ms = 0;
    char *again = NULL;
    CHECK_EQ_INT(carecoord_schedule_solve(tiny, len, NULL, 0, &options, &again), CARECOORD_RESULT_OK);
    CHECK(again != NULL && strcmp(again, solution) == 0);
    carecoord_string_free(again);

    /* A previous plan given separately replaces the instance's: m1 was at Monday 30 March
     * 10:00 in rm1, which is still feasible, so it stays there (fewest moves come before
     * the preferred attendee p3, on leave that day). Against tiny's own previous plan, m1
     * has moved and p3 is a preferred conflict. */
    static const char previous[] =
        "{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"2026-03-30T10:00\", \"room\": \"rm1\"}]}";
    char *replanned = NULL, *scored = NULL;
    CHECK_EQ_INT(carecoord_schedule_solve(tiny, len, S(previous), NULL, &replanned), CARECOORD_RESULT_OK);
    CHECK(start_of(replanned, "m1", start) && strcmp(start, "2026-03-30T10:00") == 0);
    CHECK_EQ_INT(carecoord_schedule_evaluate(tiny, len, replanned, strlen(replanned), &scored),
                 CARECOORD_RESULT_OK);
    CHECK(strstr(scored, "\"moved\": 1,") != NULL);
    CHECK(strstr(scored, "\"preferred_conflicts\": 1,") != NULL);
    carecoord_string_free(replanned);
    carecoord_string_free(scored);

    /* The two conflicts of tiny.solution.json: s1 on 23 March shares rm1 with its maintenance
     * slot; s2 on Friday 27 March falls in p3's annual leave. */
    CHECK_EQ_INT(carecoord_schedule_series_conflicts(tiny, len, &report), CARECOORD_RESULT_OK);
    CHECK(report != NULL && strcmp(report,
                                   "[\n"
                                   " {\"series\": \"s1\", \"start\": \"2026-03-23T09:00\", \"conflicts\": [\"rm1\"]},\n"
                                   " {\"series\": \"s2\", \"start\": \"2026-03-27T14:00\", \"conflicts\": [\"p3\"]}\n"
                                   "]") == 0);

    /* A solution that misses every meeting: four missing_meeting violations, not an error. */
    char *empty = NULL;
    CHECK_EQ_INT(carecoord_schedule_evaluate(tiny, len, S("{}"), &empty), CARECOORD_RESULT_OK);
    CHECK(strstr(empty, "\"feasible\": false") != NULL);
    CHECK(strstr(empty, "{\"code\": \"missing_meeting\", \"ids\": [\"m1\"]}") != NULL);
    CHECK(strstr(empty, "\"objective\": [6, 0, 1, 0, 0]") != NULL); /* + 2 series conflicts */
    carecoord_string_free(empty);

    carecoord_string_free(solution);
    carecoord_string_free(evaluation);
    carecoord_string_free(report);
    free(tiny);
}

static void test_errors(void) {
    char *out = (char *)"untouched";
    char *const before = out;

    /* Malformed JSON: the line and column, never the text. */
    CHECK_EQ_INT(carecoord_schedule_solve(S("{\"schema\": "), NULL, 0, NULL, &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_JSON);
    CHECK(last_error_contains("argument `instance_json`: invalid JSON at line 1, column 11"));
    CHECK(out == before);

    /* A missing field and an unknown id name their JSON path. */
    CHECK_EQ_INT(carecoord_schedule_series_conflicts(S("{\"schema\": \"carecoord.schedule.v1\"}"), &out),
                 CARECOORD_RESULT_SCHEDULE_MISSING_FIELD);
    CHECK(last_error_contains("argument `instance_json`: horizon: required field is missing"));
    static const char unknown[] =
        "{\"schema\": \"carecoord.schedule.v1\", \"horizon\": {\"start\": \"2026-03-23\", \"days\": 5},"
        " \"people\": [{\"id\": \"p1\"}],"
        " \"meetings\": [{\"id\": \"m1\", \"duration_minutes\": 30, \"required\": [\"p1\", \"Jane Doe\"]}]}";
    CHECK_EQ_INT(carecoord_schedule_solve(S(unknown), NULL, 0, NULL, &out), CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID);
    CHECK(last_error_contains("meetings[0].required[1]: unknown person id"));
    CHECK(!last_error_has("Jane", 0));
    CHECK(out == before);

    /* A bad time in a solution names that argument. */
    CHECK_EQ_INT(carecoord_schedule_evaluate(S(DIARY),
                                             S("{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"24/03/2026\", \"room\": \"rm1\"}]}"),
                                             &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_TIME);
    CHECK(last_error_contains("argument `solution_json`: assignments[0].start:"));
    CHECK_EQ_INT(carecoord_schedule_solve(S(DIARY), S("{\"assignments\": 1}"), NULL, &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("argument `previous_json`: assignments: expected an array"));

    /* A pinned meeting in its only attendee's busy time. */
    static const char pinned[] =
        "{\"schema\": \"carecoord.schedule.v1\", \"horizon\": {\"start\": \"2026-03-23\", \"days\": 5},"
        " \"people\": [{\"id\": \"p1\", \"busy\": [{\"start\": \"2026-03-23T08:00\", \"end\": \"2026-03-23T12:00\"}]}],"
        " \"rooms\": [{\"id\": \"virt\", \"virtual\": true}],"
        " \"meetings\": [{\"id\": \"m1\", \"duration_minutes\": 60, \"required\": [\"p1\"],"
        "   \"pinned\": {\"start\": \"2026-03-23T09:00\", \"room\": \"virt\"}}]}";
    CHECK_EQ_INT(carecoord_schedule_solve(S(pinned), NULL, 0, NULL, &out), CARECOORD_RESULT_SCHEDULE_PINNED_INFEASIBLE);
    CHECK(last_error_contains("meetings[0].pinned: pinned slot breaks hard rule `person_busy`"));

    /* An RRULE part that is not expanded. */
    static const char hourly[] =
        "{\"schema\": \"carecoord.schedule.v1\", \"horizon\": {\"start\": \"2026-03-23\", \"days\": 5},"
        " \"people\": [{\"id\": \"p1\"}],"
        " \"series\": [{\"id\": \"s1\", \"rrule\": \"FREQ=HOURLY\", \"dtstart\": \"2026-03-23T09:00\","
        "   \"duration_minutes\": 30, \"attendees\": [\"p1\"], \"room\": null}]}";
    CHECK_EQ_INT(carecoord_schedule_series_conflicts(S(hourly), &out), CARECOORD_RESULT_SCHEDULE_UNSUPPORTED_RRULE);
    CHECK(last_error_contains("series[0].rrule"));
    CHECK(out == before);

    /* Invalid UTF-8 and NULL arguments. */
    CHECK_EQ_INT(carecoord_schedule_solve(S("{\"name\": \"\xff\"}"), NULL, 0, NULL, &out), CARECOORD_RESULT_INVALID_UTF8);
    CHECK_EQ_INT(carecoord_schedule_solve(NULL, 0, NULL, 0, NULL, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("argument `instance_json` is NULL"));
    CHECK_EQ_INT(carecoord_schedule_solve(S(DIARY), NULL, 0, NULL, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("argument `out_solution_json` is NULL"));
    CHECK_EQ_INT(carecoord_schedule_evaluate(S(DIARY), NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("argument `solution_json` is NULL"));
    CHECK_EQ_INT(carecoord_schedule_evaluate(S(DIARY), S("{}"), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_schedule_series_conflicts(NULL, 5, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_schedule_series_conflicts(S(DIARY), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(out == before);

    CHECK(strcmp(carecoord_result_name(CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID), "CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID") == 0);
    CHECK(strcmp(carecoord_result_name(CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED),
                 "CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED") == 0);
    CHECK_EQ_INT(CARECOORD_RESULT_SCHEDULE_INVALID_JSON, 500);
    carecoord_string_free(NULL);
}

/* Run an earliest-common-slot query; returns the code, and the answer in `out` (freed by the
 * caller). */
static carecoord_result ecs(const carecoord_diary *d, const char *query, char **out) {
    *out = NULL;
    return carecoord_diary_earliest_common_slot(d, query, strlen(query), out);
}

static void test_diary(void) {
    carecoord_diary *d = NULL;
    CHECK_EQ_INT(carecoord_diary_new(S(DIARY), &d), CARECOORD_RESULT_OK);
    char *out = NULL;

    /* p1 alone, an hour: Monday 23 March 08:00-09:00 ends as s1 begins. */
    CHECK_EQ_INT(ecs(d, "{\"people\": [\"p1\"], \"duration_minutes\": 60}", &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "{\"start\": \"2026-03-23T08:00\", \"end\": \"2026-03-23T09:00\", \"room\": null, "
                             "\"preferred_unavailable\": []}") == 0);
    carecoord_string_free(out);

    /* From Tuesday 08:00 with p2 preferred and a physical room: p2 is busy until 11:00, so
     * 11:00 in rm1 is the first slot that leaves nobody out. */
    CHECK_EQ_INT(ecs(d,
                     "{\"people\": [\"p1\"], \"preferred\": [\"p2\"], \"duration_minutes\": 60,"
                     " \"window\": {\"earliest\": \"2026-03-24T08:00\"}, \"needs_physical\": true}",
                     &out),
                 CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "{\"start\": \"2026-03-24T11:00\", \"end\": \"2026-03-24T12:00\", \"room\": \"rm1\", "
                             "\"preferred_unavailable\": []}") == 0);
    carecoord_string_free(out);

    /* Three people cannot fit in rm1 (two seats); p2 has no hour between 08:00 and 09:00. */
    CHECK_EQ_INT(ecs(d, "{\"people\": [\"p1\", \"p2\", \"p3\"], \"duration_minutes\": 60, \"rooms\": [\"rm1\"]}", &out),
                 CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "null") == 0);
    carecoord_string_free(out);
    CHECK_EQ_INT(ecs(d,
                     "{\"people\": [\"p2\"], \"duration_minutes\": 60,"
                     " \"window\": {\"earliest\": \"2026-03-24T08:00\", \"latest\": \"2026-03-24T09:00\"}}",
                     &out),
                 CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "null") == 0);
    carecoord_string_free(out);

    /* Free hours for p2 on Tuesday ending by 13:00: 11:00, 11:15, 11:30, 11:45, 12:00. */
    static const char tuesday[] =
        "{\"people\": [\"p2\"], \"duration_minutes\": 60,"
        " \"window\": {\"earliest\": \"2026-03-24T08:00\", \"latest\": \"2026-03-24T13:00\"}}";
    out = NULL;
    CHECK_EQ_INT(carecoord_diary_free_slots(d, S(tuesday), &out), CARECOORD_RESULT_OK);
    int slots = 0;
    for (const char *p = out; p && (p = strstr(p, "\"start\": ")) != NULL; p++) slots++;
    CHECK_EQ_INT(slots, 5);
    CHECK(out && strncmp(out, "[{\"start\": \"2026-03-24T11:00\"", 29) == 0);
    CHECK(out && strstr(out, "{\"start\": \"2026-03-24T12:00\", \"end\": \"2026-03-24T13:00\", \"room\": null, "
                             "\"preferred_unavailable\": []}]") != NULL);
    carecoord_string_free(out);

    /* Monday 09:15-10:00: p1 is in s1 until 09:30 and p3 does not work on Mondays. */
    out = NULL;
    CHECK_EQ_INT(carecoord_diary_who_blocks(d,
                                            S("{\"people\": [\"p1\", \"p3\"], \"start\": \"2026-03-23T09:15\","
                                              " \"end\": \"2026-03-23T10:00\"}"),
                                            &out),
                 CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "[\"p1\", \"p3\", \"s1\"]") == 0);
    carecoord_string_free(out);
    /* Tuesday 10:00-11:00 in rm1 for three: p2 is busy and rm1 seats two. */
    out = NULL;
    CHECK_EQ_INT(carecoord_diary_who_blocks(d,
                                            S("{\"people\": [\"p1\", \"p2\", \"p3\"], \"start\": \"2026-03-24T10:00\","
                                              " \"end\": \"2026-03-24T11:00\", \"room\": \"rm1\"}"),
                                            &out),
                 CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "[\"p2\", \"rm1\"]") == 0);
    carecoord_string_free(out);

    /* Query errors name the argument and the JSON path (or the query argument). */
    out = NULL;
    CHECK_EQ_INT(ecs(d, "{\"people\": [\"p9\"], \"duration_minutes\": 60}", &out), CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("argument `query_json`: query argument `people`: item 0 is not a person"));
    CHECK(out == NULL);
    CHECK_EQ_INT(ecs(d, "{\"people\": [\"p1\"], \"duration_minutes\": 60, \"window\": {\"earliest\": \"tomorrow\"}}", &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_TIME);
    CHECK(last_error_contains("argument `query_json`: window.earliest: expected a local date-time"));
    CHECK_EQ_INT(ecs(d, "{\"people\": [\"p1\"]}", &out), CARECOORD_RESULT_SCHEDULE_MISSING_FIELD);
    CHECK(last_error_contains("duration_minutes: required field is missing"));
    CHECK_EQ_INT(ecs(d, "{\"people\": \"p1\", \"duration_minutes\": 60}", &out), CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("people: expected an array"));
    CHECK_EQ_INT(ecs(d, "{\"people\": [\"p1\"],\n \"duration_minutes\": 60,,}", &out), CARECOORD_RESULT_SCHEDULE_INVALID_JSON);
    CHECK(last_error_contains("invalid JSON at line 2, column 25"));
    CHECK_EQ_INT(carecoord_diary_who_blocks(d,
                                            S("{\"people\": [\"p1\"], \"start\": \"2026-03-23T10:00\","
                                              " \"end\": \"2026-03-23T09:00\"}"),
                                            &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("query argument `slot`: must end after it starts"));
    CHECK(out == NULL);

    /* NULL arguments. */
    CHECK_EQ_INT(ecs(NULL, "{}", &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("argument `diary` is NULL"));
    CHECK_EQ_INT(carecoord_diary_free_slots(d, NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_diary_who_blocks(d, S("{}"), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_diary_new(S(DIARY), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_diary_new(NULL, 0, &d), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(out == NULL);
    carecoord_diary_free(d);
    carecoord_diary_free(NULL);

    /* With a plan: m1 placed Monday 08:00-09:00 in rm1 blocks p1 and rm1 until then, and s1
     * until 09:30. */
    carecoord_diary *planned = NULL;
    static const char plan[] = "{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"2026-03-23T08:00\", \"room\": \"rm1\"}]}";
    CHECK_EQ_INT(carecoord_diary_with_solution(S(DIARY), S(plan), &planned), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(ecs(planned, "{\"people\": [\"p1\"], \"duration_minutes\": 60}", &out), CARECOORD_RESULT_OK);
    CHECK(out && strncmp(out, "{\"start\": \"2026-03-23T09:30\"", 28) == 0);
    carecoord_string_free(out);
    out = NULL;
    CHECK_EQ_INT(carecoord_diary_who_blocks(planned,
                                            S("{\"people\": [\"p1\"], \"start\": \"2026-03-23T08:30\","
                                              " \"end\": \"2026-03-23T09:15\", \"room\": \"rm1\"}"),
                                            &out),
                 CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "[\"p1\", \"rm1\", \"s1\", \"m1\"]") == 0);
    carecoord_string_free(out);
    carecoord_diary_free(planned);

    /* A plan naming an unknown room. */
    carecoord_diary *bad = NULL;
    CHECK_EQ_INT(carecoord_diary_with_solution(S(DIARY),
                                               S("{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"2026-03-23T08:00\", \"room\": \"rm9\"}]}"),
                                               &bad),
                 CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID);
    CHECK(last_error_contains("argument `solution_json`: assignments[0].room: unknown room id"));
    CHECK(bad == NULL);
}

int main(void) {
    test_tiny();
    test_errors();
    test_diary();
    return HARNESS_END();
}
