/* table.c -- the table object: allocation, labels and warnings, tables built from
 * caller arrays (wiot_table_new), the read-only accessors, and the finite-result
 * check every kernel ends with. Loading (csv.c, binary.c), validation (validate.c)
 * and saving (save.c, binary.c) are beside it.
 *
 * Ownership: every block of a table comes from the context's allocator and is
 * released with the table's copy of it. The code strings live in one block whose
 * start is t->country (pointer arrays country | sector | fdcat, then the text). */
#define _GNU_SOURCE
#include "table/table.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------ small helpers */
size_t wi_table_find(char *const *codes, size_t count, const char *code)
{
    if (!codes || !code)
        return (size_t)-1;
    for (size_t i = 0; i < count; i++)
        if (strcmp(codes[i], code) == 0)
            return i;
    return (size_t)-1;
}

const char *wi_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}



/* ------------------------------------------------------- table allocation */
void wi_table_release(wiot_table *t)
{
    if (!t)
        return;
    const wiot_allocator a = t->a;
    wi_hfree(&a, t->country);   /* the label block: country | sector | fdcat | text */
    if (t->map) {
        munmap(t->map, t->map_len);   /* Z, F and x live in the mapped .wiot file */
    } else if (!t->borrowed) {
        wi_hfree(&a, t->Z);
        wi_hfree(&a, t->F);
        wi_hfree(&a, t->x);
    }
    wi_hfree(&a, t->v);
    wi_hfree(&a, t->name);
    if (t->warn)
        for (size_t i = 0; i < t->check.warnings; i++)
            wi_hfree(&a, t->warn[i]);
    wi_hfree(&a, t->warn);
    wi_hfree(&a, t);
}

void wiot_table_free(wiot_table *t) { wi_table_release(t); }


/* The table's memory, refused before anything is allocated when it overflows size_t
 * (WIOT_ETOOLARGE) or exceeds the context's cap (WIOT_ENOMEM, with the size needed):
 * 8 (n^2 + n C K + 2n) bytes for Z, F, x and v. */
int wi_table_need(wiot_ctx *ctx, const char *name, size_t C, size_t S, size_t K)
{
    size_t n, CK, nn, nf, tot;
    if (wi_mul(NULL, C, S, &n))
        return wi_fmsg(ctx, WIOT_ETOOLARGE, name, 0, "the table's size overflows: %zu countries "
                      "x %zu sectors", C, S);
    if (wi_mul(NULL, C, K, &CK) || wi_mul(NULL, n, n, &nn) || wi_mul(NULL, n, CK, &nf) ||
        wi_add(NULL, nn, nf, &tot) || wi_add(NULL, tot, n, &tot) || wi_add(NULL, tot, n, &tot) ||
        wi_mul(NULL, tot, sizeof(double), &tot))
        return wi_fmsg(ctx, WIOT_ETOOLARGE, name, 0, "the table's size overflows: n = %zu "
                      "country-sectors (C = %zu, S = %zu, K = %zu)", n, C, S, K);
    char what[WI_LABEL_MAX + 16];
    snprintf(what, sizeof what, "%s: the table", name);
    return wi_budget(ctx, tot, what, "n = %zu, C = %zu, S = %zu, K = %zu", n, C, S, K);
}

/* The table, its numeric arrays and its name. Dimensions already validated >= 1.
 * data == 0: Z, F and x are left NULL for the caller to point into a mapping. */
int wi_table_alloc(wiot_ctx *ctx, size_t C, size_t S, size_t K, const char *name,
                          int data, wiot_table **out)
{
    size_t n, CK, nn, nf;
    int rc;
    if ((rc = wi_mul(ctx, C, S, &n)) || (rc = wi_mul(ctx, C, K, &CK)) ||
        (rc = wi_mul(ctx, n, n, &nn)) || (rc = wi_mul(ctx, n, CK, &nf)) ||
        (rc = wi_mul(ctx, nn, sizeof(double), &nn)) || (rc = wi_mul(ctx, nf, sizeof(double), &nf)))
        return rc;
    wiot_table *t = wi_calloc(ctx, 1, sizeof *t);
    if (!t)
        return WIOT_ENOMEM;
    t->a = ctx->a;
    t->C = C;
    t->S = S;
    t->K = K;
    t->n = n;
    int ok = 1;
    if (data) {
        t->Z = wi_dalloc(ctx, n * n);
        if (t->Z && CK)
            t->F = wi_dalloc(ctx, n * CK);
        if (t->Z && (t->F || !CK))
            t->x = wi_dalloc(ctx, n);
        ok = t->x != NULL;
    }
    if (ok)
        t->v = wi_dalloc(ctx, n);
    if (t->v)
        t->name = wi_strdup(ctx, wi_basename(name));
    if (!t->name) {
        wi_table_release(t);
        return WIOT_ENOMEM;
    }
    t->year = wi_year_in(t->name, 0);
    *out = t;
    return WIOT_OK;
}

