/* extension.c -- the extension handle (satellite accounts, METHODS.md §8): building
 * one from arrays or from the table's primary-input rows, and reading the two CSV
 * layouts (README.md "Satellite accounts"):
 *   wide: "name,unit,<COUNTRY_SECTOR>..." then name, unit, n values per stressor
 *         (pymrio's factor_input layout); F_Y files label columns COUNTRY_CATEGORY;
 *   tidy: "stressor,unit,country,sector,value" (F_Y: "...,category,value"), one line
 *         per entry, absent entries 0.
 * Both plain or gzip; bounded by the context's memory limit before they are read. */
#define _GNU_SOURCE
#include "satellite/satellite.h"

#define WI_EXT_MAX_LINES 4096.0  /* stressors an extension file is sized for (README "Guarantees") */
#include "formats/formats.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int wi_bad_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

int wiot_extension_new(wiot_ctx *ctx, const wiot_table *t, size_t p, const char *const *names,
                       const char *const *units, const double *F, size_t ldf, const double *FY,
                       size_t ldfy, wiot_extension **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !names || !units || !F || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extension_new: NULL argument");
    if (!p)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extension_new: no stressors (p = 0)");
    if (ldf < p || (FY && ldfy < p))
        return wi_error(ctx, WIOT_EINVAL, "wiot_extension_new: leading dimension below p = %zu", p);
    const size_t n = t->n, ck = t->C * t->K;
    size_t np;
    int rc = wi_mul(ctx, p, n > ck ? n : ck, &np);
    if (!rc)
        rc = wi_mul(ctx, np, sizeof(double), &np);
    if (rc)
        return rc;
    for (size_t k = 0; k < p; k++) {
        if (!names[k] || !units[k] || !names[k][0] || wi_bad_text(names[k], strlen(names[k])) ||
            wi_bad_text(units[k], strlen(units[k])))
            return wi_error(ctx, WIOT_EINVAL, "wiot_extension_new: stressor %zu: empty name or "
                            "control characters in its name or unit", k);
        for (size_t q = 0; q < k; q++)
            if (!strcmp(names[q], names[k]))
                return wi_error(ctx, WIOT_EINVAL, "wiot_extension_new: stressor '%s' given twice",
                                names[k]);
    }
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < p; k++)
            if (!isfinite(F[k + j * ldf]))
                return wi_error(ctx, WIOT_EDATA, "wiot_extension_new: F of stressor '%s' is %g in "
                                "column %zu (%s_%s)", names[k], F[k + j * ldf], j,
                                t->country[j / t->S], t->sector[j % t->S]);
    if (FY)
        for (size_t j = 0; j < ck; j++)
            for (size_t k = 0; k < p; k++)
                if (!isfinite(FY[k + j * ldfy]))
                    return wi_error(ctx, WIOT_EDATA, "wiot_extension_new: F_Y of stressor '%s' is "
                                    "%g in column %zu", names[k], FY[k + j * ldfy], j);
    wiot_extension *e = NULL;
    rc = wi_ext_alloc(ctx, t, p, FY != NULL, &e);
    for (size_t k = 0; !rc && k < p; k++)
        rc = wi_ext_set(ctx, e, k, names[k], strlen(names[k]), units[k], strlen(units[k]));
    if (!rc)
        rc = wi_ext_set_source(ctx, e, "arrays");
    if (rc) {
        if (!e)
            return rc;
        wiot_extension_free(e);
        return rc;
    }
    for (size_t j = 0; j < n; j++)
        memcpy(e->F + j * p, F + j * ldf, p * sizeof(double));
    for (size_t j = 0; FY && j < ck; j++)
        memcpy(e->FY + j * p, FY + j * ldfy, p * sizeof(double));
    *out = e;
    return WIOT_OK;
}

