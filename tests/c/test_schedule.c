/* C tests for meeting scheduling: solve, evaluate and the series conflict report on the
 * shared tiny example; a diary and its three queries on a small instance; the meeting work
 * (agenda JSON and Markdown of a two-patient MDT, the action log with its overdue and
 * chasing lists, candidate slots and the availability email, series occurrences and the
 * iCalendar text); every SCHEDULE_* code the inputs can produce, the argument and JSON path
 * in the last error, NULL arguments and invalid UTF-8.
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
    CHECK(strstr(scored, "{\"meeting\": \"m1\", \"person\": \"p3\", \"why\": [\"person_busy\"]}") != NULL);
    CHECK(strstr(scored, "\"moved_meetings\": [\"m1\"]") != NULL);
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

/* The meeting-work fixtures (synthetic). Expected outputs were worked out by hand from the
 * rules in the comments of each test. */
static const char MDT[] =
    "{\"id\": \"m1\", \"title\": \"Frailty MDT\", \"start\": \"2026-03-24T14:00\", \"end\": \"2026-03-24T15:00\", \"room\": \"rm1\", \"required\": [\"p1\", \"p2\"], \"preferred\": [\"p3\"]}";

static const char MDT_ITEMS[] =
    "[{\"patient_ref\": \"CASE-0101\", \"label\": \"AB, 84\", \"risk_tier\": 2, \"days_since_review\": 40, \"involved\": [\"p1\"], \"summary\": {\"reason\": \"Falls at home\", \"key_problems\": [\"Falls\", \"COPD\"], \"risk_scores\": [{\"name\": \"eFI\", \"value\": \"0.31 (moderate)\"}]}}, {\"patient_ref\": \"CASE-0102\", \"label\": \"CD, 77\", \"risk_tier\": 1, \"breached\": true, \"minutes\": 15, \"involved\": [\"p2\"]}]";

static const char MDT_MARKDOWN[] =
    "# Agenda: Frailty MDT\n"
    "\n"
    "- Meeting: m1\n"
    "- When: Tue 24 Mar 2026, 14:00-15:00 (Europe/London)\n"
    "- Where: rm1\n"
    "- Required: p1, p2\n"
    "- Optional: p3\n"
    "\n"
    "| Time | Item |\n"
    "| --- | --- |\n"
    "| 14:00-14:10 | Actions from last meeting |\n"
    "| 14:10-14:25 | Patient CASE-0102 (CD, 77) |\n"
    "| 14:25-14:35 | Patient CASE-0101 (AB, 84) |\n"
    "| 14:35-14:40 | Any other business |\n"
    "\n"
    "## 14:10-14:25 Patient CASE-0102 (CD, 77)\n"
    "\n"
    "- Reason for discussion: not given\n"
    "- Risk tier: 1\n"
    "- Deadline breached: yes\n"
    "- Last review: never\n"
    "- Key problems: none\n"
    "- Risk scores: none\n"
    "- Open actions: none\n"
    "- Involved: p2\n"
    "\n"
    "## 14:25-14:35 Patient CASE-0101 (AB, 84)\n"
    "\n"
    "- Reason for discussion: Falls at home\n"
    "- Risk tier: 2\n"
    "- Deadline breached: no\n"
    "- Last review: 40 days ago\n"
    "- Key problems: Falls; COPD\n"
    "- Risk scores: eFI 0.31 (moderate)\n"
    "- Open actions: none\n"
    "- Involved: p1\n";

static const char MDT_AGENDA_JSON[] =
    "{\"meeting\": {\"id\": \"m1\", \"title\": \"Frailty MDT\", \"start\": \"2026-03-24T14:00\", \"end\": \"2026-03-24T15:00\", \"room\": \"rm1\", \"required\": [\"p1\", \"p2\"], \"preferred\": [\"p3\"]}, \"entries\": [{\"start\": \"2026-03-24T14:00\", \"end\": \"2026-03-24T14:10\", \"kind\": \"fixed\", \"title\": \"Actions from last meeting\", \"patient_ref\": null}, {\"start\": \"2026-03-24T14:10\", \"end\": \"2026-03-24T14:25\", \"kind\": \"patient\", \"title\": null, \"patient_ref\": \"CASE-0102\"}, {\"start\": \"2026-03-24T14:25\", \"end\": \"2026-03-24T14:35\", \"kind\": \"patient\", \"title\": null, \"patient_ref\": \"CASE-0101\"}, {\"start\": \"2026-03-24T14:35\", \"end\": \"2026-03-24T14:40\", \"kind\": \"fixed\", \"title\": \"Any other business\", \"patient_ref\": null}], \"deferred\": []}";

