/* Hand-built Arrow C Data Interface arrays for the C tests: a utf8 array (NULL value =
 * null) and the release callbacks of a struct array (one record batch) that owns its
 * children. */
#ifndef CARECOORD_TEST_ARROW_BUILD_H
#define CARECOORD_TEST_ARROW_BUILD_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "carecoord.h"

static void release_utf8(struct ArrowArray *a) {
    free((void *)a->buffers[0]);
    free((void *)a->buffers[1]);
    free((void *)a->buffers[2]);
    free(a->buffers);
    a->release = NULL;
}

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

#endif