int wiot_extension_from_inputs(wiot_ctx *ctx, const wiot_table *t, wiot_extension **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extension_from_inputs: NULL argument");
    const size_t P = wiot_table_inputs(t), n = t->n, ck = t->C * t->K;
    const char *units = wiot_table_units(t);
    wiot_extension *e = NULL;
    int rc = wi_ext_alloc(ctx, t, P ? P : 1, P > 0, &e);
    if (rc)
        return rc;
    if (!P) {
        rc = wi_ext_set(ctx, e, 0, "VA", 2, units, strlen(units));
        if (!rc)
            memcpy(e->F, t->v, n * sizeof(double));
    }
    for (size_t r = 0; !rc && r < P; r++) {
        const char *lab = wiot_table_input_label(t, r);
        const double *row = wiot_table_input(t, r);
        rc = wi_ext_set(ctx, e, r, lab, strlen(lab), units, strlen(units));
        for (size_t j = 0; j < n; j++)
            e->F[r + j * P] = row[j];
        for (size_t j = 0; j < ck; j++)
            e->FY[r + j * P] = row[n + j];
    }
    if (!rc)
        rc = wi_ext_set_source(ctx, e, "%s: primary inputs", t->name ? t->name : "table");
    if (rc) {
        wiot_extension_free(e);
        return rc;
    }
    *out = e;
    return WIOT_OK;
}

int wiot_extension_select(wiot_ctx *ctx, const wiot_extension *e, const char *name,
                          wiot_extension **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!e || !name || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extension_select: NULL argument");
    size_t k = wiot_extension_find(e, name);
    if (k == (size_t)-1) {
        char list[400];
        size_t len = 0;
        list[0] = '\0';
        for (size_t q = 0; q < e->p; q++) {
            size_t l = strlen(e->name[q]);
            if (len + l + 8 >= sizeof list) {
                memcpy(list + len, ", ...", 6);
                break;
            }
            if (q) {
                memcpy(list + len, ", ", 2);
                len += 2;
            }
            memcpy(list + len, e->name[q], l + 1);
            len += l;
        }
        return wi_error(ctx, WIOT_ENOTFOUND, "no stressor '%s' in %s (stressors: %s)", name,
                        wiot_extension_source(e), list);
    }
    wiot_table shape;   /* the extension's shape, for wi_ext_alloc */
    memset(&shape, 0, sizeof shape);
    shape.n = e->n;
    shape.C = e->C;
    shape.S = e->S;
    shape.K = e->K;
    wiot_extension *o;
    int rc = wi_ext_alloc(ctx, &shape, 1, e->FY != NULL, &o);
    if (rc)
        return rc;
    rc = wi_ext_set(ctx, o, 0, e->name[k], strlen(e->name[k]), e->unit[k], strlen(e->unit[k]));
    if (!rc)
        rc = wi_ext_set_source(ctx, o, "%s", wiot_extension_source(e));
    if (rc) {
        wiot_extension_free(o);
        return rc;
    }
    for (size_t j = 0; j < e->n; j++)
        o->F[j] = e->F[k + j * e->p];
    for (size_t j = 0; o->FY && j < e->C * e->K; j++)
        o->FY[j] = e->FY[k + j * e->p];
    *out = o;
    return WIOT_OK;
}

/* ---------------------------------------------------------------- CSV readers */
/* Column labels of the table: COUNTRY_SECTOR (n, fd == 0) or COUNTRY_CATEGORY (C*K),
 * sorted for lookup. */
typedef struct wi_lab { const char *s; size_t idx; } wi_lab;
typedef struct wi_labels {
    wi_lab *l;
    char *text;
    size_t m;
} wi_labels;

static int wi_lab_cmp(const void *a, const void *b)
{
    return strcmp(((const wi_lab *)a)->s, ((const wi_lab *)b)->s);
}

static void wi_labels_free(wiot_ctx *ctx, wi_labels *L)
{
    wi_free(ctx, L->l);
    wi_free(ctx, L->text);
    L->l = NULL;
    L->text = NULL;
}

static int wi_labels_make(wiot_ctx *ctx, const wiot_table *t, int fd, wi_labels *L)
{
    const size_t inner = fd ? t->K : t->S, m = t->C * inner;
    char **in = fd ? t->fdcat : t->sector;
    size_t bytes = 0;
    for (size_t i = 0; i < m; i++)
        bytes += strlen(t->country[i / inner]) + strlen(in[i % inner]) + 2;
    L->m = m;
    L->l = wi_calloc(ctx, m ? m : 1, sizeof *L->l);
    L->text = wi_alloc(ctx, bytes ? bytes : 1);
    if (!L->l || !L->text) {
        wi_labels_free(ctx, L);
        return WIOT_ENOMEM;
    }
    char *w = L->text;
    for (size_t i = 0; i < m; i++) {
        L->l[i].s = w;
        L->l[i].idx = i;
        w += sprintf(w, "%s_%s", t->country[i / inner], in[i % inner]) + 1;
    }
    qsort(L->l, m, sizeof *L->l, wi_lab_cmp);
    return WIOT_OK;
}