static const char MINUTES_M1[] =
    "{\"meeting\": {\"id\": \"m1\", \"title\": \"Frailty MDT\", \"start\": \"2026-03-24T14:00\", \"end\": \"2026-03-24T15:00\", \"room\": \"rm1\"}, \"attendees\": [\"p1\", \"p2\", \"p4\"], \"apologies\": [\"p3\"], \"decisions\": [{\"patient_ref\": \"CASE-0102\", \"text\": \"Refer to falls service\"}], \"actions\": [{\"id\": \"A1\", \"patient_ref\": \"CASE-0102\", \"description\": \"Send falls referral\", \"owner\": \"p2\", \"due\": \"2026-03-27\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\"}, {\"id\": \"A2\", \"patient_ref\": \"CASE-0103\", \"description\": \"Book OT | home visit\", \"owner\": \"p4\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\"}, {\"id\": \"A3\", \"patient_ref\": null, \"description\": \"Book large room\", \"owner\": \"p4\", \"due\": \"2026-04-07\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\"}]}";

static const char MINUTES_M2[] =
    "{\"meeting\": {\"id\": \"m2\", \"title\": \"Frailty MDT\", \"start\": \"2026-03-31T14:00\", \"end\": \"2026-03-31T15:00\"}, \"actions\": [{\"id\": \"A4\", \"patient_ref\": \"CASE-0104\", \"description\": \"Chase GP letter\", \"owner\": \"p1\", \"due\": \"2026-04-02\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m2\", \"raised_on\": \"2026-03-31\"}, {\"id\": \"A5\", \"patient_ref\": \"CASE-0103\", \"description\": \"Update care plan\", \"owner\": \"p2\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m2\", \"raised_on\": \"2026-03-31\"}]}";

static const char MINUTES_BAD[] =
    "{\"meeting\": {\"id\": \"m3\", \"title\": \"Frailty MDT\", \"start\": \"2026-03-31T14:00\", \"end\": \"2026-03-31T15:00\"}, \"actions\": [{\"id\": \"A6\", \"patient_ref\": \"CASE-0104\", \"description\": \"Chase GP letter\", \"owner\": \"p1\", \"due\": \"2026-04-02\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m3\", \"raised_on\": \"2026-03-31\"}, {\"id\": \"A7\", \"patient_ref\": \"CASE-0103\", \"description\": \"Ring about 943 476 5919\", \"owner\": \"p2\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m3\", \"raised_on\": \"2026-03-31\"}]}";

static const char OVERDUE_JSON[] =
    "[{\"id\": \"A1\", \"patient_ref\": \"CASE-0102\", \"description\": \"Send falls referral\", \"owner\": \"p2\", \"due\": \"2026-03-27\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\", \"days_overdue\": 14}, {\"id\": \"A2\", \"patient_ref\": \"CASE-0103\", \"description\": \"Book OT | home visit\", \"owner\": \"p4\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\", \"days_overdue\": 10}, {\"id\": \"A5\", \"patient_ref\": \"CASE-0103\", \"description\": \"Update care plan\", \"owner\": \"p2\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m2\", \"raised_on\": \"2026-03-31\", \"days_overdue\": 10}, {\"id\": \"A4\", \"patient_ref\": \"CASE-0104\", \"description\": \"Chase GP letter\", \"owner\": \"p1\", \"due\": \"2026-04-02\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m2\", \"raised_on\": \"2026-03-31\", \"days_overdue\": 8}]";

static const char CHASE_JSON[] =
    "[{\"owner\": \"p2\", \"actions\": [{\"id\": \"A1\", \"patient_ref\": \"CASE-0102\", \"description\": \"Send falls referral\", \"owner\": \"p2\", \"due\": \"2026-03-27\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\", \"days_overdue\": 14}, {\"id\": \"A5\", \"patient_ref\": \"CASE-0103\", \"description\": \"Update care plan\", \"owner\": \"p2\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m2\", \"raised_on\": \"2026-03-31\", \"days_overdue\": 10}]}, {\"owner\": \"p4\", \"actions\": [{\"id\": \"A2\", \"patient_ref\": \"CASE-0103\", \"description\": \"Book OT | home visit\", \"owner\": \"p4\", \"due\": \"2026-03-31\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m1\", \"raised_on\": \"2026-03-24\", \"days_overdue\": 10}]}, {\"owner\": \"p1\", \"actions\": [{\"id\": \"A4\", \"patient_ref\": \"CASE-0104\", \"description\": \"Chase GP letter\", \"owner\": \"p1\", \"due\": \"2026-04-02\", \"status\": \"open\", \"completed\": null, \"raised_at\": \"m2\", \"raised_on\": \"2026-03-31\", \"days_overdue\": 8}]}]";

