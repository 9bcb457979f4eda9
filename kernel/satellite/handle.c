/* handle.c -- the extension handle: allocation, stressor names and units, the F and
 * F_Y blocks, accessors and free. The bottom of the satellite layer: extension.c (the
 * CSV readers and the loader) and read_sat.c (the providers' satellite blocks) build
 * on it. */
#define _GNU_SOURCE
#include "satellite/satellite.h"
#include "formats/formats.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ handle */
int wi_ext_alloc(wiot_ctx *ctx, const wiot_table *t, size_t p, int fy, wiot_extension **out)
{
    size_t np, nck, ck;
    int rc;
    if ((rc = wi_mul(ctx, t->C, t->K, &ck)) || (rc = wi_mul(ctx, p, t->n, &np)) ||
        (rc = wi_mul(ctx, p, ck, &nck)))
        return rc;
    size_t bytes = (np + (fy ? nck : 0)) * sizeof(double);
    if (bytes / sizeof(double) < np)
        bytes = SIZE_MAX;
    if ((rc = wi_budget(ctx, bytes, "the extension", "%zu stressors x %zu country-sectors", p, t->n)))
        return rc;
    wiot_extension *e = wi_calloc(ctx, 1, sizeof *e);
    if (!e)
        return WIOT_ENOMEM;
    e->a = ctx->a;
    e->p = p;
    e->n = t->n;
    e->C = t->C;
    e->S = t->S;
    e->K = t->K;
    e->name = wi_calloc(ctx, p ? p : 1, sizeof(char *));
    e->unit = wi_calloc(ctx, p ? p : 1, sizeof(char *));
    e->F = wi_calloc(ctx, np ? np : 1, sizeof(double));
    if (fy)
        e->FY = wi_calloc(ctx, nck ? nck : 1, sizeof(double));
    if (!e->name || !e->unit || !e->F || (fy && !e->FY)) {
        wiot_extension_free(e);
        return WIOT_ENOMEM;
    }
    *out = e;
    return WIOT_OK;
}

int wi_ext_set(wiot_ctx *ctx, wiot_extension *e, size_t k, const char *name, size_t nlen,
               const char *unit, size_t ulen)
{
    char *a = wi_alloc(ctx, nlen + 1), *b = wi_alloc(ctx, ulen + 1);
    if (!a || !b) {
        wi_free(ctx, a);
        wi_free(ctx, b);
        return WIOT_ENOMEM;
    }
    memcpy(a, name, nlen);
    a[nlen] = '\0';
    memcpy(b, unit, ulen);
    b[ulen] = '\0';
    wi_hfree(&e->a, e->name[k]);
    wi_hfree(&e->a, e->unit[k]);
    e->name[k] = a;
    e->unit[k] = b;
    return WIOT_OK;
}

int wi_ext_set_source(wiot_ctx *ctx, wiot_extension *e, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = wi_strdup(ctx, buf);
    if (!s)
        return WIOT_ENOMEM;
    wi_hfree(&e->a, e->source);
    e->source = s;
    return WIOT_OK;
}

void wiot_extension_free(wiot_extension *e)
{
    if (!e)
        return;
    wiot_allocator a = e->a;
    for (size_t k = 0; k < e->p; k++) {
        if (e->name)
            wi_hfree(&a, e->name[k]);
        if (e->unit)
            wi_hfree(&a, e->unit[k]);
    }
    wi_hfree(&a, e->name);
    wi_hfree(&a, e->unit);
    wi_hfree(&a, e->F);
    wi_hfree(&a, e->FY);
    wi_hfree(&a, e->source);
    wi_hfree(&a, e);
}

size_t wiot_extension_stressors(const wiot_extension *e) { return e ? e->p : 0; }
const char *wiot_extension_stressor(const wiot_extension *e, size_t k)
{
    return e && k < e->p ? e->name[k] : NULL;
}
const char *wiot_extension_unit(const wiot_extension *e, size_t k)
{
    return e && k < e->p ? e->unit[k] : NULL;
}
size_t wiot_extension_find(const wiot_extension *e, const char *name)
{
    if (!e || !name)
        return (size_t)-1;
    for (size_t k = 0; k < e->p; k++)
        if (!strcmp(e->name[k], name))
            return k;
    return (size_t)-1;
}
const double *wiot_extension_F(const wiot_extension *e) { return e ? e->F : NULL; }
const double *wiot_extension_FY(const wiot_extension *e) { return e ? e->FY : NULL; }
const char *wiot_extension_source(const wiot_extension *e) { return e && e->source ? e->source : ""; }

/* A name or unit: no control characters; names non-empty. */