static size_t wi_labels_find(const wi_labels *L, const char *s, size_t n)
{
    size_t lo = 0, hi = L->m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(L->l[mid].s, s, n);
        if (!c && L->l[mid].s[n])
            c = 1;
        if (!c)
            return L->l[mid].idx;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (size_t)-1;
}

static int wi_fld_eq(const wi_field *f, const char *z)
{
    size_t n = strlen(z);
    return f->n == n && !memcmp(f->p, z, n);
}

static size_t wi_code_idx(char *const *codes, size_t count, const wi_field *f, size_t *cache)
{
    if (*cache < count && strlen(codes[*cache]) == f->n && !memcmp(codes[*cache], f->p, f->n))
        return *cache;
    for (size_t i = 0; i < count; i++)
        if (strlen(codes[i]) == f->n && !memcmp(codes[i], f->p, f->n))
            return *cache = i;
    return (size_t)-1;
}

/* A growing list of stressors (fields pointing into the text). */
typedef struct wi_slist {
    wi_field *name, *unit;
    size_t *line;
    size_t p, cap;
} wi_slist;

static void wi_slist_free(wiot_ctx *ctx, wi_slist *s)
{
    wi_free(ctx, s->name);
    wi_free(ctx, s->unit);
    wi_free(ctx, s->line);
}

static size_t wi_slist_find(const wi_slist *s, const wi_field *f, size_t *cache)
{
    if (*cache < s->p && s->name[*cache].n == f->n && !memcmp(s->name[*cache].p, f->p, f->n))
        return *cache;
    for (size_t k = 0; k < s->p; k++)
        if (s->name[k].n == f->n && !memcmp(s->name[k].p, f->p, f->n))
            return *cache = k;
    return (size_t)-1;
}

static int wi_slist_add(wiot_ctx *ctx, wi_slist *s, const wi_field *name, const wi_field *unit,
                        size_t line)
{
    if (s->p == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 16;
        wi_field *a = wi_calloc(ctx, nc, sizeof *a), *b = wi_calloc(ctx, nc, sizeof *b);
        size_t *l = wi_calloc(ctx, nc, sizeof *l);
        if (!a || !b || !l) {
            wi_free(ctx, a);
            wi_free(ctx, b);
            wi_free(ctx, l);
            return WIOT_ENOMEM;
        }
        if (s->p) {
            memcpy(a, s->name, s->p * sizeof *a);
            memcpy(b, s->unit, s->p * sizeof *b);
            memcpy(l, s->line, s->p * sizeof *l);
        }
        wi_slist_free(ctx, s);
        s->name = a;
        s->unit = b;
        s->line = l;
        s->cap = nc;
    }
    s->name[s->p] = *name;
    s->unit[s->p] = *unit;
    s->line[s->p++] = line;
    return WIOT_OK;
}

/* The checks every stressor line gets: a name, no control characters. */
static int wi_check_stressor(wiot_ctx *ctx, const char *file, size_t line, const wi_field *name,
                             const wi_field *unit)
{
    char q[WI_SHOW];
    if (!name->n)
        return wi_fmsg(ctx, WIOT_EFORMAT, file, line, "empty stressor name");
    if (wi_bad_text(name->p, name->n))
        return wi_fmsg(ctx, WIOT_EFORMAT, file, line, "stressor name '%s' holds control characters",
                       wi_show(q, name->p, name->n));
    if (wi_bad_text(unit->p, unit->n))
        return wi_fmsg(ctx, WIOT_EFORMAT, file, line, "unit '%s' holds control characters",
                       wi_show(q, unit->p, unit->n));
    return WIOT_OK;
}

