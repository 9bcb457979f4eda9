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
#include "formats/formats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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

size_t wi_map_find(const wiot_map *m, const char *code)
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

static int wi_body_map_load(wiot_ctx *ctx, const char *path, wiot_map **out)
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
    /* a mapping has a line per code: 16 MiB is far more than any classification */
    static const wi_limit lim = {NULL, NULL, 0, (size_t)16 << 20, "a mapping file"};
    int rc = wi_read_file(ctx, path, 1, &lim, &buf, &len);
    if (rc)
        return rc;
    rc = wi_map_parse(ctx, path, buf, len, out);
    wi_free(ctx, buf);
    return rc;
}

/* wiot_map_load: the body above, with the input named for memory refusals (ctx->input) */
int wiot_map_load(wiot_ctx *ctx, const char *path, wiot_map **out)
{
    if (!ctx)
        return wi_body_map_load(ctx, path, out);
    const char *prev = ctx->input;
    ctx->input = path;
    int rc = wi_body_map_load(ctx, path, out);
    ctx->input = prev;
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

