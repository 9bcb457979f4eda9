/* expr.c -- schedules from scenario expressions ("A+B+..."): stacking, the content
 * shares of content lines (through the caller's share function), the NTB layer, close
 * names for unknown scenarios, and reading a loaded set's lines back. */
#define _POSIX_C_SOURCE 200809L
#include "tariff/scen.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


/* ------------------------------------------------------- building schedules */
static wi_str wi_term(const char *expr, size_t *pos, int *more);
static int wi_unknown(wiot_ctx *ctx, const wiot_scenarios *sc, wi_str q);

/* Apply the lines of one scenario: tariff-type lines SET cells of the tariff layer T,
 * ntb lines cells of the NTB layer N (each starts at 0; later lines win within a
 * layer). Content lines take their exporter's share from fn (tariff_content.c). */
static int wi_apply(wiot_ctx *ctx, const wiot_scenarios *sc, const struct wi_scen *e,
                    wi_share_fn fn, void *ud, double *T, double *N)
{
    const size_t C = sc->C, S = sc->S;
    memset(T, 0, C * C * S * sizeof *T);
    memset(N, 0, C * C * S * sizeof *N);
    for (size_t i = 0; i < e->nlines; i++) {
        const struct wi_line *L = &e->lines[i];
        const uint32_t *imp = e->idx + L->off, *tgt = imp + L->ni, *sec = tgt + L->nt;
        const double *share = NULL;
        if (L->measure >= WIOT_LINE_ON_CONTENT) {
            const char *txt = e->text + L->text;
            wi_spec sp;
            sp.cty = e->idx + L->soff;
            sp.nc = L->snc;
            sp.sec = sp.cty + L->snc;
            sp.ns = L->sns;
            for (int k = 0; k < 4; k++)   /* imposer, target, sector, measure, spec */
                txt += strlen(txt) + 1;
            sp.text = txt;
            sp.scenario = e->name;
            sp.file = e->file;
            sp.line = L->lineno;
            int rc = fn(ud, ctx, &sp, &share);
            if (rc)
                return rc;
        }
        double *layer = L->measure == WIOT_LINE_NTB ? N : T;
        for (uint32_t a = 0; a < L->ni; a++)
            for (uint32_t b = 0; b < L->nt; b++) {
                if (imp[a] == tgt[b])
                    continue;
                double *r = layer + ((size_t)imp[a] * C + tgt[b]) * S;
                const double *sh = share ? share + (size_t)tgt[b] * S : NULL;
                for (uint32_t k = 0; k < L->ns; k++) {
                    double v = L->rate;
                    if (sh) {   /* shares clamped to [0, 1] (gross requirements may exceed 1) */
                        double x = sh[sec[k]];
                        x = x > 0 ? (x < 1 ? x : 1.0) : 0.0;
                        if (L->measure == WIOT_LINE_ON_CONTENT)
                            v = L->rate * x;
                        else if (L->measure == WIOT_LINE_EXCEPT_CONTENT)
                            v = L->rate * (1.0 - x);
                        else   /* unless: exempt where the share reaches the threshold */
                            v = x >= L->thr ? 0.0 : L->rate;
                    }
                    r[sec[k]] = v;
                }
            }
    }
    return WIOT_OK;
}

static int wi_no_lu(void *ud, wiot_ctx *ctx, const wi_spec *sp, const double **share)
{
    (void)ud;
    (void)share;
    return wi_error(ctx, WIOT_EINVAL, "scenario '%s' (%s:%zu) has a content measure (content of "
                    "'%s'): its rates need the table's factorization; use "
                    "wiot_scenarios_schedule_lu", sp->scenario, sp->file, sp->line, sp->text);
}

static int wi_scen_terms(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, size_t *nterm);