/* F_Y: stressor f of file must be one of e's with the same unit; its index. */
static int wi_fd_stressor(wiot_ctx *ctx, const wiot_extension *e, const char *file, size_t line,
                          const wi_field *name, const wi_field *unit, size_t *k)
{
    char q[WI_SHOW], u[WI_SHOW];
    for (size_t i = 0; i < e->p; i++)
        if (strlen(e->name[i]) == name->n && !memcmp(e->name[i], name->p, name->n)) {
            if (strlen(e->unit[i]) != unit->n || memcmp(e->unit[i], unit->p, unit->n))
                return wi_fmsg(ctx, WIOT_EFORMAT, file, line, "stressor '%s': unit '%s' differs "
                               "from '%s' in %s", e->name[i], wi_show(u, unit->p, unit->n),
                               e->unit[i], wiot_extension_source(e));
            *k = i;
            return WIOT_OK;
        }
    return wi_fmsg(ctx, WIOT_ENOTFOUND, file, line, "stressor '%s' is not in %s",
                   wi_show(q, name->p, name->n), wiot_extension_source(e));
}

typedef struct wi_parse {
    wiot_ctx *ctx;
    const wiot_table *t;
    const char *file;
    int fd;                   /* reading F_Y */
    size_t cols;              /* n or C*K */
    size_t lines;             /* upper bound on the data lines */
    wiot_extension *e;        /* fd: the extension being completed; else the result */
} wi_parse;

/* Wide layout: header already in tx->f. */
static int wi_parse_wide(wi_parse *P, wi_text *tx)
{
    wiot_ctx *ctx = P->ctx;
    const size_t cols = P->cols, nf = tx->nf, m = nf - 2;
    char q[WI_SHOW];
    wi_labels L = {0};
    size_t *map = wi_calloc(ctx, m ? m : 1, sizeof *map);
    unsigned char *seen = wi_calloc(ctx, cols ? cols : 1, 1);
    double *rows = NULL;     /* row-major p_max x cols while reading */
    wi_slist sl = {0};
    int rc = (!map || !seen) ? WIOT_ENOMEM : wi_labels_make(ctx, P->t, P->fd, &L);
    for (size_t c = 0; !rc && c < m; c++) {
        const wi_field *f = &tx->f[2 + c];
        size_t j = wi_labels_find(&L, f->p, f->n);
        if (j == (size_t)-1)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "column %zu: '%s' is not a %s of "
                         "the table", c + 3, wi_show(q, f->p, f->n),
                         P->fd ? "COUNTRY_CATEGORY label" : "COUNTRY_SECTOR label");
        else if (seen[j])
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "column '%s' listed twice",
                         wi_show(q, f->p, f->n));
        else {
            seen[j] = 1;
            map[c] = j;
        }
    }
    for (size_t j = 0; !rc && j < cols; j++)
        if (!seen[j]) {
            size_t inner = P->fd ? P->t->K : P->t->S;
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "no column for '%s_%s' (every %s "
                         "of the table must be given)", P->t->country[j / inner],
                         P->fd ? P->t->fdcat[j % inner] : P->t->sector[j % inner],
                         P->fd ? "final-demand column" : "country-sector");
        }
    size_t pmax = P->lines, bytes;
    if (!rc && !(rc = wi_mul(ctx, pmax ? pmax : 1, cols ? cols : 1, &bytes)) &&
        !(rc = wi_mul(ctx, bytes, sizeof(double), &bytes)) &&
        !(rc = wi_budget(ctx, bytes, "the extension file's values", "%zu lines x %zu columns", pmax,
                         cols)))
        rows = wi_dalloc(ctx, bytes / sizeof(double));
    if (!rc && !rows)
        rc = WIOT_ENOMEM;
    unsigned char *given = NULL;
    if (!rc && P->fd && !(given = wi_calloc(ctx, P->e->p, 1)))
        rc = WIOT_ENOMEM;
    size_t cache = 0;
    int got;
    while (!rc && (got = wi_text_next(tx)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (tx->nf != nf) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "%zu fields, the header has %zu",
                         tx->nf, nf);
            break;
        }
        const wi_field *name = &tx->f[0], *unit = &tx->f[1];
        if ((rc = wi_check_stressor(ctx, P->file, tx->line, name, unit)))
            break;
        size_t k;
        if (P->fd) {
            if ((rc = wi_fd_stressor(ctx, P->e, P->file, tx->line, name, unit, &k)))
                break;
            if (given[k]) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "stressor '%s' listed twice",
                             P->e->name[k]);
                break;
            }
            given[k] = 1;
        } else {
            size_t prev = wi_slist_find(&sl, name, &cache);
            if (prev != (size_t)-1) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "stressor '%s' listed twice "
                             "(first on line %zu)", wi_show(q, name->p, name->n), sl.line[prev]);
                break;
            }
            k = sl.p;
            if ((rc = wi_slist_add(ctx, &sl, name, unit, tx->line)))
                break;
        }
        double *row = rows + (P->fd ? k : sl.p - 1) * cols;
        for (size_t c = 0; !rc && c < m; c++) {
            const size_t j = map[c];
            if (wi_num(tx->f[2 + c].p, tx->f[2 + c].n, &row[j]) != WI_NUM_OK) {
                size_t inner = P->fd ? P->t->K : P->t->S;
                char lab[300];
                snprintf(lab, sizeof lab, "%s_%s", P->t->country[j / inner],
                         P->fd ? P->t->fdcat[j % inner] : P->t->sector[j % inner]);
                rc = wi_cell(ctx, P->file, tx->line, lab, &tx->f[2 + c], 0, &row[j]);
            }
        }
    }
    if (!rc && !P->fd && !sl.p)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, 0, "no stressor lines after the header");
    if (!rc && P->fd) {
        wiot_extension *e = P->e;
        for (size_t k = 0; k < e->p; k++)
            for (size_t j = 0; j < cols; j++)
                e->FY[k + j * e->p] = given[k] ? rows[k * cols + j] : 0.0;
    } else if (!rc) {
        wiot_extension *e = NULL;
        rc = wi_ext_alloc(ctx, P->t, sl.p, 0, &e);
        for (size_t k = 0; !rc && k < sl.p; k++)
            rc = wi_ext_set(ctx, e, k, sl.name[k].p, sl.name[k].n, sl.unit[k].p, sl.unit[k].n);
        if (!rc) {
            for (size_t k = 0; k < sl.p; k++)
                for (size_t j = 0; j < cols; j++)
                    e->F[k + j * sl.p] = rows[k * cols + j];
            P->e = e;
        } else
            wiot_extension_free(e);
    }
    wi_free(ctx, given);
    wi_free(ctx, rows);
    wi_slist_free(ctx, &sl);
    wi_labels_free(ctx, &L);
    wi_free(ctx, map);
    wi_free(ctx, seen);
    return rc;
}

