/* schedule.c -- tariff schedules: rates by importer, exporter and sector (C x C x S),
 * set, read, copied, stacked; the revenue-free NTB part of content.c rides along. */
#define _POSIX_C_SOURCE 200809L
#include "tariff/scen.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


/* ------------------------------------------------------------- schedules */
int wi_schedule_alloc(wiot_ctx *ctx, size_t C, size_t S, wiot_schedule **out)
{
    size_t cc, n, bytes;
    if (wi_mul(ctx, C, C, &cc) || wi_mul(ctx, cc, S, &n) || wi_mul(ctx, n, sizeof(double), &bytes))
        return WIOT_ETOOLARGE;
    wiot_schedule *s = wi_alloc(ctx, sizeof *s);
    if (!s)
        return WIOT_ENOMEM;
    s->a = ctx->a;
    s->C = C;
    s->S = S;
    s->ntb = NULL;
    s->rate = wi_calloc(ctx, n, sizeof(double));   /* cannot overflow: checked above */
    if (!s->rate) {
        wi_free(ctx, s);
        return WIOT_ENOMEM;
    }
    *out = s;
    return WIOT_OK;
}

int wiot_schedule_new(wiot_ctx *ctx, const wiot_table *t, wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_new: NULL argument");
    size_t C = wiot_table_countries(t), S = wiot_table_sectors(t);
    if (C == 0 || S == 0)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_new: table has %zu countries x %zu sectors",
                        C, S);
    return wi_schedule_alloc(ctx, C, S, out);
}

int wiot_schedule_copy(wiot_ctx *ctx, const wiot_schedule *src, wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!src || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_copy: NULL argument");
    wiot_schedule *s;
    int rc = wi_schedule_alloc(ctx, src->C, src->S, &s);
    if (rc)
        return rc;
    const size_t n = src->C * src->C * src->S;
    memcpy(s->rate, src->rate, n * sizeof(double));
    if (src->ntb) {
        if (!(s->ntb = wi_dalloc(ctx, n))) {
            wiot_schedule_free(s);
            return WIOT_ENOMEM;
        }
        memcpy(s->ntb, src->ntb, n * sizeof(double));
    }
    *out = s;
    return WIOT_OK;
}

void wiot_schedule_free(wiot_schedule *s)
{
    if (!s)
        return;
    wiot_allocator a = s->a;
    wi_hfree(&a, s->ntb);
    wi_hfree(&a, s->rate);
    wi_hfree(&a, s);
}

int wiot_schedule_set(wiot_ctx *ctx, wiot_schedule *s, size_t importer, size_t exporter,
                      size_t sector, double rate)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!s)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_set: NULL schedule");
    if (importer >= s->C || exporter >= s->C || sector >= s->S)
        return wi_error(ctx, WIOT_EINVAL,
                        "wiot_schedule_set: index (importer %zu, exporter %zu, sector %zu) out of "
                        "range (%zu countries, %zu sectors)",
                        importer, exporter, sector, s->C, s->S);
    if (!isfinite(rate) || !(rate > -1.0))
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_set: rate %g must be finite and > -1",
                        rate);
    if (importer != exporter)
        s->rate[(importer * s->C + exporter) * s->S + sector] = rate;
    return WIOT_OK;
}

/* NaN for a NULL schedule or an index out of range. */
double wiot_schedule_get(const wiot_schedule *s, size_t importer, size_t exporter, size_t sector)
{
    if (!s || importer >= s->C || exporter >= s->C || sector >= s->S)
        return NAN;
    return s->rate[(importer * s->C + exporter) * s->S + sector];
}

int wiot_schedule_add(wiot_ctx *ctx, wiot_schedule *dst, const wiot_schedule *src, double scale)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!dst || !src)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_add: NULL schedule");
    if (dst->C != src->C || dst->S != src->S)
        return wi_error(ctx, WIOT_EINVAL,
                        "wiot_schedule_add: schedules differ in size (%zu x %zu against %zu x %zu "
                        "countries x sectors)",
                        dst->C, dst->S, src->C, src->S);
    if (!isfinite(scale))
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_add: scale %g is not finite", scale);
    const size_t n = dst->C * dst->C * dst->S, CS = dst->C * dst->S;
    /* check first, so that a failed call leaves dst untouched */
    for (size_t q = 0; q < n; q++) {
        double v = dst->rate[q] + scale * src->rate[q];
        if (!isfinite(v) || !(v > -1.0))
            return wi_error(ctx, WIOT_EDATA,
                            "wiot_schedule_add: rate (importer %zu, exporter %zu, sector %zu) "
                            "would be %g, not > -1",
                            q / CS, (q % CS) / dst->S, q % dst->S, v);
    }
    if (src->ntb && !dst->ntb && !(dst->ntb = wi_calloc(ctx, n, sizeof(double))))
        return WIOT_ENOMEM;
    for (size_t q = 0; q < n; q++)
        dst->rate[q] += scale * src->rate[q];
    if (src->ntb)
        for (size_t q = 0; q < n; q++)
            dst->ntb[q] += scale * src->ntb[q];
    return WIOT_OK;
}

const double *wiot_schedule_rates(const wiot_schedule *s) { return s ? s->rate : NULL; }

size_t wi_imposers(const wiot_schedule *s, size_t *list)
{
    size_t m = 0;
    const size_t CS = s->C * s->S;
    for (size_t d = 0; d < s->C; d++) {
        const double *r = s->rate + d * CS;
        for (size_t q = 0; q < CS; q++)
            if (r[q] != 0.0) {
                if (list)
                    list[m] = d;
                m++;
                break;
            }
    }
    return m;
}

size_t wiot_schedule_imposers(const wiot_schedule *s, size_t *list)
{
    return s ? wi_imposers(s, list) : 0;
}