static const char LOG_MARKDOWN[] =
    "| ID | Patient | Action | Owner | Due | Status | Raised |\n"
    "| --- | --- | --- | --- | --- | --- | --- |\n"
    "| A1 | CASE-0102 | Send falls referral | p2 | 2026-03-27 | open | m1 (2026-03-24) |\n"
    "| A2 | CASE-0103 | Book OT \\| home visit | p4 | 2026-03-31 | open | m1 (2026-03-24) |\n"
    "| A3 | - | Book large room | p4 | 2026-04-07 | done 2026-03-30 | m1 (2026-03-24) |\n"
    "| A4 | CASE-0104 | Chase GP letter | p1 | 2026-04-02 | open | m2 (2026-03-31) |\n"
    "| A5 | CASE-0103 | Update care plan | p2 | 2026-03-31 | open | m2 (2026-03-31) |\n";

static const char AVAIL[] =
    "{\"schema\": \"carecoord.schedule.v1\", \"horizon\": {\"start\": \"2026-03-23\", \"days\": 14, \"bank_holidays\": [\"2026-04-03\"]}, \"people\": [{\"id\": \"p1\", \"busy\": [{\"start\": \"2026-03-24T08:00\", \"end\": \"2026-03-24T12:00\"}]}, {\"id\": \"p2\", \"working_days\": [\"Tue\", \"Wed\", \"Thu\"]}, {\"id\": \"p3\", \"busy\": [{\"start\": \"2026-03-25T00:00\", \"end\": \"2026-03-26T00:00\"}]}], \"rooms\": [{\"id\": \"rm1\", \"name\": \"Practice meeting room\", \"capacity\": 3, \"virtual\": false, \"unavailable\": [{\"start\": \"2026-03-26T08:00\", \"end\": \"2026-03-26T10:00\"}]}, {\"id\": \"virt\", \"name\": \"Video call\", \"virtual\": true}], \"meetings\": [{\"id\": \"m1\", \"title\": \"Frailty MDT\", \"duration_minutes\": 60, \"required\": [\"p1\", \"p2\"], \"preferred\": [\"p3\"], \"rooms\": \"any\", \"needs_physical\": true, \"latest\": \"2026-03-27T18:00\"}]}";

static const char AVAIL_SLOTS[] =
    "[{\"start\": \"2026-03-24T12:00\", \"end\": \"2026-03-24T13:00\", \"room\": \"rm1\", \"preferred_unavailable\": []}, {\"start\": \"2026-03-25T08:00\", \"end\": \"2026-03-25T09:00\", \"room\": \"rm1\", \"preferred_unavailable\": [\"p3\"]}, {\"start\": \"2026-03-26T10:00\", \"end\": \"2026-03-26T11:00\", \"room\": \"rm1\", \"preferred_unavailable\": []}]";

static const char AVAIL_EMAIL[] =
    "{\"subject\": \"Availability request: Frailty MDT (reply by Mon 23 Mar 2026)\", \"body\": \"Dear colleagues,\\n\\nWe are arranging the meeting below and would like to know when you can attend.\\n\\nMeeting: Frailty MDT\\nLength: 60 minutes\\n\\nPlease reply with the numbers of all the options you can make:\\n\\n1. Tue 24 Mar 2026, 12:00-13:00, Practice meeting room\\n2. Wed 25 Mar 2026, 08:00-09:00, Practice meeting room\\n3. Thu 26 Mar 2026, 10:00-11:00, Practice meeting room\\n\\nAll times are UK time (Europe/London).\\nPlease reply by Mon 23 Mar 2026.\\n\\nThank you,\\nCare coordination team\\n\"}";

static const char ICAL[] =
    "{\"schema\": \"carecoord.schedule.v1\", \"name\": \"ics\", \"horizon\": {\"start\": \"2026-03-23\", \"days\": 21, \"bank_holidays\": [\"2026-04-03\", \"2026-04-06\"]}, \"people\": [{\"id\": \"p1\"}, {\"id\": \"p2\"}], \"rooms\": [{\"id\": \"rm1\", \"name\": \"Room 1\", \"capacity\": 4, \"virtual\": false}], \"series\": [{\"id\": \"s1\", \"title\": \"Team huddle\", \"rrule\": \"FREQ=WEEKLY;BYDAY=FR\", \"dtstart\": \"2026-03-27T14:00\", \"duration_minutes\": 60, \"attendees\": [\"p1\"], \"room\": null, \"holiday_policy\": \"skip\"}, {\"id\": \"s2\", \"title\": \"Discharge leads\", \"rrule\": \"FREQ=WEEKLY;BYDAY=MO\", \"dtstart\": \"2026-03-23T09:00\", \"duration_minutes\": 30, \"attendees\": [\"p2\"], \"room\": \"rm1\", \"holiday_policy\": \"next_working_day\"}], \"meetings\": [{\"id\": \"m1\", \"title\": \"Frailty MDT\", \"duration_minutes\": 60, \"required\": [\"p1\"], \"preferred\": [\"p2\"], \"rooms\": \"any\"}]}";