typedef struct wi_entry { size_t k, j, line; double v; } wi_entry;

/* Tidy layout: header already read. */
static int wi_parse_tidy(wi_parse *P, wi_text *tx)
{
    wiot_ctx *ctx = P->ctx;
    const wiot_table *t = P->t;
    const size_t cols = P->cols, inner = P->fd ? t->K : t->S;
    char **icodes = P->fd ? t->fdcat : t->sector;
    const char *iname = P->fd ? "category" : "sector";
    char q[WI_SHOW], u[WI_SHOW];
    size_t bytes;
    int rc = wi_mul(ctx, P->lines ? P->lines : 1, sizeof(wi_entry), &bytes);
    if (!rc)
        rc = wi_budget(ctx, bytes, "the extension file's entries", "%zu lines", P->lines);
    wi_entry *ent = rc ? NULL : wi_alloc(ctx, bytes);
    if (!rc && !ent)
        rc = WIOT_ENOMEM;
    wi_slist sl = {0};
    size_t ne = 0, scache = 0, ccache = 0, icache = 0;
    int got;
    while (!rc && (got = wi_text_next(tx)) != 0) {
        if (got < 0) {
            rc = -got;
            break;
        }
        if (tx->nf != 5) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "%zu fields, expected 5 (stressor,"
                         "unit,country,%s,value)", tx->nf, iname);
            break;
        }
        const wi_field *name = &tx->f[0], *unit = &tx->f[1];
        if ((rc = wi_check_stressor(ctx, P->file, tx->line, name, unit)))
            break;
        size_t k;
        if (P->fd) {
            if ((rc = wi_fd_stressor(ctx, P->e, P->file, tx->line, name, unit, &k)))
                break;
        } else if ((k = wi_slist_find(&sl, name, &scache)) != (size_t)-1) {
            if (sl.unit[k].n != unit->n || memcmp(sl.unit[k].p, unit->p, unit->n)) {
                /* the earlier unit is not NUL-terminated: name it by its line */
                rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "stressor '%s': unit '%s' "
                             "differs from the unit on line %zu", wi_show(q, name->p, name->n),
                             wi_show(u, unit->p, unit->n), sl.line[k]);
                break;
            }
        } else {
            k = sl.p;
            if ((rc = wi_slist_add(ctx, &sl, name, unit, tx->line)))
                break;
        }
        size_t c = wi_code_idx(t->country, t->C, &tx->f[2], &ccache);
        if (c == (size_t)-1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "field 'country': unknown country "
                         "'%s'", wi_show(q, tx->f[2].p, tx->f[2].n));
            break;
        }
        size_t s = wi_code_idx(icodes, inner, &tx->f[3], &icache);
        if (s == (size_t)-1) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "field '%s': unknown %s '%s'", iname,
                         iname, wi_show(q, tx->f[3].p, tx->f[3].n));
            break;
        }
        double v;
        if ((rc = wi_cell(ctx, P->file, tx->line, "value", &tx->f[4], 0, &v)))
            break;
        if (ne == P->lines) {   /* cannot happen: lines bounds the records */
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, tx->line, "more records than lines");
            break;
        }
        ent[ne].k = k;
        ent[ne].j = c * inner + s;
        ent[ne].line = tx->line;
        ent[ne++].v = v;
    }
    if (!rc && !ne)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, 0, "no entries after the header");
    wiot_extension *e = NULL;
    if (!rc && !P->fd) {
        rc = wi_ext_alloc(ctx, t, sl.p, 0, &e);
        for (size_t k = 0; !rc && k < sl.p; k++)
            rc = wi_ext_set(ctx, e, k, sl.name[k].p, sl.name[k].n, sl.unit[k].p, sl.unit[k].n);
    } else if (!rc)
        e = P->e;
    /* duplicates: the line of each entry's first occurrence */
    size_t *first = NULL, pc = 0;
    if (!rc && !(rc = wi_mul(ctx, e->p, cols, &pc)) &&
        !(rc = wi_budget(ctx, pc * sizeof(size_t), "the extension's entry index", NULL)) &&
        !(first = wi_calloc(ctx, pc ? pc : 1, sizeof *first)))
        rc = WIOT_ENOMEM;
    double *dst = rc ? NULL : P->fd ? e->FY : e->F;
    for (size_t q2 = 0; !rc && q2 < ne; q2++) {
        size_t at = ent[q2].k + ent[q2].j * e->p;
        if (first[at]) {
            size_t cc = ent[q2].j / inner;
            rc = wi_fmsg(ctx, WIOT_EFORMAT, P->file, ent[q2].line, "stressor '%s', %s_%s given "
                         "twice (first on line %zu)", e->name[ent[q2].k], t->country[cc],
                         icodes[ent[q2].j % inner], first[at]);
            break;
        }
        first[at] = ent[q2].line;
        dst[at] = ent[q2].v;
    }
    if (!rc && !P->fd)
        P->e = e;
    else if (rc && !P->fd)
        wiot_extension_free(e);
    wi_free(ctx, first);
    wi_free(ctx, ent);
    wi_slist_free(ctx, &sl);
    return rc;
}

