/* aggregate.c -- mapping files (code -> group), aggregation of tables by region and
 * sector groups, and scenarios written in another sector classification.
 *
 * Mapping file (README.md "Aggregation"):
 *   # comment lines and blank lines anywhere
 *   code,group[,weight][,...]        header: the first two fields are code and group;
 *                                    a field named weight anywhere after them is read
 *   AUT,EU27                         one line per code; extra fields are ignored
 *   *,ROW                            '*': every code not listed
 * No quoting, no trimming (a space is part of a field); "\r\n" accepted; a UTF-8 BOM
 * skipped; gzip-compressed files accepted. Codes and groups: non-empty, no '"' or
 * control characters. A code listed twice is an error; weights are numbers >= 0.
 * Messages: "<file>:<line>: field '<field>': <problem>".
 *
 * Aggregation sums Z, F (buyer regions; the final-demand categories are kept), x, the
 * primary-input rows and the other uses (formats.c: wi_build_aggregate) and builds
 * the result with wiot_table_new: it is validated like any table; v of a group is
 * x - sum Z of the group, i.e. the sum of its members' v up to rounding. Groups are
 * ordered by their first member in the table.
 *
 * Scenario classifications: a "code book" table (countries of the table, the
 * scenario's sector codes, no data) lets scenario files written in another
 * classification be parsed by scenario.c as they are; wiot_schedule_translate then
 * maps a schedule onto the table (weighted means where the map merges sectors). */
#define _GNU_SOURCE
#include "formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wiot_map {
    wiot_allocator a;
    size_t count;
    char **code, **group;     /* count each (one block) */
    double *weight;           /* count; 1 where the file has no weight column */
    int has_weight;
    size_t star;              /* line index of '*' or (size_t)-1 */
    char *name;
};

void wiot_map_free(wiot_map *m)
{
    if (!m)
        return;
    wiot_allocator a = m->a;
    wi_hfree(&a, m->code);    /* one block: code | group | strings */
    wi_hfree(&a, m->weight);
    wi_hfree(&a, m->name);
    wi_hfree(&a, m);
}

size_t wiot_map_size(const wiot_map *m) { return m ? m->count : 0; }
const char *wiot_map_code(const wiot_map *m, size_t i) { return m && i < m->count ? m->code[i] : NULL; }
const char *wiot_map_group(const wiot_map *m, size_t i) { return m && i < m->count ? m->group[i] : NULL; }

static size_t wi_map_find(const wiot_map *m, const char *code)
{
    for (size_t i = 0; i < m->count; i++)
        if (i != m->star && strcmp(m->code[i], code) == 0)
            return i;
    return (size_t)-1;
}

const char *wiot_map_apply(const wiot_map *m, const char *code)
{
    if (!m || !code)
        return code;
    size_t i = wi_map_find(m, code);
    if (i != (size_t)-1)
        return m->group[i];
    return m->star != (size_t)-1 ? m->group[m->star] : code;
}

typedef struct wi_mline {
    const char *c, *g;
    size_t cn, gn, line;
    double w;
} wi_mline;

