/* C tests for the calendar functions: regions, bank holidays, Europe/London local time,
 * service hours and deadlines; valid, invalid and NULL inputs; every CALENDAR_* result code.
 *
 * Expected values were worked out by hand from DOMAIN.md 2.3-2.6: BST 2026 runs from
 * 2026-03-29 01:00Z to 2026-10-25 01:00Z, so local 01:00-01:59 does not exist on 29 March and
 * happens twice on 25 October. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "carecoord.h"
#include "harness.h"

/* Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Seconds since the epoch of a UTC date and time. */
static int64_t utc(int y, unsigned mo, unsigned d, unsigned h, unsigned mi) {
    return days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60;
}

static carecoord_date date(int y, unsigned m, unsigned d) {
    carecoord_date out = {y, m, d};
    return out;
}

static carecoord_local_datetime local(int y, unsigned mo, unsigned d, unsigned h, unsigned mi) {
    carecoord_local_datetime out = {y, mo, d, h, mi, 0};
    return out;
}

/* The calling thread's last error message is non-empty and contains `needle`. */
static int last_error_contains(const char *needle) {
    char buf[512];
    size_t n = 0;
    if (carecoord_last_error_length() <= 1) return 0;
    if (carecoord_last_error_message(buf, sizeof buf, &n) != CARECOORD_RESULT_OK) return 0;
    return n > 0 && strstr(buf, needle) != NULL;
}

static void test_helper(void) {
    /* 2026-01-01: 56 years after 1970 with 14 leap days (1972..2024): 20454 days. */
    CHECK_EQ_INT(utc(2026, 1, 1, 0, 0), 20454LL * 86400);
    CHECK_EQ_INT(utc(2026, 1, 1, 0, 0), 1767225600LL);
    /* 2026-03-28 is day 31 + 28 + 27 = 86 after 1 January. */
    CHECK_EQ_INT(utc(2026, 3, 28, 17, 0), 1767225600LL + 86 * 86400 + 17 * 3600);
}

static void test_region_parse(void) {
    uint32_t r = 99;
    CHECK_EQ_INT(carecoord_region_parse(S("scotland"), &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(r, CARECOORD_REGION_SCOTLAND);
    CHECK_EQ_INT(carecoord_region_parse(S("England-And-Wales"), &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(r, CARECOORD_REGION_ENGLAND_AND_WALES);
    CHECK_EQ_INT(carecoord_region_parse(S("northern-ireland"), &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(r, CARECOORD_REGION_NORTHERN_IRELAND);
    CHECK_EQ_INT(carecoord_region_parse(S("wales"), &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(r, CARECOORD_REGION_ENGLAND_AND_WALES);
    /* Not NUL-terminated: only the first 2 bytes ("ni") are read. */
    CHECK_EQ_INT(carecoord_region_parse("nixxx", 2, &r), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(r, CARECOORD_REGION_NORTHERN_IRELAND);
    r = 99;
    CHECK_EQ_INT(carecoord_region_parse(S("ireland"), &r), CARECOORD_RESULT_CALENDAR_UNKNOWN_REGION);
    CHECK_EQ_INT(r, 99); /* no partial success */
    CHECK(last_error_contains("unknown bank-holiday region"));
    CHECK_EQ_INT(carecoord_region_parse(S(""), &r), CARECOORD_RESULT_CALENDAR_UNKNOWN_REGION);
    CHECK_EQ_INT(carecoord_region_parse("sc\xff", 3, &r), CARECOORD_RESULT_INVALID_UTF8);
    CHECK_EQ_INT(carecoord_region_parse(NULL, 8, &r), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_region_parse(S("scotland"), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(r, 99);
}

static void test_is_bank_holiday(void) {
    const uint32_t E = CARECOORD_REGION_ENGLAND_AND_WALES, SC = CARECOORD_REGION_SCOTLAND;
    /* Friday 2 January 2026: Scotland only. */
    CHECK(carecoord_calendar_is_bank_holiday(SC, date(2026, 1, 2)));
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(2026, 1, 2)));
    /* Easter Monday 6 April 2026 (Easter Sunday 5 April): England and Wales only. */
    CHECK(carecoord_calendar_is_bank_holiday(E, date(2026, 4, 6)));
    CHECK(!carecoord_calendar_is_bank_holiday(SC, date(2026, 4, 6)));
    /* Monday 15 June 2026: the extra Scottish holiday in the table (DOMAIN 2.3). */
    CHECK(carecoord_calendar_is_bank_holiday(SC, date(2026, 6, 15)));
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(2026, 6, 15)));
    /* 17 March 2026 (Tuesday): Northern Ireland only. */
    CHECK(carecoord_calendar_is_bank_holiday(CARECOORD_REGION_NORTHERN_IRELAND, date(2026, 3, 17)));
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(2026, 3, 17)));
    /* An ordinary day; bad region, impossible date and unsupported year are all false. */
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(2026, 4, 7)));
    CHECK(!carecoord_calendar_is_bank_holiday(9, date(2026, 4, 6)));
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(2026, 2, 30)));
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(2026, 13, 1)));
    CHECK(!carecoord_calendar_is_bank_holiday(E, date(1899, 12, 25)));
}