/* One block for all codes: pointer arrays then the strings. len[] holds C+S+K lengths,
 * src[] the code texts (not NUL-terminated). */
int wi_labels_alloc(wiot_ctx *ctx, wiot_table *t, const char *const *src,
                           const size_t *len)
{
    size_t cnt = t->C + t->S + t->K, bytes = cnt * sizeof(char *);
    for (size_t i = 0; i < cnt; i++)
        bytes += len[i] + 1;
    char **p = wi_alloc(ctx, bytes);
    if (!p)
        return WIOT_ENOMEM;
    char *s = (char *)(p + cnt);
    for (size_t i = 0; i < cnt; i++) {
        p[i] = s;
        memcpy(s, src[i], len[i]);
        s[len[i]] = '\0';
        s += len[i] + 1;
    }
    t->country = p;
    t->sector = p + t->C;
    t->fdcat = p + t->C + t->S;
    return WIOT_OK;
}


/* ------------------------------------------------------------- from arrays */
static int wi_desc_codes(wiot_ctx *ctx, const char *name, const char *kind,
                         const char *const *codes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!codes[i])
            return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "%s code %zu is NULL", kind, i);
        const char *why = wi_code_problem(codes[i], strlen(codes[i]));
        if (why)
            return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "%s code %zu %s", kind, i, why);
        for (size_t k = 0; k < i; k++)
            if (strcmp(codes[k], codes[i]) == 0)
                return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "duplicate %s code '%s'", kind, codes[i]);
    }
    return WIOT_OK;
}

int wiot_table_new(wiot_ctx *ctx, const wiot_table_desc *d, wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!d || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_new: %s is NULL", d ? "out" : "desc");
    const char *name = d->name ? d->name : "table";
    size_t C = d->countries, S = d->sectors, K = d->fd_categories, n, CK;
    if (C == 0 || S == 0)
        return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "need at least one country and one sector "
                      "(got %zu x %zu)", C, S);
    if (!d->country_codes || !d->sector_codes)
        return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "country_codes and sector_codes are required");
    if (!d->Z)
        return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "Z is NULL");
    int rc;
    if ((rc = wi_table_need(ctx, name, C, S, K)))   /* before any code is read */
        return rc;
    if ((rc = wi_mul(ctx, C, S, &n)) || (rc = wi_mul(ctx, C, K, &CK)))
        return rc;
    if (d->ldz < n)
        return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "ldz %zu < n %zu", d->ldz, n);
    if (K && !d->F)
        return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "F is NULL but there are %zu final-demand "
                      "categories", K);
    if (K && d->ldf < n)
        return wi_fmsg(ctx, WIOT_EINVAL, name, 0, "ldf %zu < n %zu", d->ldf, n);
    if ((rc = wi_desc_codes(ctx, name, "country", d->country_codes, C)) ||
        (rc = wi_desc_codes(ctx, name, "sector", d->sector_codes, S)) ||
        (d->fd_codes && (rc = wi_desc_codes(ctx, name, "final-demand", d->fd_codes, K))))
        return rc;

    wiot_table *t = NULL;
    if ((rc = wi_table_alloc(ctx, C, S, K, name, 1, &t)))
        return rc;
    size_t cnt = C + S + K;
    const char **src = wi_alloc(ctx, cnt * sizeof(char *));
    size_t *len = wi_alloc(ctx, cnt * sizeof(size_t));
    char *fdgen = K && !d->fd_codes ? wi_alloc(ctx, K * 24) : NULL;
    if (!src || !len || (K && !d->fd_codes && !fdgen)) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    for (size_t c = 0; c < C; c++)
        src[c] = d->country_codes[c];
    for (size_t s = 0; s < S; s++)
        src[C + s] = d->sector_codes[s];
    for (size_t k = 0; k < K; k++) {
        if (d->fd_codes) {
            src[C + S + k] = d->fd_codes[k];
        } else {
            snprintf(fdgen + k * 24, 24, "F%zu", k + 1);
            src[C + S + k] = fdgen + k * 24;
        }
    }
    for (size_t i = 0; i < cnt; i++)
        len[i] = strlen(src[i]);
    if ((rc = wi_labels_alloc(ctx, t, src, len)))
        goto fail;

    for (size_t j = 0; j < n; j++)
        memcpy(t->Z + j * n, d->Z + j * d->ldz, n * sizeof(double));
    for (size_t q = 0; q < CK; q++)
        memcpy(t->F + q * n, d->F + q * d->ldf, n * sizeof(double));
    if (d->x) {
        memcpy(t->x, d->x, n * sizeof(double));
    } else {
        for (size_t i = 0; i < n; i++)
            t->x[i] = 0;
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++)
                t->x[i] += t->Z[i + j * n];
        for (size_t q = 0; q < CK; q++)
            for (size_t i = 0; i < n; i++)
                t->x[i] += t->F[i + q * n];
    }
    if ((rc = wi_validate(ctx, t, name, 0, NULL, NULL)))
        goto fail;
    wi_free(ctx, src);
    wi_free(ctx, len);
    wi_free(ctx, fdgen);
    wi_log_warnings(ctx, t);
    *out = t;
    return WIOT_OK;
