/* helpers.h -- shared test utilities. Tests run from the tests/ directory. */
#ifndef WIOT_TEST_HELPERS_H
#define WIOT_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <float.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wiot.h"

#define DATA(p) "../data/" p
#define BAD(p) "bad/" p

/* Relative comparison: |a - b| <= rtol * max(|a|, |b|, floor). Criterion's
 * ieee_ulp/epsilon asserts are absolute; most of our tolerances are relative. */
static inline int rel_close(double a, double b, double rtol, double floor_)
{
    double s = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    if (s < floor_)
        s = floor_;
    return fabs(a - b) <= rtol * s;
}
#define assert_rel(a, b, rtol, ...)                                                   \
    cr_assert(rel_close((a), (b), (rtol), 1e-300), "%s = %.17g, expected %.17g (rtol %g)", \
              #a, (double)(a), (double)(b), (double)(rtol))
#define assert_close(a, b, atol)                                                      \
    cr_assert(fabs((double)(a) - (double)(b)) <= (atol), "%s = %.17g, expected %.17g (atol %g)", \
              #a, (double)(a), (double)(b), (double)(atol))

/* A counting allocator that can be told to fail at allocation number fail_at
 * (0-based; -1 = never). live counts blocks not yet released. */
typedef struct test_alloc {
    long calls;
    long fail_at;
    long live;
} test_alloc;

static inline void *test_alloc_fn(void *ud, size_t size)
{
    test_alloc *t = ud;
    long k = t->calls++;
    if (t->fail_at >= 0 && k == t->fail_at)
        return NULL;
    void *p = malloc(size);
    if (p)
        t->live++;
    return p;
}
static inline void test_release_fn(void *ud, void *p)
{
    test_alloc *t = ud;
    if (p) {
        t->live--;
        free(p);
    }
}
static inline wiot_allocator test_allocator(test_alloc *t)
{
    wiot_allocator a = {test_alloc_fn, test_release_fn, t};
    return a;
}

/* Fresh context or abort the test. */
static inline wiot_ctx *test_ctx(void)
{
    wiot_ctx *ctx = NULL;
    cr_assert_eq(wiot_ctx_new(&ctx), WIOT_OK);
    return ctx;
}

/* Load a table or fail with the library's message. */
static inline wiot_table *test_load(wiot_ctx *ctx, const char *path)
{
    wiot_table *t = NULL;
    int rc = wiot_table_load(ctx, path, &t);
    cr_assert_eq(rc, WIOT_OK, "loading %s: %s", path, wiot_errmsg(ctx));
    return t;
}

/* Read file to a malloc'ed NUL-terminated buffer (NULL on error). */
static inline char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b) {
        b[n] = 0;
        if (len)
            *len = (size_t)n;
    }
    fclose(f);
    return b;
}

/* One row of an *_expected.csv (quantity,i,j,value,source) or of
 * reference_results.csv (quantity,year,row,col,value). Fields are split in place. */
typedef struct expect_row {
    char *f[6];
    int nf;
} expect_row;

/* Calls fn for each data row of a small comma-separated file (no quoting). Returns
 * the number of rows, or -1 if the file cannot be read. */
static inline int for_each_row(const char *path, void (*fn)(const expect_row *, void *), void *ud)
{
    char *b = test_slurp(path, NULL);
    if (!b)
        return -1;
    int rows = 0;
    char *line = strchr(b, '\n');   /* skip the header */
    while (line && *++line) {
        char *next = strchr(line, '\n');
        if (next)
            *next = 0;
        expect_row r;
        memset(&r, 0, sizeof r);
        char *p = line;
        r.f[r.nf++] = p;
        while (*p && r.nf < 6) {
            if (*p == ',') {
                *p = 0;
                r.f[r.nf++] = p + 1;
            }
            p++;
        }
        fn(&r, ud);
        rows++;
        line = next;
    }
    free(b);
    return rows;
}

#endif