static const char ICAL_PLAN[] =
    "{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"2026-03-30T10:00\", \"room\": \"rm1\"}]}";

static const char ICAL_OPTIONS[] =
    "{\"domain\": \"nhs.example\", \"dtstamp\": \"2026-03-01T09:00:00Z\", \"sequence\": 1, \"addresses\": {\"p1\": \"p1.lead@nhs.example\"}}";

static const char ICAL_OCCURRENCES[] =
    "[{\"series\": \"s2\", \"start\": \"2026-03-23T09:00\", \"end\": \"2026-03-23T09:30\", \"moved_from\": null}, {\"series\": \"s1\", \"start\": \"2026-03-27T14:00\", \"end\": \"2026-03-27T15:00\", \"moved_from\": null}, {\"series\": \"s2\", \"start\": \"2026-03-30T09:00\", \"end\": \"2026-03-30T09:30\", \"moved_from\": null}, {\"series\": \"s2\", \"start\": \"2026-04-07T09:00\", \"end\": \"2026-04-07T09:30\", \"moved_from\": \"2026-04-06T09:00\"}, {\"series\": \"s1\", \"start\": \"2026-04-10T14:00\", \"end\": \"2026-04-10T15:00\", \"moved_from\": null}]";

static const char EVENT_M1[] =
    "BEGIN:VEVENT\r\n"
    "UID:m1@nhs.example\r\n"
    "DTSTAMP:20260301T090000Z\r\n"
    "SEQUENCE:1\r\n"
    "DTSTART;TZID=Europe/London:20260330T100000\r\n"
    "DTEND;TZID=Europe/London:20260330T110000\r\n"
    "SUMMARY:Frailty MDT\r\n"
    "LOCATION:Room 1\r\n"
    "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1.lead@nhs.example\r\n"
    "ATTENDEE;ROLE=OPT-PARTICIPANT;CN=p2:mailto:p2@nhs.example\r\n"
    "END:VEVENT\r\n";

static const char EVENT_S1[] =
    "BEGIN:VEVENT\r\n"
    "UID:s1@nhs.example\r\n"
    "DTSTAMP:20260301T090000Z\r\n"
    "SEQUENCE:1\r\n"
    "DTSTART;TZID=Europe/London:20260327T140000\r\n"
    "DTEND;TZID=Europe/London:20260327T150000\r\n"
    "RRULE:FREQ=WEEKLY;BYDAY=FR\r\n"
    "EXDATE;TZID=Europe/London:20260403T140000\r\n"
    "SUMMARY:Team huddle\r\n"
    "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1.lead@nhs.example\r\n"
    "END:VEVENT\r\n";

static const char EVENT_S2_MOVED[] =
    "BEGIN:VEVENT\r\n"
    "UID:s2@nhs.example\r\n"
    "DTSTAMP:20260301T090000Z\r\n"
    "SEQUENCE:1\r\n"
    "DTSTART;TZID=Europe/London:20260407T090000\r\n"
    "DTEND;TZID=Europe/London:20260407T093000\r\n"
    "RECURRENCE-ID;TZID=Europe/London:20260406T090000\r\n"
    "SUMMARY:Discharge leads\r\n"
    "LOCATION:Room 1\r\n"
    "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p2:mailto:p2@nhs.example\r\n"
    "END:VEVENT\r\n";
/* Run `f` on the two-patient MDT with the given options and person; returns the code. */
static carecoord_result agenda_text(int html, const char *options, const char *person, char **out) {
    *out = NULL;
    if (html)
        return carecoord_schedule_agenda_html(S(MDT), S(MDT_ITEMS), options, options ? strlen(options) : 0,
                                              person, person ? strlen(person) : 0, out);
    return carecoord_schedule_agenda_markdown(S(MDT), S(MDT_ITEMS), options, options ? strlen(options) : 0,
                                              person, person ? strlen(person) : 0, out);
}

/* Agenda of a two-patient MDT, worked by hand: CASE-0102 has a breached deadline, so it
 * goes first (15 minutes, 14:10-14:25) although CASE-0101 has waited 40 days; CASE-0101
 * takes the default 10 minutes (14:25-14:35); "Any other business" follows (5 minutes). */