static int title_is(const carecoord_bank_holiday *h, const char *expect) {
    return h->title_len == strlen(expect) && memcmp(h->title, expect, h->title_len) == 0;
}

static void test_bank_holidays(void) {
    carecoord_bank_holiday hols[16];
    size_t n = 0;
    /* Scotland 2026: 1, 2 Jan, Good Friday 3 Apr, 4 May, 25 May, 15 Jun, 3 Aug, 30 Nov,
     * 25, 28 Dec (Boxing Day is a Saturday, substitute Monday 28th) = 10. */
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 2026, NULL, 0, &n), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(n, 10);
    /* Too small: count reported, nothing written. */
    memset(hols, 0xAB, sizeof hols);
    n = 0;
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 2026, hols, 9, &n), CARECOORD_RESULT_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(n, 10);
    CHECK(hols[0].date.year == (int32_t)0xABABABAB && hols[0].title_len == (size_t)0xABABABABABABABABULL);
    CHECK(last_error_contains("10 entries needed"));
    /* Exactly enough. */
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 2026, hols, 10, &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 10);
    CHECK_EQ_INT(hols[1].date.year, 2026);
    CHECK_EQ_INT(hols[1].date.month, 1);
    CHECK_EQ_INT(hols[1].date.day, 2);
    CHECK(title_is(&hols[1], "2nd January"));
    CHECK_EQ_INT(hols[1].source, CARECOORD_HOLIDAY_SOURCE_TABLE);
    CHECK_EQ_INT(hols[5].date.month, 6);
    CHECK_EQ_INT(hols[5].date.day, 15);
    CHECK_EQ_INT(hols[5].source, CARECOORD_HOLIDAY_SOURCE_TABLE);
    CHECK_EQ_INT(hols[9].date.month, 12);
    CHECK_EQ_INT(hols[9].date.day, 28);
    CHECK(title_is(&hols[9], "Boxing Day (substitute day)"));
    int easter_monday = 0;
    for (size_t i = 0; i < n; i++) easter_monday |= hols[i].date.month == 4 && hols[i].date.day == 6;
    CHECK(!easter_monday);

    /* England and Wales 2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25, 28 Dec = 8. */
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_ENGLAND_AND_WALES, 2026, hols, 16, &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 8);
    CHECK_EQ_INT(hols[2].date.month, 4);
    CHECK_EQ_INT(hols[2].date.day, 6);
    CHECK(title_is(&hols[2], "Easter Monday"));
    CHECK(hols[2].title[hols[2].title_len - 1] == 'y'); /* a view, read it by length */

    /* 2031 is past the table: rules, provisional. Easter Sunday is 13 April 2031; 1 May is a
     * Thursday, 31 May a Saturday, 31 August a Sunday, 25 December a Thursday. So:
     * 1 Jan, 11 Apr, 14 Apr, 5 May, 26 May, 25 Aug, 25 Dec, 26 Dec = 8. */
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_ENGLAND_AND_WALES, 2031, hols, 16, &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 8);
    static const unsigned want[8][2] = {{1, 1}, {4, 11}, {4, 14}, {5, 5}, {5, 26}, {8, 25}, {12, 25}, {12, 26}};
    for (size_t i = 0; i < 8 && i < n; i++) {
        CHECK_EQ_INT(hols[i].date.year, 2031);
        CHECK_EQ_INT(hols[i].date.month, want[i][0]);
        CHECK_EQ_INT(hols[i].date.day, want[i][1]);
        CHECK_EQ_INT(hols[i].source, CARECOORD_HOLIDAY_SOURCE_RULES);
        CHECK(hols[i].title != NULL && hols[i].title_len > 0);
    }
    CHECK(title_is(&hols[2], "Easter Monday"));

    /* Errors: *out_n is left alone except for BUFFER_TOO_SMALL. */
    n = 77;
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 1899, hols, 16, &n), CARECOORD_RESULT_CALENDAR_YEAR_OUT_OF_RANGE);
    CHECK(last_error_contains("1899"));
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 2200, hols, 16, &n), CARECOORD_RESULT_CALENDAR_YEAR_OUT_OF_RANGE);
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(9, 2026, hols, 16, &n), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 2026, NULL, 16, &n), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(n, 77);
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_SCOTLAND, 2026, hols, 16, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    /* The supported range ends are inclusive. */
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_NORTHERN_IRELAND, 1900, hols, 16, &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_calendar_bank_holidays(CARECOORD_REGION_NORTHERN_IRELAND, 2199, hols, 16, &n), CARECOORD_RESULT_OK);
}