static int wi_map_parse(wiot_ctx *ctx, const char *name, const char *txt, size_t len, wiot_map **out)
{
    const char *p = txt, *end = txt + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    size_t L = 1;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
        L++;
    wi_mline *ml = wi_calloc(ctx, L, sizeof *ml);
    if (!ml)
        return WIOT_ENOMEM;
    char sh[WI_SHOW];
    size_t line = 0, count = 0, wcol = (size_t)-1, text = 0;
    int header = 0, rc = WIOT_OK;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        line++;
        if (le > p && le[-1] == '\r')
            le--;
        const char *s = p;
        while (s < le && (*s == ' ' || *s == '\t'))
            s++;
        if (s == le || *s == '#') {
            p = next;
            continue;
        }
        /* fields */
        const char *f[64];
        size_t fn[64], nf = 0;
        const char *q = p;
        for (;;) {
            const char *c = memchr(q, ',', (size_t)(le - q));
            const char *fe = c ? c : le;
            if (nf < 64) {
                f[nf] = q;
                fn[nf] = (size_t)(fe - q);
            }
            nf++;
            if (!c)
                break;
            q = c + 1;
        }
        if (!header) {
            if (nf < 2 || fn[0] != 4 || memcmp(f[0], "code", 4) != 0 || fn[1] != 5 || memcmp(f[1], "group", 5) != 0) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, line, "bad header: expected 'code,group[,weight]', got '%s'",
                             wi_show(sh, p, (size_t)(le - p)));
                break;
            }
            for (size_t k = 2; k < nf && k < 64; k++)
                if (fn[k] == 6 && memcmp(f[k], "weight", 6) == 0)
                    wcol = k;
            header = 1;
            p = next;
            continue;
        }
        size_t need = wcol != (size_t)-1 ? wcol + 1 : 2;
        if (nf < need) {
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, line, "expected at least %zu fields, got %zu", need, nf);
            break;
        }
        const char *names[2] = {"code", "group"};
        for (int k = 0; k < 2 && !rc; k++) {
            const char *why = wi_code_problem(f[k], fn[k]);
            if (!why && (f[k][0] == ' ' || f[k][fn[k] - 1] == ' '))
                why = "has a leading or trailing space";
            if (why)
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, line, "field '%s': '%s' %s", names[k], wi_show(sh, f[k], fn[k]),
                             why);
        }
        if (rc)
            break;
        double w = 1;
        if (wcol != (size_t)-1) {
            int r = wi_num(f[wcol], fn[wcol], &w);
            if (r != WI_NUM_OK || !(w >= 0)) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, line, "field 'weight': '%s' is not a number >= 0",
                             wi_show(sh, f[wcol], fn[wcol]));
                break;
            }
        }
        for (size_t k = 0; k < count; k++)
            if (ml[k].cn == fn[0] && memcmp(ml[k].c, f[0], fn[0]) == 0) {
                rc = wi_fmsg(ctx, WIOT_EFORMAT, name, line, "field 'code': '%s' is listed twice (first at line %zu)",
                             wi_show(sh, f[0], fn[0]), ml[k].line);
                break;
            }
        if (rc)
            break;
        ml[count].c = f[0];
        ml[count].cn = fn[0];
        ml[count].g = f[1];
        ml[count].gn = fn[1];
        ml[count].line = line;
        ml[count].w = w;
        text += fn[0] + fn[1] + 2;
        count++;
        p = next;
    }
    if (!rc && !header)
        rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "empty mapping file (no 'code,group' header)");
    wiot_map *m = NULL;
    if (!rc) {
        m = wi_calloc(ctx, 1, sizeof *m);
        char **blk = m ? wi_alloc(ctx, 2 * (count ? count : 1) * sizeof(char *) + text + 1) : NULL;
        double *wt = blk ? wi_alloc(ctx, (count ? count : 1) * sizeof(double)) : NULL;
        char *nm = wt ? wi_strdup(ctx, name) : NULL;
        if (!nm) {
            if (m)
                wi_free(ctx, m);
            wi_free(ctx, blk);
            wi_free(ctx, wt);
            m = NULL;
            rc = WIOT_ENOMEM;
        } else {
            m->a = ctx->a;
            m->count = count;
            m->code = blk;
            m->group = blk + (count ? count : 1);
            m->weight = wt;
            m->has_weight = wcol != (size_t)-1;
            m->star = (size_t)-1;
            m->name = nm;
            char *s = (char *)(blk + 2 * (count ? count : 1));
            for (size_t k = 0; k < count; k++) {
                m->code[k] = s;
                memcpy(s, ml[k].c, ml[k].cn);
                s[ml[k].cn] = '\0';
                s += ml[k].cn + 1;
                m->group[k] = s;
                memcpy(s, ml[k].g, ml[k].gn);
                s[ml[k].gn] = '\0';
                s += ml[k].gn + 1;
                m->weight[k] = ml[k].w;
                if (strcmp(m->code[k], "*") == 0)
                    m->star = k;
            }
        }
    }
    wi_free(ctx, ml);
    if (!rc)
        *out = m;
    return rc;
}

