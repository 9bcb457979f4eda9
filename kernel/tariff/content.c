/* tariff_content.c -- content-based tariffs and non-tariff barriers (METHODS.md §3.6):
 * resolving the measure column of scenario lines (on_content_of, except_content_of,
 * unless_content_of, ntb) into effective ad valorem rates that enter the tariff engine
 * unchanged. The scenario parser (scenario.c) stores each line's content source; this
 * file computes the shares, once per distinct source, by one transposed solve on the
 * baseline LU (wiot_content), and hands them to the schedule builder. */
#include "tariff/tariff.h"

#include <math.h>
#include <string.h>

/* Shares of the distinct sources met while building one expression. */
typedef struct wi_share_cache {
    const wiot_scenarios *sc;
    const char *fname;
    const wiot_lu *lu;
    int measure;
    size_t n, count, cap;
    struct wi_share_entry {
        const uint32_t *cty, *sec;
        uint32_t nc, ns;
        double *share;
    } *e;
    unsigned char *mask;        /* n: scratch */
} wi_share_cache;

static int wi_same_spec(const struct wi_share_entry *e, const wi_spec *sp)
{
    return e->nc == sp->nc && e->ns == sp->ns &&
           memcmp(e->cty, sp->cty, sp->nc * sizeof *sp->cty) == 0 &&
           memcmp(e->sec, sp->sec, sp->ns * sizeof *sp->sec) == 0;
}

static int wi_share_lookup(void *ud, wiot_ctx *ctx, const wi_spec *sp, const double **share)
{
    wi_share_cache *K = ud;
    for (size_t q = 0; q < K->count; q++)
        if (wi_same_spec(&K->e[q], sp)) {
            *share = K->e[q].share;
            return WIOT_OK;
        }
    if (!K->lu)
        return wi_error(ctx, WIOT_EINVAL, "scenario '%s' (%s:%zu) has a content measure (content of "
                        "'%s') but no factorization was given", sp->scenario, sp->file, sp->line,
                        sp->text);
    if (!K->count && !wi_scen_fits(K->sc, K->lu->t))
        return wi_error(ctx, WIOT_EINVAL, "%s: scenario '%s' (%s:%zu): the factorization's table "
                        "(%s) does not have the scenario set's countries and sectors (a set read "
                        "through a sector map cannot hold content measures)", K->fname,
                        sp->scenario, sp->file, sp->line, wiot_table_name(K->lu->t));
    if (K->count == K->cap) {
        size_t cap = K->cap ? 2 * K->cap : 4;
        struct wi_share_entry *ne = wi_calloc(ctx, cap, sizeof *ne);
        if (!ne)
            return WIOT_ENOMEM;
        if (K->count)
            memcpy(ne, K->e, K->count * sizeof *ne);
        wi_free(ctx, K->e);
        K->e = ne;
        K->cap = cap;
    }
    const wiot_table *t = K->lu->t;
    const size_t S = t->S;
    memset(K->mask, 0, K->n);
    for (uint32_t a = 0; a < sp->nc; a++)
        for (uint32_t b = 0; b < sp->ns; b++)
            K->mask[(size_t)sp->cty[a] * S + sp->sec[b]] = 1;
    double *sh = wi_dalloc(ctx, K->n);
    if (!sh)
        return WIOT_ENOMEM;
    int rc = wiot_content(ctx, K->lu, K->mask, K->measure, sh, NULL);
    if (rc) {
        wi_free(ctx, sh);
        return rc;
    }
    struct wi_share_entry *e = &K->e[K->count++];
    e->cty = sp->cty;
    e->sec = sp->sec;
    e->nc = sp->nc;
    e->ns = sp->ns;
    e->share = sh;
    *share = sh;
    return WIOT_OK;
}

static int wi_resolve(wiot_ctx *ctx, const wiot_scenarios *sc, const wiot_lu *lu, const char *expr,
                      int measure, int split, wiot_schedule **a, wiot_schedule **b,
                      const char *fname)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!sc || !expr || (!split && !a))
        return wi_error(ctx, WIOT_EINVAL, "%s: NULL argument", fname);
    if (measure != WIOT_MEASURE_VA && measure != WIOT_MEASURE_GROSS)
        return wi_error(ctx, WIOT_EINVAL, "%s: unknown content measure %d (WIOT_MEASURE_VA or "
                        "WIOT_MEASURE_GROSS)", fname, measure);
    if (lu && lu->model != WIOT_LEONTIEF)
        return wi_error(ctx, WIOT_EINVAL, "%s: content shares need a Leontief factorization, not "
                        "a Ghosh one", fname);
    wi_share_cache K;
    memset(&K, 0, sizeof K);
    K.sc = sc;
    K.fname = fname;
    K.lu = lu;
    K.measure = measure;
    K.n = lu ? lu->n : 0;
    if (lu && !(K.mask = wi_alloc(ctx, K.n ? K.n : 1)))
        return WIOT_ENOMEM;
    int rc = wi_scen_build(ctx, sc, expr, wi_share_lookup, &K, split, a, b);
    for (size_t q = 0; q < K.count; q++)
        wi_free(ctx, K.e[q].share);
    wi_free(ctx, K.e);
    wi_free(ctx, K.mask);
    return rc;
}

int wiot_scenarios_schedule_lu(wiot_ctx *ctx, const wiot_scenarios *sc, const wiot_lu *lu,
                               const char *expr, int measure, wiot_schedule **out)
{
    return wi_resolve(ctx, sc, lu, expr, measure, 0, out, NULL, "wiot_scenarios_schedule_lu");
}

int wiot_scenarios_split(wiot_ctx *ctx, const wiot_scenarios *sc, const wiot_lu *lu,
                         const char *expr, int measure, wiot_schedule **tariff,
                         wiot_schedule **ntb)
{
    return wi_resolve(ctx, sc, lu, expr, measure, 1, tariff, ntb, "wiot_scenarios_split");
}

const double *wiot_schedule_ntb(const wiot_schedule *s) { return s ? s->ntb : NULL; }

int wiot_schedule_set_ntb(wiot_ctx *ctx, wiot_schedule *s, size_t importer, size_t exporter,
                          size_t sector, double value)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!s)
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_set_ntb: NULL schedule");
    if (importer >= s->C || exporter >= s->C || sector >= s->S)
        return wi_error(ctx, WIOT_EINVAL,
                        "wiot_schedule_set_ntb: index (importer %zu, exporter %zu, sector %zu) out "
                        "of range (%zu countries, %zu sectors)",
                        importer, exporter, sector, s->C, s->S);
    if (!isfinite(value))
        return wi_error(ctx, WIOT_EINVAL, "wiot_schedule_set_ntb: value %g is not finite", value);
    if (importer == exporter)
        return WIOT_OK;
    if (!s->ntb && !(s->ntb = wi_calloc(ctx, s->C * s->C * s->S, sizeof(double))))
        return WIOT_ENOMEM;
    s->ntb[(importer * s->C + exporter) * s->S + sector] = value;
    return WIOT_OK;
}
