/* A ten-line assert harness for the C tests: each test returns 1 on success. */
#ifndef CARECOORD_TEST_HARNESS_H
#define CARECOORD_TEST_HARNESS_H
#include <stdio.h>
#include <string.h>
static int harness_failures = 0, harness_checks = 0;
#define CHECK(cond) do { harness_checks++; if (!(cond)) { harness_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); harness_checks++; \
    if (_a != _b) { harness_failures++; fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", \
    __FILE__, __LINE__, #a, _a, _b); } } while (0)
#define S(lit) (lit), (sizeof(lit) - 1)
#define HARNESS_END() (printf("%d passed, %d failed\n", harness_checks - harness_failures, \
    harness_failures), harness_failures == 0 ? 0 : 1)
#endif