/* Read one CSV file (F when fd == 0, F_Y into P->e when fd == 1). */
static int wi_parse_file(wiot_ctx *ctx, const wiot_table *t, const char *path, int fd,
                         wiot_extension **e)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        int rc = wi_budget(ctx, (size_t)st.st_size, "the extension file", "%s", path);
        if (rc)
            return rc;
    }
    char *buf = NULL;
    size_t len = 0;
    /* no longer than an extension of this table can be: WI_EXT_MAX_LINES lines of the
     * wide layout's cols + 2 fields (tidy: 5 fields a value) of at most 256 bytes each */
    size_t cols = fd ? t->C * t->K : t->n;
    double most = (double)WI_EXT_MAX_LINES * ((double)cols + 2.0) * 256.0;
    wi_limit lim = {NULL, NULL, 0, most < (double)SIZE_MAX / 2 ? (size_t)most : SIZE_MAX / 2,
                    "an extension file of this table"};
    int rc = wi_read_file(ctx, path, 1, &lim, &buf, &len);
    if (rc)
        return rc;
    wi_parse P = {ctx, t, path, fd, fd ? t->C * t->K : t->n, 1, fd ? *e : NULL};
    for (size_t i = 0; i < len; i++)
        P.lines += buf[i] == '\n';
    wi_text tx;
    wi_text_init(&tx, ctx, path, buf, len, ',');
    int got = wi_text_next(&tx);
    if (got < 0)
        rc = -got;
    else if (!got)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "empty file");
    else if (tx.nf >= 2 && wi_fld_eq(&tx.f[0], "name") && wi_fld_eq(&tx.f[1], "unit"))
        rc = tx.nf > 2 ? wi_parse_wide(&P, &tx)
                       : wi_fmsg(ctx, WIOT_EFORMAT, path, tx.line, "no column labels after 'name,unit'");
    else if (tx.nf == 5 && wi_fld_eq(&tx.f[0], "stressor") && wi_fld_eq(&tx.f[1], "unit") &&
             wi_fld_eq(&tx.f[2], "country") &&
             (wi_fld_eq(&tx.f[3], "sector") || (fd && wi_fld_eq(&tx.f[3], "category"))) &&
             wi_fld_eq(&tx.f[4], "value"))
        rc = wi_parse_tidy(&P, &tx);
    else
        rc = wi_fmsg(ctx, WIOT_EFORMAT, path, tx.line, "expected the header 'name,unit,<%s labels>' "
                     "(wide layout) or 'stressor,unit,country,%s,value' (tidy layout)",
                     fd ? "COUNTRY_CATEGORY" : "COUNTRY_SECTOR", fd ? "category" : "sector");
    if (!rc && !fd)
        *e = P.e;
    wi_text_free(&tx);
    wi_free(ctx, buf);
    return rc;
}