int wiot_map_load_buffer(wiot_ctx *ctx, const void *data, size_t size, const char *name, wiot_map **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!out || (!data && size))
        return wi_error(ctx, WIOT_EINVAL, "wiot_map_load_buffer: NULL argument");
    return wi_map_parse(ctx, name ? name : "buffer", data ? data : "", size, out);
}

int wiot_map_load(wiot_ctx *ctx, const char *path, wiot_map **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!path || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_map_load: NULL argument");
    char *buf;
    size_t len;
    int rc = wi_read_path(ctx, path, 1, &buf, &len);
    if (rc)
        return rc;
    rc = wi_map_parse(ctx, path, buf, len, out);
    wi_free(ctx, buf);
    return rc;
}

/* ---------------------------------------------------------------- aggregation */
/* Groups of the codes through m (NULL: each its own) in order of first appearance. */
static int wi_groups(wiot_ctx *ctx, const wiot_map *m, char *const *codes, size_t count, int region,
                     size_t *g, char ***gcodes, size_t *G)
{
    char **gc = wi_calloc(ctx, count ? count : 1, sizeof(char *));
    if (!gc)
        return WIOT_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const char *grp = m ? wiot_map_apply(m, codes[i]) : codes[i];
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(gc[k], grp) == 0)
                break;
        if (k == n) {
            if (region && strchr(grp, '_') && (!m || strcmp(grp, codes[i]) != 0)) {
                wi_free(ctx, gc);
                return wi_error(ctx, WIOT_EINVAL, "%s: region group '%s' holds '_' (labels 'REGION_SECTOR' are "
                                "split at the first '_')", m ? m->name : "map", grp);
            }
            gc[n++] = (char *)grp;
        }
        g[i] = k;
    }
    *gcodes = gc;
    *G = n;
    return WIOT_OK;
}

int wiot_table_aggregate(wiot_ctx *ctx, const wiot_table *t, const wiot_map *regions,
                         const wiot_map *sectors, wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_aggregate: NULL argument");
    size_t *rg = wi_alloc(ctx, (t->C + t->S) * sizeof(size_t)), *sg = rg ? rg + t->C : NULL;
    if (!rg)
        return WIOT_ENOMEM;
    char **rc_codes = NULL, **sc_codes = NULL;
    size_t GR = 0, GS = 0;
    int rc = wi_groups(ctx, regions, t->country, t->C, 1, rg, &rc_codes, &GR);
    if (!rc)
        rc = wi_groups(ctx, sectors, t->sector, t->S, 0, sg, &sc_codes, &GS);
    wi_build in, b;
    memset(&b, 0, sizeof b);
    if (!rc) {
        wi_build_view(&in, t);
        rc = wi_build_aggregate(ctx, &in, rg, GR, rc_codes, sg, GS, sc_codes, &b);
    }
    wi_free(ctx, rg);
    wi_free(ctx, rc_codes);
    wi_free(ctx, sc_codes);
    if (rc)
        return rc;
    if (!t->ext)
        b.units = "millions of USD";
    snprintf(b.source, sizeof b.source, "%s%saggregated (%zu x %zu from %zu x %zu)",
             t->ext && t->ext->source ? t->ext->source : "", t->ext && t->ext->source ? ", " : "", GR, GS, t->C,
             t->S);
    b.year = t->year;
    char units[128];
    if (t->ext && t->ext->units) {
        snprintf(units, sizeof units, "%s", t->ext->units);
        b.units = units;
    }
    return wi_build_finish(ctx, &b, t->name, out);
}

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
    if (src->ntb) {   /* the NTB part (tariff_content.c) maps as the rates do: linearly */
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