static void test_agenda(void) {
    char *out = NULL;
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S(MDT_ITEMS), NULL, 0, &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, MDT_AGENDA_JSON) == 0);
    carecoord_string_free(out);

    CHECK_EQ_INT(agenda_text(0, NULL, NULL, &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, MDT_MARKDOWN) == 0);
    carecoord_string_free(out);

    /* p1's copy: CASE-0102 by reference only, CASE-0101 (p1 is involved) in full. */
    CHECK_EQ_INT(agenda_text(0, NULL, "p1", &out), CARECOORD_RESULT_OK);
    CHECK(out && strncmp(out, "# Agenda: Frailty MDT (for p1)\n", 31) == 0);
    CHECK(out && strstr(out, "| 14:10-14:25 | Patient CASE-0102 |\n") != NULL);
    CHECK(out && strstr(out, "## 14:25-14:35 Patient CASE-0101 (AB, 84)\n") != NULL);
    CHECK(out && strstr(out, "CD, 77") == NULL && strstr(out, "Deadline breached: yes") == NULL);
    carecoord_string_free(out);
    CHECK_EQ_INT(agenda_text(1, NULL, "p2", &out), CARECOORD_RESULT_OK);
    CHECK(out && strncmp(out, "<!DOCTYPE html>\n", 16) == 0);
    CHECK(out && strstr(out, "<tr><td>14:25-14:35</td><td>Patient CASE-0101</td></tr>") != NULL);
    CHECK(out && strstr(out, "<h2>14:10-14:25 Patient CASE-0102 (CD, 77)</h2>") != NULL);
    CHECK(out && strstr(out, "Falls at home") == NULL);
    carecoord_string_free(out);

    /* No opening item and 45 closing minutes leave 15: CASE-0102 fits exactly, CASE-0101
     * (10 minutes) is deferred with none left. */
    static const char tight[] = "{\"opening\": [], \"closing\": [{\"title\": \"AOB\", \"minutes\": 45}]}";
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S(MDT_ITEMS), S(tight), &out), CARECOORD_RESULT_OK);
    CHECK(out && strstr(out, "\"deferred\": [{\"patient_ref\": \"CASE-0101\", \"reason\": \"not_enough_time\", "
                             "\"needed\": 10, \"left\": 0, \"message\": \"not enough time (needs 10 minutes, 0 left)\"}]}") != NULL);
    CHECK(out && strstr(out, "{\"start\": \"2026-03-24T14:15\", \"end\": \"2026-03-24T15:00\", \"kind\": \"fixed\", "
                             "\"title\": \"AOB\", \"patient_ref\": null}") != NULL);
    carecoord_string_free(out);
    CHECK_EQ_INT(agenda_text(0, tight, NULL, &out), CARECOORD_RESULT_OK);
    CHECK(out && strstr(out, "## Deferred to a later meeting\n\n- Patient CASE-0101 (AB, 84): not enough time "
                             "(needs 10 minutes, 0 left)\n") != NULL);
    carecoord_string_free(out);

    /* Errors: the argument and the path, never the value. */
    char *const before = (char *)"untouched";
    out = before;
    static const char nhs[] = "[{\"patient_ref\": \"CASE-1\", \"label\": \"AB 943 476 5919\"}]";
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S(nhs), NULL, 0, &out), CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED);
    CHECK(last_error_contains("argument `items_json`: items[0].label: looks like an NHS number; use a local case reference"));
    CHECK(!last_error_has("5919", 0));
    CHECK_EQ_INT(carecoord_schedule_agenda_markdown(S(MDT), S("[{\"patient_ref\": \"CASE-9434765919\"}]"), NULL, 0, NULL, 0, &out),
                 CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED);
    CHECK(last_error_contains("items[0].patient_ref: looks like an NHS number"));
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S("[{\"patient_ref\": \"CASE-1\"}, {\"patient_ref\": \"CASE-1\"}]"), NULL, 0, &out),
                 CARECOORD_RESULT_SCHEDULE_DUPLICATE_ENTRY);
    CHECK(last_error_contains("argument `items_json`: items[1].patient_ref: duplicate patient reference"));
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S("[{\"patient_ref\": \"CASE-1\",]"), NULL, 0, &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_JSON);
    CHECK(last_error_contains("argument `items_json`: invalid JSON at line 1, column"));
    CHECK_EQ_INT(carecoord_schedule_agenda(S("{\"id\": \"m1\", \"start\": \"2026-03-24T14:00\", \"end\": \"2026-03-24T14:00\"}"),
                                           S("[]"), NULL, 0, &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_TIME);
    CHECK(last_error_contains("argument `meeting_json`: meeting.end: must be after the start"));
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S("[{\"patient_ref\": \"CASE-1\", \"risk_tier\": \"high\"}]"), NULL, 0, &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("items[0].risk_tier: expected a non-negative integer"));
    CHECK(!last_error_has("high", 0));
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S("[]"), S("{\"opening\": [{\"title\": \"Long\", \"minutes\": 61}]}"), &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("argument `options_json`: options: opening and closing items take 66 minutes"));
    CHECK_EQ_INT(carecoord_schedule_agenda_html(S(MDT), S(MDT_ITEMS), NULL, 0, S("p\xff"), &out), CARECOORD_RESULT_INVALID_UTF8);
    CHECK_EQ_INT(carecoord_schedule_agenda(NULL, 0, S("[]"), NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("argument `meeting_json` is NULL"));
    CHECK_EQ_INT(carecoord_schedule_agenda(S(MDT), S("[]"), NULL, 0, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_schedule_agenda_markdown(S(MDT), NULL, 0, NULL, 0, NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(out == before);

    /* A meeting time from a plan: m1 of DIARY placed Monday 08:00 in rm1. */
    out = NULL;
    static const char plan[] = "{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"2026-03-23T08:00\", \"room\": \"rm1\"}]}";
    CHECK_EQ_INT(carecoord_schedule_meeting_time(S(DIARY), S(plan), S("m1"), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "{\"id\": \"m1\", \"title\": \"\", \"start\": \"2026-03-23T08:00\", \"end\": \"2026-03-23T09:00\", "
                             "\"room\": \"rm1\", \"required\": [\"p1\"], \"preferred\": []}") == 0);
    carecoord_string_free(out);
    out = NULL;
    CHECK_EQ_INT(carecoord_schedule_meeting_time(S(DIARY), S(plan), S("m9"), &out), CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("query argument `meeting_id`: no meeting with this id in the instance"));
    CHECK_EQ_INT(carecoord_schedule_meeting_time(S(DIARY), S("{}"), S("m1"), &out), CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("the solution does not place this meeting"));
    CHECK(out == NULL);
}

static carecoord_date date(int y, unsigned m, unsigned d) {
    carecoord_date out = {y, m, d};
    return out;
}

/* The action log over two meetings (synthetic): m1 on Tuesday 24 March raises A1-A3, m2 on
 * 31 March raises A4 and A5; A3 is done on 30 March. On Friday 10 April A1 (due 27 March)
 * is 14 days overdue, A2 and A5 (due 31 March) 10 days each (then by id), A4 (due 2 April)
 * 8 days. By owner: p2 (A1, A5), then p4 (A2, 10 days), then p1 (A4). */
static void test_action_log(void) {
    carecoord_action_log *log = NULL;
    CHECK_EQ_INT(carecoord_action_log_new(&log), CARECOORD_RESULT_OK);
    size_t added = 0;
    CHECK_EQ_INT(carecoord_action_log_add_minutes(log, S(MINUTES_M1), &added), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(added, 3);
    CHECK_EQ_INT(carecoord_action_log_add_minutes(log, S(MINUTES_M2), NULL), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_action_log_set_status(log, S("A3"), S("{\"status\": \"done\", \"completed\": \"2026-03-30\"}")),
                 CARECOORD_RESULT_OK);

    char *out = NULL;
    CHECK_EQ_INT(carecoord_action_log_overdue(log, date(2026, 4, 10), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, OVERDUE_JSON) == 0);
    carecoord_string_free(out);
    CHECK_EQ_INT(carecoord_action_log_chase_list(log, date(2026, 4, 10), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, CHASE_JSON) == 0);
    carecoord_string_free(out);
    /* Due today is not overdue: on 27 March nothing is. */
    CHECK_EQ_INT(carecoord_action_log_overdue(log, date(2026, 3, 27), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, "[]") == 0);
    carecoord_string_free(out);
    CHECK_EQ_INT(carecoord_action_log_to_markdown(log, &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, LOG_MARKDOWN) == 0);
    carecoord_string_free(out);
    CHECK_EQ_INT(carecoord_action_log_to_html(log, &out), CARECOORD_RESULT_OK);
    CHECK(out && strstr(out, "<tr><td>A2</td><td>CASE-0103</td><td>Book OT | home visit</td><td>p4</td>") != NULL);
    carecoord_string_free(out);

    /* JSON round trip. */
    char *json = NULL, *again = NULL;
    carecoord_action_log *copy = NULL;
    CHECK_EQ_INT(carecoord_action_log_to_json(log, &json), CARECOORD_RESULT_OK);
    CHECK(json && strstr(json, "{\"id\":\"A3\",\"patient_ref\":null,\"description\":\"Book large room\",\"owner\":\"p4\","
                               "\"due\":\"2026-04-07\",\"status\":\"done\",\"completed\":\"2026-03-30\"") != NULL);
    CHECK_EQ_INT(carecoord_action_log_from_json(json, strlen(json), &copy), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_action_log_to_json(copy, &again), CARECOORD_RESULT_OK);
    CHECK(json && again && strcmp(json, again) == 0);
    carecoord_string_free(json);
    carecoord_string_free(again);
    carecoord_action_log_free(copy);

    /* Errors leave the log as it was. */
    CHECK_EQ_INT(carecoord_action_log_set_status(log, S("A9"), S("{\"status\": \"open\"}")),
                 CARECOORD_RESULT_SCHEDULE_UNKNOWN_ACTION);
    CHECK(last_error_contains("argument `id`: id: no action with this id in the log"));
    CHECK_EQ_INT(carecoord_action_log_set_status(log, S("A4"), S("{\"status\": \"done\", \"completed\": \"2026-03-30\"}")),
                 CARECOORD_RESULT_SCHEDULE_ACTION_DATE);
    CHECK(last_error_contains("argument `status_json`: status: completed before the action was raised"));
    CHECK_EQ_INT(carecoord_action_log_set_status(log, S("A4"), S("{\"status\": \"done\"}")),
                 CARECOORD_RESULT_SCHEDULE_MISSING_FIELD);
    CHECK(last_error_contains("argument `status_json`: completed: required field is missing"));
    CHECK_EQ_INT(carecoord_action_log_set_status(log, S("A4"), S("{\"status\": ")), CARECOORD_RESULT_SCHEDULE_INVALID_JSON);
    added = 99;
    CHECK_EQ_INT(carecoord_action_log_add_minutes(log, S(MINUTES_BAD), &added), CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED);
    CHECK(last_error_contains("argument `minutes_json`: actions[1].description: looks like an NHS number"));
    CHECK(!last_error_has("5919", 0));
    CHECK_EQ_INT(added, 99);
    CHECK_EQ_INT(carecoord_action_log_add_minutes(log, S(MINUTES_M2), NULL), CARECOORD_RESULT_SCHEDULE_DUPLICATE_ENTRY);
    CHECK(last_error_contains("actions[0].id: duplicate action id"));
    CHECK_EQ_INT(carecoord_action_log_add_minutes(log, S("{\"attendees\": []}"), NULL), CARECOORD_RESULT_SCHEDULE_MISSING_FIELD);
    CHECK(last_error_contains("meeting: required field is missing"));
    CHECK_EQ_INT(carecoord_action_log_overdue(log, date(2026, 4, 10), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, OVERDUE_JSON) == 0);
    carecoord_string_free(out);
    out = NULL;
    CHECK_EQ_INT(carecoord_action_log_overdue(log, date(2026, 2, 30), &out), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(last_error_contains("argument `as_of` is not a valid date"));
    carecoord_action_log *bad = NULL;
    CHECK_EQ_INT(carecoord_action_log_from_json(S("{\"actions\": [{\"id\": \"A1\"}]}"), &bad), CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("argument `json`: actions[0]:"));
    CHECK(bad == NULL);

    /* NULL arguments. */
    CHECK_EQ_INT(carecoord_action_log_overdue(NULL, date(2026, 4, 10), &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("argument `log` is NULL"));
    CHECK_EQ_INT(carecoord_action_log_chase_list(log, date(2026, 4, 10), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_action_log_add_minutes(NULL, S(MINUTES_M1), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_action_log_add_minutes(log, NULL, 0, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_action_log_set_status(log, NULL, 0, S("{}")), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_action_log_to_json(log, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_action_log_new(NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(out == NULL);
    carecoord_action_log_free(log);
    carecoord_action_log_free(NULL);
}

/* Candidate slots and the email, worked by hand (weeks of 23 and 30 March 2026): p2 works
 * Tuesday to Thursday; p1 is busy on Tuesday until 12:00; p3 (preferred) is on leave on
 * Wednesday; rm1 is closed on Thursday until 10:00; the meeting needs a physical room and
 * must end by Friday 27 March. */
static void test_availability(void) {
    char *out = NULL;
    CHECK_EQ_INT(carecoord_schedule_candidate_slots(S(AVAIL), S("m1"), NULL, 0, &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, AVAIL_SLOTS) == 0);
    carecoord_string_free(out);
    /* Two slots: the Wednesday p3 cannot make is dropped. */
    CHECK_EQ_INT(carecoord_schedule_candidate_slots(S(AVAIL), S("m1"), S("{\"max_slots\": 2}"), &out), CARECOORD_RESULT_OK);
    CHECK(out && strstr(out, "2026-03-25") == NULL && strstr(out, "2026-03-26T10:00") != NULL);
    carecoord_string_free(out);

    static const char reply[] = "{\"reply_by\": \"2026-03-23\"}";
    CHECK_EQ_INT(carecoord_schedule_availability_email(S(AVAIL), S("m1"), NULL, 0, S(reply), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, AVAIL_EMAIL) == 0);
    carecoord_string_free(out);
    /* The same slots given explicitly give the same email. */
    CHECK_EQ_INT(carecoord_schedule_availability_email(S(AVAIL), S("m1"), S(AVAIL_SLOTS), S(reply), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, AVAIL_EMAIL) == 0);
    carecoord_string_free(out);

    out = NULL;
    CHECK_EQ_INT(carecoord_schedule_availability_email(S(AVAIL), S("m1"), NULL, 0, S("{\"reply_by\": \"2026-03-24\"}"), &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("argument `options_json`: options.reply_by: must be before the date of the first option"));
    CHECK_EQ_INT(carecoord_schedule_availability_email(S(AVAIL), S("m1"), S("[]"), S(reply), &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("query argument `slots`: no candidate slots to offer"));
    CHECK_EQ_INT(carecoord_schedule_availability_email(S(AVAIL), S("m1"), NULL, 0, S("{}"), &out),
                 CARECOORD_RESULT_SCHEDULE_MISSING_FIELD);
    CHECK(last_error_contains("options.reply_by: required field is missing"));
    CHECK_EQ_INT(carecoord_schedule_availability_email(S(AVAIL), S("m1"), NULL, 0, NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_schedule_candidate_slots(S(AVAIL), S("m9"), NULL, 0, &out), CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("query argument `meeting_id`"));
    CHECK_EQ_INT(carecoord_schedule_candidate_slots(S(AVAIL), S("m1"), S("{\"max_slots\": 0}"), &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_QUERY);
    CHECK(last_error_contains("query argument `max_slots`: must be positive"));
    CHECK_EQ_INT(carecoord_schedule_candidate_slots(S(AVAIL), NULL, 0, NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(out == NULL);
}

/* Two series over three weeks from Monday 23 March 2026 (clocks go forward on Sunday 29th):
 * s1 on Fridays at 14:00 skips Good Friday (3 April); s2 on Mondays at 09:00 moves Easter
 * Monday (6 April) to Tuesday 7 April. m1 is placed on Monday 30 March at 10:00 BST. */
static void test_icalendar(void) {
    char *out = NULL;
    CHECK_EQ_INT(carecoord_schedule_series_occurrences(S(ICAL), &out), CARECOORD_RESULT_OK);
    CHECK(out && strcmp(out, ICAL_OCCURRENCES) == 0);
    carecoord_string_free(out);

    CHECK_EQ_INT(carecoord_schedule_to_icalendar(S(ICAL), S(ICAL_PLAN), S(ICAL_OPTIONS), &out), CARECOORD_RESULT_OK);
    CHECK(out && strncmp(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//carecoord//schedule v1//EN\r\n", 67) == 0);
    CHECK(out && strstr(out, "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n") != NULL);
    CHECK(out && strstr(out, EVENT_M1) != NULL);
    CHECK(out && strstr(out, EVENT_S1) != NULL);
    CHECK(out && strstr(out, "RRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Discharge leads\r\n") != NULL);
    CHECK(out && strstr(out, EVENT_S2_MOVED) != NULL);
    CHECK(out && strlen(out) > 17 && strcmp(out + strlen(out) - 17, "\r\nEND:VCALENDAR\r\n") == 0);
    carecoord_string_free(out);

    /* Defaults: DTSTAMP at midnight UTC on the horizon's first date, carecoord.invalid UIDs. */
    CHECK_EQ_INT(carecoord_schedule_to_icalendar(S(ICAL), S(ICAL_PLAN), NULL, 0, &out), CARECOORD_RESULT_OK);
    CHECK(out && strstr(out, "\r\nUID:m1@carecoord.invalid\r\nDTSTAMP:20260323T000000Z\r\nSEQUENCE:0\r\n") != NULL);
    carecoord_string_free(out);

    out = NULL;
    CHECK_EQ_INT(carecoord_schedule_to_icalendar(S(ICAL), S(ICAL_PLAN), S("{\"domain\": \"nhs example\"}"), &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_FIELD);
    CHECK(last_error_contains("argument `options_json`: options.domain: must be a domain name"));
    CHECK_EQ_INT(carecoord_schedule_to_icalendar(S(ICAL), S(ICAL_PLAN), S("{\"dtstamp\": \"2026-03-01T09:00\"}"), &out),
                 CARECOORD_RESULT_SCHEDULE_INVALID_TIME);
    CHECK(last_error_contains("argument `options_json`: options.dtstamp: expected a UTC date-time"));
    CHECK_EQ_INT(carecoord_schedule_to_icalendar(S(ICAL),
                                                 S("{\"assignments\": [{\"meeting\": \"m1\", \"start\": \"2026-03-30T10:00\", \"room\": \"rm9\"}]}"),
                                                 NULL, 0, &out),
                 CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID);
    CHECK(last_error_contains("argument `solution_json`: assignments[0].room: unknown room id"));
    CHECK_EQ_INT(carecoord_schedule_to_icalendar(S(ICAL), NULL, 0, NULL, 0, &out), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_schedule_series_occurrences(S(ICAL), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(out == NULL);
}

int main(void) {
    test_tiny();
    test_errors();
    test_diary();
    test_agenda();
    test_action_log();
    test_availability();
    test_icalendar();
    return HARNESS_END();
}