int wi_scen_build(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, wi_share_fn fn,
                  void *ud, int split, wiot_schedule **a, wiot_schedule **b)
{
    size_t nterm = 0;
    int rc = wi_scen_terms(ctx, sc, expr, &nterm);
    if (rc)
        return rc;
    if (!fn)
        fn = wi_no_lu;
    const size_t C = sc->C, S = sc->S, n = C * C * S, CS = C * S;
    wiot_schedule *ra = NULL, *rb = NULL;
    double *N = NULL, *nbuf = NULL, *tmp = NULL;
    if ((rc = wi_schedule_alloc(ctx, C, S, &ra)) ||
        (split && (rc = wi_schedule_alloc(ctx, C, S, &rb))))
        goto fail;
    if ((!split && !(nbuf = wi_dalloc(ctx, n))) || (nterm > 1 && !(tmp = wi_dalloc(ctx, 2 * n)))) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    double *T = ra->rate;
    N = split ? rb->rate : nbuf;
    size_t pos = 0;
    int more = 1;
    for (size_t k = 0; k < nterm; k++) {
        const struct wi_scen *e = &sc->scen[wi_scen_find(sc, wi_term(expr, &pos, &more))];
        if (k == 0) {
            if ((rc = wi_apply(ctx, sc, e, fn, ud, T, N)))
                goto fail;
            continue;
        }
        if ((rc = wi_apply(ctx, sc, e, fn, ud, tmp, tmp + n)))
            goto fail;
        for (size_t q = 0; q < n; q++) {
            T[q] += tmp[q];
            N[q] += tmp[n + q];
        }
    }
    wi_free(ctx, tmp);
    tmp = NULL;
    int any_ntb = 0;
    for (size_t q = 0; q < n && !any_ntb; q++)
        any_ntb = N[q] != 0.0;
    if (!split) {
        for (size_t q = 0; q < n; q++)
            T[q] += N[q];
        if (any_ntb) {   /* the NTB part rides along: prices see it, revenue does not */
            ra->ntb = nbuf;
            nbuf = NULL;
        }
    }
    if (nterm > 1 || any_ntb)
        for (int layer = 0; layer < (split ? 2 : 1); layer++) {
            const double *r = layer ? rb->rate : ra->rate;
            for (size_t q = 0; q < n; q++)
                if (!isfinite(r[q]) || !(r[q] > -1.0)) {
                    rc = wi_error(ctx, WIOT_EDATA, "%s '%s': summed %s %g of %s on %s, sector %s, "
                                  "is not > -1",
                                  nterm > 1 ? "scenario stack" : "scenario", expr,
                                  split ? (layer ? "NTB rate" : "tariff rate") : "rate", r[q],
                                  sc->country[q / CS], sc->country[(q % CS) / S], sc->sector[q % S]);
                    goto fail;
                }
        }
    wi_free(ctx, nbuf);
    if (split) {
        if (a)
            *a = ra;
        else
            wiot_schedule_free(ra);
        if (b)
            *b = rb;
        else
            wiot_schedule_free(rb);
    } else
        *a = ra;
    return WIOT_OK;
fail:
    wi_free(ctx, tmp);
    wi_free(ctx, nbuf);
    wiot_schedule_free(ra);
    wiot_schedule_free(rb);
    return rc;
}

/* The next '+'-separated term of expr from *pos, spaces and tabs trimmed; *more is
 * set when a '+' follows it. */
static wi_str wi_term(const char *expr, size_t *pos, int *more)
{
    const char *p = expr + *pos;
    const char *q = strchr(p, '+');
    if (!q)
        q = p + strlen(p);
    *more = *q == '+';
    *pos = (size_t)(q - expr) + (size_t)*more;
    while (p < q && (*p == ' ' || *p == '\t'))
        p++;
    while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
        q--;
    wi_str s = {p, (size_t)(q - p)};
    return s;
}

static size_t wi_lev(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[WI_LEV_MAX + 1];
    if (na > WI_LEV_MAX)
        na = WI_LEV_MAX;
    if (nb > WI_LEV_MAX)
        nb = WI_LEV_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
        }
    }
    return row[nb];
}

static int wi_contains(const char *hay, wi_str needle)
{
    size_t n = strlen(hay);
    for (size_t i = 0; i + needle.n <= n; i++)
        if (memcmp(hay + i, needle.p, needle.n) == 0)
            return 1;
    return 0;
}

static int wi_key_less(const size_t *a, const size_t *b)
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return 0;
}

/* WIOT_ENOTFOUND for term q, naming up to WI_SUGGEST close names. Close: contains q,
 * shares a prefix of 4 or more characters, or is within max(2, |q|/3) edits. Ranked
 * by containment, then edit distance, then longer common prefix, then set order. */
static int wi_unknown(wiot_ctx *ctx, const wiot_scenarios *sc, wi_str q)
{
    size_t best[WI_SUGGEST], key[WI_SUGGEST][3], nb = 0;
    const size_t tol = q.n / 3 > 2 ? q.n / 3 : 2;
    for (size_t i = 0; i < sc->nscen; i++) {
        const char *nm = sc->scen[i].name;
        size_t lcp = 0;
        while (lcp < q.n && nm[lcp] == q.p[lcp])
            lcp++;
        size_t in = wi_contains(nm, q), dist = wi_lev(q.p, q.n, nm, strlen(nm));
        if (!in && lcp < 4 && dist > tol)
            continue;
        size_t k[3] = {!in, dist, SIZE_MAX - lcp};
        size_t pos = nb;
        while (pos > 0 && wi_key_less(k, key[pos - 1]))
            pos--;
        if (pos >= WI_SUGGEST)
            continue;
        size_t last = nb < WI_SUGGEST ? nb : WI_SUGGEST - 1;
        for (size_t j = last; j > pos; j--) {
            best[j] = best[j - 1];
            memcpy(key[j], key[j - 1], sizeof key[j]);
        }
        best[pos] = i;
        memcpy(key[pos], k, sizeof k);
        if (nb < WI_SUGGEST)
            nb++;
    }
    char avail[64];
    if (sc->nscen == 0)
        snprintf(avail, sizeof avail, "no scenarios loaded");
    else
        snprintf(avail, sizeof avail, "%zu scenario%s available", sc->nscen,
                 sc->nscen == 1 ? "" : "s");
    if (nb == 0)
        return wi_error(ctx, WIOT_ENOTFOUND, "unknown scenario '%.*s' (%s)", WI_PR(q), avail);
    char list[WI_LIST_MAX];
    size_t len = 0;
    list[0] = '\0';
    for (size_t j = 0; j < nb && len < sizeof list; j++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s", j ? ", " : "",
                         sc->scen[best[j]].name);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return wi_error(ctx, WIOT_ENOTFOUND, "unknown scenario '%.*s' (closest: %s; %s)", WI_PR(q), list,
                    avail);
}