fail:
    wi_free(ctx, src);
    wi_free(ctx, len);
    wi_free(ctx, fdgen);
    wi_table_release(t);
    return rc;
}

/* -------------------------------------------------------------- accessors */
size_t wiot_table_n(const wiot_table *t) { return t ? t->n : 0; }
size_t wiot_table_countries(const wiot_table *t) { return t ? t->C : 0; }
size_t wiot_table_sectors(const wiot_table *t) { return t ? t->S : 0; }
size_t wiot_table_fd_categories(const wiot_table *t) { return t ? t->K : 0; }

const char *wiot_table_country(const wiot_table *t, size_t c)
{
    return t && c < t->C ? t->country[c] : NULL;
}

const char *wiot_table_sector(const wiot_table *t, size_t s)
{
    return t && s < t->S ? t->sector[s] : NULL;
}

const char *wiot_table_fd_category(const wiot_table *t, size_t k)
{
    return t && k < t->K ? t->fdcat[k] : NULL;
}

size_t wiot_table_find_country(const wiot_table *t, const char *code)
{
    return t ? wi_table_find(t->country, t->C, code) : (size_t)-1;
}

size_t wiot_table_find_sector(const wiot_table *t, const char *code)
{
    return t ? wi_table_find(t->sector, t->S, code) : (size_t)-1;
}

const char *wiot_table_name(const wiot_table *t) { return t ? t->name : NULL; }
int wiot_table_year(const wiot_table *t) { return t ? t->year : 0; }
const double *wiot_table_Z(const wiot_table *t) { return t ? t->Z : NULL; }
const double *wiot_table_F(const wiot_table *t) { return t ? t->F : NULL; }
const double *wiot_table_x(const wiot_table *t) { return t ? t->x : NULL; }
const double *wiot_table_v(const wiot_table *t) { return t ? t->v : NULL; }
const wiot_check *wiot_table_check(const wiot_table *t) { return t ? &t->check : NULL; }

const char *wiot_table_warning(const wiot_table *t, size_t i)
{
    return t && t->warn && i < t->check.warnings ? t->warn[i] : NULL;
}

/* ------------------------------------------------------------ results */
int wi_check_finite(wiot_ctx *ctx, const wiot_table *t, const char *what, const double *v,
                    size_t rows, size_t cols, size_t ld)
{
    for (size_t j = 0; j < cols; j++)
        for (size_t i = 0; i < rows; i++) {
            double a = v[i + j * ld];
            if (isfinite(a))
                continue;
            char lab[160], col[48] = "";
            if (t && rows == t->n && t->S)
                snprintf(lab, sizeof lab, "'%s_%s'", t->country[i / t->S], t->sector[i % t->S]);
            else if (t && rows == t->C)
                snprintf(lab, sizeof lab, "'%s'", t->country[i]);
            else
                snprintf(lab, sizeof lab, "entry %zu", i);
            if (cols > 1)
                snprintf(col, sizeof col, " (column %zu)", j);
            return wi_error(ctx, WIOT_EDATA, "%s of %s%s is %g: the magnitudes of the data exceed "
                            "double precision", what, lab, col, a);
        }
    return WIOT_OK;
}

/* ------------------------------------------------ extras of provider layouts */
/* A table read from a provider layout keeps its extras (struct wi_ext: units, source,
 * primary-input rows, other uses) in the block of its name, after the name's text, so
 * the table's release frees them with the name and table.c needs no change. */
const char *wiot_table_units(const wiot_table *t)
{
    return t && t->ext && t->ext->units ? t->ext->units : "millions of USD";
}

const char *wiot_table_source(const wiot_table *t)
{
    return t && t->ext ? t->ext->source : NULL;
}

size_t wiot_table_inputs(const wiot_table *t) { return t && t->ext ? t->ext->P : 0; }

const char *wiot_table_input_label(const wiot_table *t, size_t r)
{
    return t && t->ext && r < t->ext->P ? t->ext->plabel[r] : NULL;
}

const double *wiot_table_input(const wiot_table *t, size_t r)
{
    return t && t->ext && r < t->ext->P ? t->ext->Pv + r * (t->n + t->C * t->K) : NULL;
}

size_t wiot_table_other_uses(const wiot_table *t) { return t && t->ext ? t->ext->Q : 0; }

const char *wiot_table_other_use_label(const wiot_table *t, size_t q)
{
    return t && t->ext && q < t->ext->Q ? t->ext->qlabel[q] : NULL;
}

const double *wiot_table_other_use(const wiot_table *t, size_t q)
{
    return t && t->ext && q < t->ext->Q ? t->ext->Qv + q * t->n : NULL;
}

