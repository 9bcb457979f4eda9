/* mapped.c -- scenarios written in another classification than the table's: a "code
 * book" table (countries of the table, the scenario's sector codes, no data) lets
 * scenario files be parsed by scenario.c as they are; wiot_schedule_translate then
 * maps a schedule onto the table (weighted means where the map merges sectors).
 * Uses the mapping files of formats/. */
#define _GNU_SOURCE
#include "tariff/tariff.h"
#include "formats/formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------- scenario classifications */
/* Direction of a sector map against t: 1 (code = scenario sector, group = table
 * sector), 2 (code = table sector, group = scenario sector); the scenario's codes. */
static int wi_map_direction(wiot_ctx *ctx, const wiot_map *m, const wiot_table *t, int *dir, char ***xcodes,
                            size_t *X)
{
    size_t bad_group = (size_t)-1, bad_sector = (size_t)-1;
    for (size_t i = 0; i < m->count && bad_group == (size_t)-1; i++)
        if (i == m->star || wi_table_find(t->sector, t->S, m->group[i]) == (size_t)-1)
            bad_group = i;
    for (size_t s = 0; s < t->S && bad_sector == (size_t)-1; s++)
        if (m->star == (size_t)-1 && wi_map_find(m, t->sector[s]) == (size_t)-1)
            bad_sector = s;
    char **xc = wi_calloc(ctx, (m->count > t->S ? m->count : t->S) + 1, sizeof(char *));
    if (!xc)
        return WIOT_ENOMEM;
    size_t n = 0;
    if (bad_group == (size_t)-1 && m->count) {
        *dir = 1;
        for (size_t i = 0; i < m->count; i++)
            xc[n++] = m->code[i];
    } else if (bad_sector == (size_t)-1) {
        *dir = 2;
        for (size_t s = 0; s < t->S; s++) {
            const char *g = wiot_map_apply(m, t->sector[s]);
            size_t k;
            for (k = 0; k < n; k++)
                if (strcmp(xc[k], g) == 0)
                    break;
            if (k == n)
                xc[n++] = (char *)g;
        }
    } else {
        wi_free(ctx, xc);
        return wi_error(ctx, WIOT_EINVAL,
                        "%s: the map fits the table's sectors in neither direction: group '%s' is not a sector "
                        "of %s (so its groups are not the table's sectors), and the table's sector '%s' is not "
                        "among its codes (so its codes are not either)", m->name,
                        m->count ? m->group[bad_group] : "(none)", t->name ? t->name : "the table",
                        t->sector[bad_sector]);
    }
    *xcodes = xc;
    *X = n;
    return WIOT_OK;
}

/* A table of codes only: t's countries, the given sectors, no data. Used as the code
 * book of scenario files; never handed out. */
static int wi_codebook(wiot_ctx *ctx, const wiot_table *t, char *const *sectors, size_t S, wiot_table **out)
{
    size_t text = 0;
    for (size_t c = 0; c < t->C; c++)
        text += strlen(t->country[c]) + 1;
    for (size_t s = 0; s < S; s++)
        text += strlen(sectors[s]) + 1;
    wiot_table *cb = wi_calloc(ctx, 1, sizeof *cb);
    char **blk = cb ? wi_alloc(ctx, (t->C + S + 1) * sizeof(char *) + text) : NULL;
    char *nm = blk ? wi_strdup(ctx, "scenario classification") : NULL;
    if (!nm) {
        wi_free(ctx, cb);
        wi_free(ctx, blk);
        return WIOT_ENOMEM;
    }
    cb->a = ctx->a;
    cb->C = t->C;
    cb->S = S;
    cb->K = 0;
    cb->n = t->C * S;
    cb->name = nm;
    char *p = (char *)(blk + t->C + S + 1);
    for (size_t i = 0; i < t->C + S; i++) {
        const char *src = i < t->C ? t->country[i] : sectors[i - t->C];
        size_t l = strlen(src) + 1;
        memcpy(p, src, l);
        blk[i] = p;
        p += l;
    }
    cb->country = blk;
    cb->sector = blk + t->C;
    cb->fdcat = blk + t->C + S;
    *out = cb;
    return WIOT_OK;
}

int wiot_scenarios_new_mapped(wiot_ctx *ctx, const wiot_table *t, const wiot_map *map, wiot_scenarios **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !map || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_scenarios_new_mapped: NULL argument");
    int dir;
    char **xc;
    size_t X;
    int rc = wi_map_direction(ctx, map, t, &dir, &xc, &X);
    if (rc)
        return rc;
    wiot_table *cb = NULL;
    rc = wi_codebook(ctx, t, xc, X, &cb);
    wi_free(ctx, xc);
    if (rc)
        return rc;
    rc = wiot_scenarios_new(ctx, cb, out);
    wiot_table_free(cb);
    return rc;
}