/* Validate the terms of expr (each a loaded name); *nterm their number. */
static int wi_scen_terms(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, size_t *nterm)
{
    size_t k = 0;
    int more = 1;
    for (size_t pos = 0; more; k++) {
        wi_str s = wi_term(expr, &pos, &more);
        if (s.n == 0)
            return wi_error(ctx, WIOT_EINVAL, "empty scenario name in '%s'", expr);
        if (wi_scen_find(sc, s) == (size_t)-1)
            return wi_unknown(ctx, sc, s);
    }
    *nterm = k;
    return WIOT_OK;
}

/* cost: per term 2*C*C*S stores (zeroing) plus ni*nt*ns per line, and 2*C*C*S adds for
 * each term after the first; memory 8*C*C*S for the result and 8*C*C*S (one term) or
 * 24*C*C*S (a stack) of workspace. */
int wiot_scenarios_schedule(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr,
                            wiot_schedule **out)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !expr || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_schedule: NULL argument");
    return wi_scen_build(ctx, sc, expr, NULL, NULL, 0, out, NULL);
}

/* ------------------------------------------------ reading a set's lines */
int wi_scen_fits(const wiot_scenarios *sc, const wiot_table *t)
{
    if (sc->C != t->C || sc->S != t->S)
        return 0;
    for (size_t c = 0; c < sc->C; c++)
        if (strcmp(sc->country[c], t->country[c]) != 0)
            return 0;
    for (size_t k = 0; k < sc->S; k++)
        if (strcmp(sc->sector[k], t->sector[k]) != 0)
            return 0;
    return 1;
}

size_t wiot_scenarios_lines(const wiot_scenarios *sc, size_t i)
{
    return sc && i < sc->nscen ? sc->scen[i].nlines : 0;
}

size_t wiot_scenarios_find(const wiot_scenarios *sc, const char *name)
{
    if (!sc || !name)
        return (size_t)-1;
    wi_str s = {name, strlen(name)};
    return wi_scen_find(sc, s);
}

int wiot_scenarios_line(wiot_ctx *ctx, const wiot_scenarios *sc, size_t i, size_t k,
                        wiot_scenario_line *out, unsigned char *imposers, unsigned char *targets,
                        unsigned char *sectors, unsigned char *source)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_line: NULL argument");
    if (i >= sc->nscen || k >= sc->scen[i].nlines)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_line: scenario %zu line %zu out of range "
                        "(%zu scenarios)", i, k, sc->nscen);
    const struct wi_scen *e = &sc->scen[i];
    const struct wi_line *L = &e->lines[k];
    const char *txt[5], *p = e->text + L->text;
    for (int q = 0; q < 5; q++) {
        txt[q] = p;
        p += strlen(p) + 1;
    }
    memset(out, 0, sizeof *out);
    out->file = e->file;
    out->line = L->lineno;
    out->imposer = txt[0];
    out->target = txt[1];
    out->sector = txt[2];
    out->measure_text = txt[3];
    out->source = txt[4];
    out->measure = L->measure;
    out->rate = L->rate;
    out->threshold = L->measure == WIOT_LINE_UNLESS_CONTENT ? L->thr : 0.0;
    out->imposers = L->ni;
    out->targets = L->nt;
    out->sectors = L->ns;
    const uint32_t *imp = e->idx + L->off, *tgt = imp + L->ni, *sec = tgt + L->nt;
    if (imposers) {
        memset(imposers, 0, sc->C);
        for (uint32_t q = 0; q < L->ni; q++)
            imposers[imp[q]] = 1;
    }
    if (targets) {
        memset(targets, 0, sc->C);
        for (uint32_t q = 0; q < L->nt; q++)
            targets[tgt[q]] = 1;
    }
    if (sectors) {
        memset(sectors, 0, sc->S);
        for (uint32_t q = 0; q < L->ns; q++)
            sectors[sec[q]] = 1;
    }
    if (source) {
        memset(source, 0, sc->C * sc->S);
        if (L->measure >= WIOT_LINE_ON_CONTENT) {
            const uint32_t *sc_c = e->idx + L->soff, *sc_s = sc_c + L->snc;
            for (uint32_t a = 0; a < L->snc; a++)
                for (uint32_t b = 0; b < L->sns; b++)
                    source[(size_t)sc_c[a] * sc->S + sc_s[b]] = 1;
        }
    }
    return WIOT_OK;
}