static void test_local_time(void) {
    int64_t t = 42;
    /* Spring gap: 01:00 GMT jumps to 02:00 BST, so 01:30 never happens, whatever we ask. */
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 3, 29, 1, 30), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME);
    CHECK(last_error_contains("does not exist"));
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 3, 29, 1, 30), CARECOORD_DISAMBIGUATION_EARLIER, &t), CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 3, 29, 1, 30), CARECOORD_DISAMBIGUATION_LATER, &t), CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME);
    CHECK_EQ_INT(t, 42);
    /* Either side of the gap: 00:59 GMT = 00:59Z, 02:00 BST = 01:00Z. */
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 3, 29, 0, 59), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(t, utc(2026, 3, 29, 0, 59));
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 3, 29, 2, 0), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(t, utc(2026, 3, 29, 1, 0));
    /* Autumn fold: 01:30 happens at 00:30Z (BST) and again at 01:30Z (GMT). */
    t = 42;
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 10, 25, 1, 30), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_CALENDAR_AMBIGUOUS_LOCAL_TIME);
    CHECK_EQ_INT(t, 42);
    CHECK(last_error_contains("occurs twice"));
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 10, 25, 1, 30), CARECOORD_DISAMBIGUATION_EARLIER, &t), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(t, utc(2026, 10, 25, 0, 30));
    CHECK_EQ_INT(t, 1792888200LL);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 10, 25, 1, 30), CARECOORD_DISAMBIGUATION_LATER, &t), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(t, utc(2026, 10, 25, 1, 30));
    /* Summer 09:00 BST = 08:00Z; winter 09:00 GMT = 09:00Z. Seconds are kept. */
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 7, 1, 9, 0), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(t, utc(2026, 7, 1, 8, 0));
    carecoord_local_datetime with_seconds = {2026, 1, 14, 9, 0, 59};
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(with_seconds, CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(t, utc(2026, 1, 14, 9, 0) + 59);
    /* Invalid inputs. */
    t = 42;
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 7, 1, 9, 0), 3, &t), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 7, 1, 24, 0), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 7, 1, 9, 60), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_INVALID_ARGUMENT);
    carecoord_local_datetime leap_second = {2026, 7, 1, 9, 0, 60};
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(leap_second, CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 2, 29, 9, 0), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 0, 1, 9, 0), CARECOORD_DISAMBIGUATION_REJECT, &t), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(t, 42);
    CHECK_EQ_INT(carecoord_calendar_local_to_utc(local(2026, 7, 1, 9, 0), CARECOORD_DISAMBIGUATION_REJECT, NULL), CARECOORD_RESULT_NULL_ARGUMENT);

    /* Local dates: 23:30Z on 30 June is 00:30 BST on 1 July; on 31 December it stays. */
    carecoord_date d = {0, 0, 0};
    CHECK_EQ_INT(carecoord_calendar_local_date(utc(2026, 6, 30, 23, 30), &d), CARECOORD_RESULT_OK);
    CHECK(d.year == 2026 && d.month == 7 && d.day == 1);
    CHECK_EQ_INT(carecoord_calendar_local_date(utc(2026, 12, 31, 23, 30), &d), CARECOORD_RESULT_OK);
    CHECK(d.year == 2026 && d.month == 12 && d.day == 31);
    CHECK_EQ_INT(carecoord_calendar_local_date(0, &d), CARECOORD_RESULT_OK);
    CHECK(d.year == 1970 && d.month == 1 && d.day == 1); /* 01:00 BST: British Standard Time */
    /* Out of range instants, both ends of the documented range. */
    CHECK_EQ_INT(carecoord_calendar_local_date(INT64_MAX, &d), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_date(INT64_MIN, &d), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_date(8210266876800LL, &d), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_local_date(-8334601228726LL, &d), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(d.year == 1970);
    CHECK_EQ_INT(carecoord_calendar_local_date(8210266876799LL, &d), CARECOORD_RESULT_OK);
    CHECK(d.year == 262142 && d.month == 12 && d.day == 31);
    CHECK_EQ_INT(carecoord_calendar_local_date(-8334601228725LL, &d), CARECOORD_RESULT_OK);
    CHECK(d.year == -262143 && d.month == 1 && d.day == 1);
    CHECK_EQ_INT(carecoord_calendar_local_date(0, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
}

static void test_elapsed_deadline(void) {
    int64_t due = 0;
    /* 00:30 GMT on 29 March plus 2 hours: 02:30Z, shown as 03:30 BST; still exactly 7200 s. */
    int64_t start = utc(2026, 3, 29, 0, 30);
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(start, 7200, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due - start, 7200);
    CHECK_EQ_INT(due, utc(2026, 3, 29, 2, 30));
    /* 01:30 BST (00:30Z) on 25 October plus 2 hours: 02:30Z = 02:30 GMT. */
    start = utc(2026, 10, 25, 0, 30);
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(start, 7200, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due - start, 7200);
    CHECK_EQ_INT(due, utc(2026, 10, 25, 2, 30));
    /* As in the core library, a negative duration goes back; results saturate. */
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(start, -3600, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, start - 3600);
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(8210266876799LL, 86400, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, 8210266876799LL);
    due = 42;
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(start, INT64_MAX, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(INT64_MAX, 0, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(last_error_contains("start"));
    CHECK_EQ_INT(due, 42);
    CHECK_EQ_INT(carecoord_calendar_elapsed_deadline(start, 7200, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
}

static void test_service_hours_new(void) {
    carecoord_service_hours *h = NULL;
    carecoord_service_hours *const sentinel = (carecoord_service_hours *)&h;
    /* 09:00-17:00 Monday, Wednesday, Friday (bits 0, 2, 4), closed on English bank holidays. */
    CHECK_EQ_INT(carecoord_service_hours_new(540, 1020, 0x15, CARECOORD_REGION_ENGLAND_AND_WALES, &h), CARECOORD_RESULT_OK);
    CHECK(h != NULL);
    bool b = false;
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(h, date(2026, 4, 8), &b), CARECOORD_RESULT_OK);
    CHECK(b); /* Wednesday */
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(h, date(2026, 4, 7), &b), CARECOORD_RESULT_OK);
    CHECK(!b); /* Tuesday */
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(h, date(2026, 4, 6), &b), CARECOORD_RESULT_OK);
    CHECK(!b); /* Easter Monday */
    /* 16:59 BST (15:59Z) open, 17:00 BST (16:00Z) closed: closing is exclusive. */
    CHECK_EQ_INT(carecoord_service_hours_is_open(h, utc(2026, 4, 8, 15, 59), &b), CARECOORD_RESULT_OK);
    CHECK(b);
    CHECK_EQ_INT(carecoord_service_hours_is_open(h, utc(2026, 4, 8, 16, 0), &b), CARECOORD_RESULT_OK);
    CHECK(!b);
    carecoord_service_hours_free(h);

    /* Sunday only (bit 6), bank holidays worked; 23:59 is the latest closing. */
    h = NULL;
    CHECK_EQ_INT(carecoord_service_hours_new(0, 1439, 0x40, -1, &h), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(h, date(2026, 4, 5), &b), CARECOORD_RESULT_OK);
    CHECK(b); /* Easter Sunday */
    carecoord_service_hours_free(h);

    /* Invalid configurations: *out is never written. */
    h = sentinel;
    CHECK_EQ_INT(carecoord_service_hours_new(600, 600, 0x7f, -1, &h), CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS);
    CHECK(last_error_contains("invalid service hours"));
    CHECK_EQ_INT(carecoord_service_hours_new(1200, 480, 0x7f, -1, &h), CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x00, -1, &h), CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x80, -1, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0xff, -1, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1440, 0x7f, -1, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_new(1440, 1500, 0x7f, -1, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x7f, 9, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(last_error_contains("closed_on_region"));
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x7f, -2, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x7f, INT32_MIN, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_weekday_office(9, &h), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(h == sentinel);
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x7f, -1, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_community_seven_day(NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_weekday_office(CARECOORD_REGION_SCOTLAND, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_ucr_national(NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    carecoord_service_hours_free(NULL); /* a no-op */
}

static void test_community_seven_day(void) {
    carecoord_service_hours *team = NULL;
    CHECK_EQ_INT(carecoord_service_hours_community_seven_day(&team), CARECOORD_RESULT_OK);
    int64_t due = 0, secs = 0;
    bool b = false;
    /* 2-hour clock from 17:00 GMT (17:00Z) on Saturday 28 March 2026: one hour to 18:00Z,
     * paused overnight while BST starts, then from 08:00 BST (07:00Z) on the 29th one more
     * hour: due 09:00 BST = 08:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(team, utc(2026, 3, 28, 17, 0), 7200, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 3, 29, 8, 0));
    CHECK_EQ_INT(due, 1774771200LL);
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(team, utc(2026, 3, 28, 17, 0), due, &secs), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(secs, 7200);
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(team, due, utc(2026, 3, 28, 17, 0), &secs), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(secs, 0); /* to <= from */
    /* Whole days 28 and 29 March: 10 h each although 29 March has 23 hours. */
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(team, utc(2026, 3, 28, 0, 0), utc(2026, 3, 30, 0, 0), &secs), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(secs, 20 * 3600);
    /* Zero duration: the next opening. 06:00 GMT on 14 January -> 08:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(team, utc(2026, 1, 14, 6, 0), 0, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 1, 14, 8, 0));
    /* Open 08:00-18:00 BST on 1 July = [07:00Z, 17:00Z). */
    CHECK_EQ_INT(carecoord_service_hours_is_open(team, utc(2026, 7, 1, 16, 59), &b), CARECOORD_RESULT_OK);
    CHECK(b);
    CHECK_EQ_INT(carecoord_service_hours_is_open(team, utc(2026, 7, 1, 17, 30), &b), CARECOORD_RESULT_OK);
    CHECK(!b); /* 18:30 BST */
    CHECK_EQ_INT(carecoord_service_hours_next_opening(team, utc(2026, 7, 1, 17, 30), &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 7, 2, 7, 0));
    CHECK_EQ_INT(carecoord_service_hours_next_opening(team, utc(2026, 7, 1, 12, 0), &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 7, 1, 12, 0)); /* open now: itself */
    /* Bank holidays are worked: Christmas Day 2026. */
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(team, date(2026, 12, 25), &b), CARECOORD_RESULT_OK);
    CHECK(b);

    /* Errors: negative duration, out-of-range instants and durations; outputs untouched. */
    due = 42;
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(team, utc(2026, 1, 14, 9, 0), -1, &due), CARECOORD_RESULT_CALENDAR_NEGATIVE_DURATION);
    CHECK(last_error_contains("negative"));
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(team, utc(2026, 1, 14, 9, 0), INT64_MAX, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(team, INT64_MIN, 7200, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_next_opening(team, INT64_MAX, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(team, INT64_MAX, 1, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(team, 0, INT64_MAX, &due), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(due, 42);
    b = true;
    CHECK_EQ_INT(carecoord_service_hours_is_open(team, INT64_MIN, &b), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(team, date(2026, 2, 29), &b), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK(b);
    /* Far future: the clock cannot run past the last representable date. */
    CHECK_EQ_INT(carecoord_service_hours_next_opening(team, 8210266876799LL, &due), CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME);
    carecoord_service_hours_free(team);
}

static void test_weekday_office(void) {
    carecoord_service_hours *eng = NULL, *sco = NULL, *ucr = NULL;
    CHECK_EQ_INT(carecoord_service_hours_weekday_office(CARECOORD_REGION_ENGLAND_AND_WALES, &eng), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_service_hours_weekday_office(CARECOORD_REGION_SCOTLAND, &sco), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_service_hours_ucr_national(&ucr), CARECOORD_RESULT_OK);
    int64_t due = 0, n = 0;
    bool b = true;
    /* Thursday 2 April 2026 10:00 BST (09:00Z), 2 working days in England: Good Friday (3rd)
     * and Easter Monday (6th) are closed, the weekend is off, so Tuesday 7th and Wednesday
     * 8th count: due Wednesday 18:00 BST = 17:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(eng, utc(2026, 4, 2, 9, 0), 2, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 4, 8, 17, 0));
    CHECK_EQ_INT(due, 1775667600LL);
    /* Scotland works Easter Monday: Monday 6th and Tuesday 7th, due 7th 17:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(sco, utc(2026, 4, 2, 9, 0), 2, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 4, 7, 17, 0));
    /* 0 days: today's closing, 2 April 18:00 BST = 17:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(eng, utc(2026, 4, 2, 9, 0), 0, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 4, 2, 17, 0));
    /* Working days in (2 Apr, 8 Apr]: England 2 (7, 8), Scotland 3 (6, 7, 8); negative back. */
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(eng, date(2026, 4, 2), date(2026, 4, 8), &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(sco, date(2026, 4, 2), date(2026, 4, 8), &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(eng, date(2026, 4, 8), date(2026, 4, 2), &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, -2);
    /* 2026 in England: 261 weekdays (1 January and 31 December are Thursdays) less 8. */
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(eng, date(2025, 12, 31), date(2026, 12, 31), &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 253);
    n = 42;
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(eng, date(2026, 4, 31), date(2026, 5, 1), &n), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(eng, date(2026, 4, 1), date(2026, 5, 0), &n), CARECOORD_RESULT_INVALID_ARGUMENT);
    CHECK_EQ_INT(n, 42);
    /* Good Friday closed in both; 2 January closed only in Scotland. */
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(eng, date(2026, 4, 3), &b), CARECOORD_RESULT_OK);
    CHECK(!b);
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(eng, date(2026, 1, 2), &b), CARECOORD_RESULT_OK);
    CHECK(b);
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(sco, date(2026, 1, 2), &b), CARECOORD_RESULT_OK);
    CHECK(!b);
    /* Saturday 4 April 2026 noon: next opening Tuesday 7th 08:00 BST = 07:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_next_opening(eng, utc(2026, 4, 4, 12, 0), &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 4, 7, 7, 0));
    /* A week around Easter (Mon 30 Mar to Sun 5 Apr): 4 days x 10 h. */
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(eng, utc(2026, 3, 29, 23, 0), utc(2026, 4, 5, 23, 0), &n), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(n, 40 * 3600);
    /* UCR: 19:00 GMT on 28 March with 2 hours: 1 h to 20:00Z, then from 07:00Z: 08:00Z. */
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(ucr, utc(2026, 3, 28, 19, 0), 7200, &due), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(due, utc(2026, 3, 29, 8, 0));
    /* 3000 days of service time is far beyond the 3660-day search horizon. */
    due = 42;
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(eng, utc(2026, 4, 2, 7, 0), 3000LL * 86400, &due), CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME);
    CHECK(last_error_contains("not enough service time"));
    CHECK_EQ_INT(due, 42);
    /* A one-day-a-week service runs off the end of the calendar with UINT32_MAX days. */
    carecoord_service_hours *wed = NULL;
    CHECK_EQ_INT(carecoord_service_hours_new(480, 1080, 0x04, -1, &wed), CARECOORD_RESULT_OK);
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(wed, utc(2026, 11, 23, 6, 0), UINT32_MAX, &due), CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME);
    CHECK_EQ_INT(due, 42);
    carecoord_service_hours_free(wed);

    /* NULL handles and outputs. */
    CHECK_EQ_INT(carecoord_service_hours_is_open(NULL, 0, &b), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK(last_error_contains("hours"));
    CHECK_EQ_INT(carecoord_service_hours_is_open(eng, 0, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(NULL, date(2026, 4, 3), &b), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_is_working_day(eng, date(2026, 4, 3), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_next_opening(NULL, 0, &due), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_next_opening(eng, 0, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(NULL, 0, 7200, &due), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_deadline_in_service_hours(eng, 0, 7200, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(NULL, 0, 2, &due), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_add_working_days(eng, 0, 2, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(NULL, 0, 1, &n), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_service_time_between(eng, 0, 1, NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(NULL, date(2026, 4, 2), date(2026, 4, 8), &n), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(carecoord_service_hours_working_days_between(eng, date(2026, 4, 2), date(2026, 4, 8), NULL), CARECOORD_RESULT_NULL_ARGUMENT);
    CHECK_EQ_INT(due, 42);

    carecoord_service_hours_free(eng);
    carecoord_service_hours_free(sco);
    carecoord_service_hours_free(ucr);
}

/* One handle, read from several threads at once. */
#define THREADS 4
static void *deadline_worker(void *arg) {
    const carecoord_service_hours *team = arg;
    intptr_t bad = 0;
    for (int i = 0; i < 200; i++) {
        int64_t due = 0;
        if (carecoord_service_hours_deadline_in_service_hours(team, utc(2026, 3, 28, 17, 0), 7200, &due) != CARECOORD_RESULT_OK ||
            due != utc(2026, 3, 29, 8, 0))
            bad++;
    }
    return (void *)bad;
}

static void test_shared_between_threads(void) {
    carecoord_service_hours *team = NULL;
    CHECK_EQ_INT(carecoord_service_hours_community_seven_day(&team), CARECOORD_RESULT_OK);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK_EQ_INT(pthread_create(&threads[i], NULL, deadline_worker, team), 0);
    for (int i = 0; i < THREADS; i++) {
        void *bad = NULL;
        CHECK_EQ_INT(pthread_join(threads[i], &bad), 0);
        CHECK_EQ_INT((intptr_t)bad, 0);
    }
    carecoord_service_hours_free(team);
}

int main(void) {
    test_helper();
    test_region_parse();
    test_is_bank_holiday();
    test_bank_holidays();
    test_local_time();
    test_elapsed_deadline();
    test_service_hours_new();
    test_community_seven_day();
    test_weekday_office();
    test_shared_between_threads();
    return HARNESS_END();
}