int wiot_schedule_translate(wiot_ctx *ctx, const wiot_schedule *src, const wiot_map *map, const wiot_table *t,
                            wiot_schedule **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!src || !map || !t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_translate: NULL argument");
    int dir;
    char **xc;
    size_t X;
    int rc = wi_map_direction(ctx, map, t, &dir, &xc, &X);
    if (rc)
        return rc;
    if (src->C != t->C || src->S != X) {
        wi_free(ctx, xc);
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_translate: the schedule is %zu x %zu x %zu, the map's "
                        "classification %zu x %zu x %zu", src->C, src->C, src->S, t->C, t->C, X);
    }
    wiot_schedule *s = NULL;
    size_t *to = wi_alloc(ctx, (X + t->S + 1) * sizeof(size_t));
    double *w = wi_alloc(ctx, (X + t->S + 1) * sizeof(double));
    if (!to || !w || (rc = wiot_schedule_new(ctx, t, &s))) {
        wi_free(ctx, xc);
        wi_free(ctx, to);
        wi_free(ctx, w);
        return rc ? rc : WIOT_ENOMEM;
    }
    const size_t C = t->C, S = t->S;
    if (dir == 1) {
        /* scenario sector x -> table sector to[x]; weighted mean per table sector */
        for (size_t x = 0; x < X; x++) {
            to[x] = wi_table_find(t->sector, S, map->group[x]);
            w[x] = map->weight[x];
        }
        /* weights relative to the largest of their table sector: the sums below can
         * neither overflow (weights near DBL_MAX gave inf / inf = NaN) nor lose the
         * rates to underflow (subnormal weights); equal weights stay exactly 1 */
        double *wmax = w + X;
        for (size_t sec = 0; sec < S; sec++)
            wmax[sec] = 0;
        for (size_t x = 0; x < X; x++)
            if (w[x] > wmax[to[x]])
                wmax[to[x]] = w[x];
        for (size_t x = 0; x < X; x++)
            if (wmax[to[x]] > 0)
                w[x] /= wmax[to[x]];
        for (size_t d = 0; d < C; d++)
            for (size_t c = 0; c < C; c++) {
                if (d == c)
                    continue;
                for (size_t sec = 0; sec < S; sec++) {
                    double num = 0, den = 0;
                    size_t members = 0;
                    for (size_t x = 0; x < X; x++)
                        if (to[x] == sec) {
                            num += w[x] * WI_RATE(src, d, c, x);
                            den += w[x];
                            members++;
                        }
                    double r = den > 0 ? num / den : 0;
                    if (den == 0 && members) {   /* all weights 0: the plain mean */
                        for (size_t x = 0; x < X; x++)
                            if (to[x] == sec)
                                r += WI_RATE(src, d, c, x) / (double)members;
                    } else if (!isfinite(r)) {   /* rates near DBL_MAX: num overflowed */
                        r = 0;
                        for (size_t x = 0; x < X; x++)
                            if (to[x] == sec)
                                r += w[x] / den * WI_RATE(src, d, c, x);
                    }
                    WI_RATE(s, d, c, sec) = r;
                }
            }
    } else {
        for (size_t sec = 0; sec < S; sec++) {
            const char *g = wiot_map_apply(map, t->sector[sec]);
            size_t x;
            for (x = 0; x < X; x++)
                if (strcmp(xc[x], g) == 0)
                    break;
            to[sec] = x;
        }
        for (size_t d = 0; d < C; d++)
            for (size_t c = 0; c < C; c++)
                if (d != c)
                    for (size_t sec = 0; sec < S; sec++)
                        WI_RATE(s, d, c, sec) = WI_RATE(src, d, c, to[sec]);
    }
    wi_free(ctx, xc);
    wi_free(ctx, to);
    wi_free(ctx, w);
    if (src->ntb) {   /* the NTB part (tariff/content.c) maps as the rates do: linearly */
        wiot_schedule part = *src, *tn = NULL;
        part.rate = src->ntb;
        part.ntb = NULL;
        if ((rc = wiot_schedule_translate(ctx, &part, map, t, &tn))) {
            wiot_schedule_free(s);
            return rc;
        }
        s->ntb = tn->rate;
        tn->rate = NULL;
        wiot_schedule_free(tn);
    }
    *out = s;
    return WIOT_OK;
}