/* A provider block: a directory, a zip archive or "ARCHIVE.zip:MEMBER". */
static int wi_is_block(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 1;
        FILE *f = fopen(path, "rb");
        unsigned char m[4] = {0};
        if (f) {
            size_t got = fread(m, 1, 4, f);
            fclose(f);
            return got == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
        }
        return 0;
    }
    const char *z = strstr(path, ".zip:");
    return z != NULL;
}

static int wi_body_extension_load(wiot_ctx *ctx, const wiot_table *t, const char *path, const char *fd_path,
                        wiot_extension **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !path || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_extension_load: NULL argument");
    wiot_extension *e = NULL;
    int rc;
    if (wi_is_block(path)) {
        if (fd_path)
            return wi_error(ctx, WIOT_EINVAL, "%s: a provider's block brings its own F_Y.txt; "
                            "give no separate final-demand file", path);
        rc = wi_ext_load_exio(ctx, t, path, &e);
    } else {
        rc = wi_parse_file(ctx, t, path, 0, &e);
        if (!rc)
            rc = wi_ext_set_source(ctx, e, "%s", path);
        if (!rc && fd_path) {
            size_t ck, np;
            if (!(rc = wi_mul(ctx, t->C * t->K, e->p, &np)) &&
                !(rc = wi_mul(ctx, np ? np : 1, sizeof(double), &ck)) &&
                !(e->FY = wi_calloc(ctx, np ? np : 1, sizeof(double))))
                rc = WIOT_ENOMEM;
            if (!rc)
                rc = wi_parse_file(ctx, t, fd_path, 1, &e);
        }
    }
    if (rc) {
        wiot_extension_free(e);
        return rc;
    }
    *out = e;
    return WIOT_OK;
}

/* wiot_extension_load: the body above, with the input named for memory refusals */
int wiot_extension_load(wiot_ctx *ctx, const wiot_table *t, const char *path, const char *fd_path,
                        wiot_extension **out)
{
    if (!ctx)
        return wi_body_extension_load(ctx, t, path, fd_path, out);
    const char *prev = ctx->input;
    ctx->input = path;
    int rc = wi_body_extension_load(ctx, t, path, fd_path, out);
    ctx->input = prev;
    return rc;
}
