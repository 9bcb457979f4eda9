/* cli_scenarios.c -- `wiot scenarios` (the scenarios available: names, dates, imposer
 * -> target, lines, trade covered, measures, source file) and `wiot scenarios NAME`
 * (one scenario's lines, its rates by imposer and target over goods and services, and
 * for content-based lines the effective rates with the shares they came from), through
 * the public API only (wiot_scenarios_line, wiot_scenarios_schedule_lu, wiot_content). */
#define _GNU_SOURCE
#include "cli.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the options scenarios accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const SCENARIOS_OPTS = ",t,s,o,threads,top,quiet,content-measure,";
const char *const SCENARIOS_HELP =
    "usage: wiot scenarios [-t TABLE] [-s FILE]... [-o FILE]\n"
    "       wiot scenarios NAME [-t TABLE] [-s FILE]... [--content-measure va|gross]\n"
    "                      [--top K] [-o FILE]\n"
    "Without NAME: every scenario available (the built-in ones, or those of the -s files):\n"
    "its date (from the name), imposing and target countries, number of lines, the trade\n"
    "its lines cover (base-year imports of the imposers from the targets in the sectors\n"
    "named, intermediate and final, millions), the measures it uses and its file.\n"
    "-o writes them as CSV: scenario,date,imposers,targets,lines,trade_covered_musd,\n"
    "measures,file.\n"
    "With NAME: its lines as written, the trade-weighted mean rate by imposer and target\n"
    "over goods and services (the schedule wiot tariff uses; NTB equivalents included),\n"
    "and for content-based lines (measure on_content_of=, except_content_of=,\n"
    "unless_content_of=) the content share of every exporting country-sector and the\n"
    "effective rate it gives. -o writes one row per line and cell: scenario,line,imposer,\n"
    "target,sector,measure,rate,share,effective_rate,in_force (in_force 0: a later line\n"
    "of the same layer sets the cell).\n"
    "  -s FILE      scenario files instead of the built-in ones (repeatable)\n"
    "  --top K      rows of each terminal table (default 10)\n"
    "  --quiet      no terminal tables (with -o: only the file)\n"
    "  --content-measure M  va (default) or gross, as for wiot tariff\n";

static const char *measure_word(int m)
{
    static const char *const w[] = {"tariff", "ntb", "on_content_of", "except_content_of",
                                    "unless_content_of"};
    return m >= 0 && m <= 4 ? w[m] : "?";
}

/* the first YYYY-MM-DD in name, or "-" */
static void name_date(const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "-");
    for (const char *p = name; *p; p++) {
        int ok = 1;
        for (int i = 0; i < 10 && ok; i++) {
            char ch = p[i];
            ok = ch && (i == 4 || i == 7 ? ch == '-' : isdigit((unsigned char)ch));
        }
        if (ok) {
            snprintf(buf, size, "%.10s", p);
            return;
        }
    }
    for (const char *p = name; *p; p++) {   /* "cn2025_02-10": YYYY_MM-DD */
        int ok = 1;
        for (int i = 0; i < 10 && ok; i++) {
            char ch = p[i];
            ok = ch && (i == 4 ? ch == '_' : i == 7 ? ch == '-' : isdigit((unsigned char)ch));
        }
        if (ok && (p == name || !isdigit((unsigned char)p[-1]))) {
            snprintf(buf, size, "%.4s-%.5s", p, p + 5);
            return;
        }
    }
}

/* "USA", "CAN MEX", "40 countries", "every country" */
static void cset(const wiot_table *t, const unsigned char *m, char *buf, size_t size)
{
    const size_t C = wiot_table_countries(t);
    size_t k = 0;
    for (size_t c = 0; c < C; c++)
        k += m[c] != 0;
    if (k == C) {
        snprintf(buf, size, "every country");
        return;
    }
    if (k > 3) {
        snprintf(buf, size, "%zu countries", k);
        return;
    }
    size_t len = 0;
    buf[0] = 0;
    for (size_t c = 0; c < C; c++)
        if (m[c]) {
            int w = snprintf(buf + len, size - len, "%s%s", len ? " " : "", wiot_table_country(t, c));
            if (w > 0 && (size_t)w < size - len)
                len += (size_t)w;
        }
}

/* flow[d*n + i] = d's purchases of product i (intermediate and final), i outside d */
static double *import_flows(const wiot_table *t)
{
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t),
                 K = wiot_table_fd_categories(t);
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t);
    double *flow = calloc(C * n + 1, sizeof *flow);
    if (!flow)
        return NULL;
    for (size_t d = 0; d < C; d++)
        for (size_t i = 0; i < n; i++) {
            if (i / S == d)
                continue;
            double f = 0;
            for (size_t j = d * S; j < (d + 1) * S; j++)
                f += Z[i + j * n];
            for (size_t k = 0; k < K; k++)
                f += F[i + (d * K + k) * n];
            flow[d * n + i] = f;
        }
    return flow;
}

typedef struct marks {
    unsigned char *imp, *tgt, *sec, *src;
} marks;

static int list_all(wiot_ctx *ctx, const opts *o, const wiot_table *t, const wiot_scenarios *sc)
{
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t), n = C * S;
    const size_t ns = wiot_scenarios_count(sc);
    unsigned char *imp = calloc(C, 1), *tgt = calloc(C, 1), *li = calloc(C, 1), *lt = calloc(C, 1),
                  *ls = calloc(S, 1), *cell = calloc(C * n, 1);
    double *flow = import_flows(t);
    int rc = 0;
    outfile of;
    memset(&of, 0, sizeof of);
    if (!imp || !tgt || !li || !lt || !ls || !cell || !flow) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    if (o->out) {
        if (out_open(&of, o->out)) {
            rc = 1;
            goto done;
        }
        fputs("scenario,date,imposers,targets,lines,trade_covered_musd,measures,file\n", of.f);
    }
    if (!o->quiet)
        printf("%zu scenarios on %s (%s)\n%-58s %-10s %-28s %5s %12s  %s\n", ns, wiot_table_name(t),
               o->nscen ? "from the -s files" : "built in", "scenario", "date",
               "imposer -> target", "lines", "trade_musd", "measures / file");
    for (size_t i = 0; i < ns; i++) {
        const char *name = wiot_scenarios_name(sc, i);
        const size_t nl = wiot_scenarios_lines(sc, i);
        memset(imp, 0, C);
        memset(tgt, 0, C);
        memset(cell, 0, C * n);
        unsigned used = 0;
        const char *file = "";
        for (size_t k = 0; k < nl; k++) {
            wiot_scenario_line L;
            if ((rc = wiot_scenarios_line(ctx, sc, i, k, &L, li, lt, ls, NULL))) {
                rc = fail(ctx, rc);
                goto done;
            }
            file = L.file;
            used |= 1u << L.measure;
            for (size_t d = 0; d < C; d++) {
                if (!li[d])
                    continue;
                imp[d] = 1;
                for (size_t c = 0; c < C; c++)
                    if (lt[c] && c != d) {
                        tgt[c] = 1;
                        for (size_t s = 0; s < S; s++)
                            if (ls[s])
                                cell[d * n + c * S + s] = 1;
                    }
            }
        }
        double trade = 0;
        for (size_t q = 0; q < C * n; q++)
            if (cell[q])
                trade += flow[q];
        char date[16], a[64], b[64], io[140], ms[96] = "";
        name_date(name, date, sizeof date);
        cset(t, imp, a, sizeof a);
        cset(t, tgt, b, sizeof b);
        snprintf(io, sizeof io, "%s -> %s", a, b);
        size_t len = 0;
        for (int m = 0; m <= WIOT_LINE_UNLESS_CONTENT; m++)
            if (used & (1u << m)) {
                int w = snprintf(ms + len, sizeof ms - len, "%s%s", len ? ";" : "", measure_word(m));
                if (w > 0 && (size_t)w < sizeof ms - len)
                    len += (size_t)w;
            }
        if (!o->quiet)
            printf("%-58s %-10s %-28s %5zu %12.0f  %s  %s\n", name, date, io, nl, trade, ms, file);
        if (of.f)
            fprintf(of.f, "%s,%s,%s,%s,%zu,%.17g,%s,%s\n", name, date, a, b, nl, trade, ms, file);
    }
    if (of.f && (out_close(&of) || out_commit(&of)))
        rc = 1;
done:
    if (rc)
        out_abort(&of);
    free(imp);
    free(tgt);
    free(li);
    free(lt);
    free(ls);
    free(cell);
    free(flow);
    return rc;
}

/* content shares of a line's source, computed once per distinct source mask */
typedef struct share_cache {
    size_t count;
    unsigned char *mask[64];
    double *share[64];
} share_cache;

static const double *cached_share(wiot_ctx *ctx, const wiot_lu *lu, share_cache *K,
                                  const unsigned char *mask, size_t n, int measure, int *rc)
{
    for (size_t q = 0; q < K->count; q++)
        if (!memcmp(K->mask[q], mask, n))
            return K->share[q];
    if (K->count == 64) {
        fprintf(stderr, "wiot: more than 64 distinct content sources in one scenario\n");
        *rc = 1;
        return NULL;
    }
    unsigned char *m = malloc(n);
    double *s = malloc(n * sizeof *s);
    if (!m || !s) {
        free(m);
        free(s);
        fprintf(stderr, "wiot: out of memory\n");
        *rc = 1;
        return NULL;
    }
    memcpy(m, mask, n);
    if ((*rc = wiot_content(ctx, lu, m, measure, s, NULL))) {
        free(m);
        free(s);
        *rc = fail(ctx, *rc);
        return NULL;
    }
    K->mask[K->count] = m;
    K->share[K->count++] = s;
    return s;
}

static int show_one(wiot_ctx *ctx, const opts *o, const wiot_table *t, const wiot_scenarios *sc,
                    size_t idx)
{
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t), n = C * S;
    const char *name = wiot_scenarios_name(sc, idx);
    const size_t nl = wiot_scenarios_lines(sc, idx);
    wiot_lu *lu = NULL;
    wiot_schedule *s = NULL;
    share_cache K;
    memset(&K, 0, sizeof K);
    outfile of;
    memset(&of, 0, sizeof of);
    marks mk = {calloc(C, 1), calloc(C, 1), calloc(S, 1), calloc(n, 1)};
    size_t *last[2] = {malloc(C * n * sizeof(size_t) + 1), malloc(C * n * sizeof(size_t) + 1)};
    double *flow = import_flows(t);
    int rc = 0;
    if (!mk.imp || !mk.tgt || !mk.sec || !mk.src || !last[0] || !last[1] || !flow) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL)) ||
        (rc = wiot_scenarios_schedule_lu(ctx, sc, lu, name, o->content_measure, &s))) {
        rc = fail(ctx, rc);
        goto done;
    }
    /* which line sets each cell last, per layer (tariff-type, ntb) */
    for (size_t q = 0; q < C * n; q++)
        last[0][q] = last[1][q] = (size_t)-1;
    for (size_t k = 0; k < nl; k++) {
        wiot_scenario_line L;
        if ((rc = wiot_scenarios_line(ctx, sc, idx, k, &L, mk.imp, mk.tgt, mk.sec, NULL))) {
            rc = fail(ctx, rc);
            goto done;
        }
        size_t *ls = last[L.measure == WIOT_LINE_NTB];
        for (size_t d = 0; d < C; d++)
            for (size_t c = 0; c < C && mk.imp[d]; c++)
                for (size_t x = 0; x < S && mk.tgt[c] && c != d; x++)
                    if (mk.sec[x])
                        ls[d * n + c * S + x] = k;
    }
    char date[16];
    name_date(name, date, sizeof date);
    if (o->out) {
        if (out_open(&of, o->out)) {
            rc = 1;
            goto done;
        }
        fputs("scenario,line,imposer,target,sector,measure,rate,share,effective_rate,in_force\n", of.f);
    }
    size_t ncontent = 0, shown = 0;
    if (!o->quiet) {
        wiot_scenario_line L0;
        if (nl && !wiot_scenarios_line(ctx, sc, idx, 0, &L0, NULL, NULL, NULL, NULL))
            printf("%s: %zu lines, from %s; date %s\n", name, nl, L0.file, date);
        printf("lines (file order; later lines win within tariffs and within NTBs):\n"
               "  %-6s %-14s %-14s %-16s %9s  %s\n", "line", "imposer", "target", "sector", "rate",
               "measure");
    }
    for (size_t k = 0; k < nl; k++) {
        wiot_scenario_line L;
        if ((rc = wiot_scenarios_line(ctx, sc, idx, k, &L, mk.imp, mk.tgt, mk.sec, mk.src))) {
            rc = fail(ctx, rc);
            goto done;
        }
        const int content = L.measure >= WIOT_LINE_ON_CONTENT;
        ncontent += content;
        if (!o->quiet && (shown < (size_t)o->top || content)) {
            printf("  %-6zu %-14.14s %-14.14s %-16.16s %9.6g  %s\n", L.line, L.imposer, L.target,
                   L.sector, L.rate, L.measure_text);
            shown++;
        } else if (!o->quiet && shown == (size_t)o->top) {
            printf("  ... %zu more lines (all in -o FILE)\n", nl - k);
            shown++;
        }
        const double *sh = NULL;
        if (content && !(sh = cached_share(ctx, lu, &K, mk.src, n, o->content_measure, &rc)))
            goto done;
        if (!of.f)
            continue;
        const size_t *ls = last[L.measure == WIOT_LINE_NTB];
        for (size_t d = 0; d < C; d++)
            for (size_t c = 0; c < C && mk.imp[d]; c++)
                for (size_t x = 0; x < S && mk.tgt[c] && c != d; x++) {
                    if (!mk.sec[x])
                        continue;
                    double v = L.rate, z = NAN;
                    if (sh) {
                        z = sh[c * S + x];
                        double cl = z > 0 ? (z < 1 ? z : 1) : 0;
                        v = L.measure == WIOT_LINE_ON_CONTENT ? L.rate * cl
                          : L.measure == WIOT_LINE_EXCEPT_CONTENT ? L.rate * (1 - cl)
                          : (cl >= L.threshold ? 0.0 : L.rate);
                    }
                    fprintf(of.f, "%s,%zu,%s,%s,%s,%s,%.17g,", name, L.line, wiot_table_country(t, d),
                            wiot_table_country(t, c), wiot_table_sector(t, x), measure_word(L.measure),
                            L.rate);
                    if (sh)
                        fprintf(of.f, "%.17g", z);
                    fprintf(of.f, ",%.17g,%d\n", v, ls[d * n + c * S + x] == k);
                }
    }
    /* content lines: shares and effective rates by exporting country-sector */
    for (size_t k = 0; k < nl && !o->quiet && ncontent; k++) {
        wiot_scenario_line L;
        if ((rc = wiot_scenarios_line(ctx, sc, idx, k, &L, mk.imp, mk.tgt, mk.sec, mk.src))) {
            rc = fail(ctx, rc);
            goto done;
        }
        if (L.measure < WIOT_LINE_ON_CONTENT)
            continue;
        const double *sh = cached_share(ctx, lu, &K, mk.src, n, o->content_measure, &rc);
        if (!sh)
            goto done;
        size_t rows = 0, total = 0;
        for (size_t c = 0; c < C; c++)
            for (size_t x = 0; x < S; x++)
                total += mk.tgt[c] && mk.sec[x];
        printf("line %zu: %s of %s (%s measure%s), by exporting country-sector:\n"
               "  %-8s %-8s %10s %10s\n", L.line, measure_word(L.measure), L.source,
               o->content_measure == WIOT_MEASURE_GROSS ? "gross" : "value-added",
               L.measure == WIOT_LINE_UNLESS_CONTENT ? ", exempt where share >= threshold" : "",
               "target", "sector", "share", "effective");
        for (size_t c = 0; c < C; c++)
            for (size_t x = 0; x < S; x++) {
                if (!mk.tgt[c] || !mk.sec[x])
                    continue;
                if (rows++ >= (size_t)o->top)
                    continue;
                double z = sh[c * S + x], cl = z > 0 ? (z < 1 ? z : 1) : 0;
                double v = L.measure == WIOT_LINE_ON_CONTENT ? L.rate * cl
                         : L.measure == WIOT_LINE_EXCEPT_CONTENT ? L.rate * (1 - cl)
                         : (cl >= L.threshold ? 0.0 : L.rate);
                printf("  %-8s %-8s %10.6f %10.6f\n", wiot_table_country(t, c), wiot_table_sector(t, x),
                       z, v);
            }
        if (total > (size_t)o->top)
            printf("  ... %zu more (all in -o FILE)\n", total - (size_t)o->top);
    }
    if (!o->quiet) {
        /* trade-weighted mean rates of the engine schedule by imposer and target */
        const double *r = wiot_schedule_rates(s);
        size_t pairs[4096][2], np = 0;
        double tw[4096];
        for (size_t d = 0; d < C; d++)
            for (size_t c = 0; c < C && np < 4096; c++) {
                double w = 0;
                int any = 0;
                for (size_t x = 0; x < S; x++) {
                    double rt = r[(d * C + c) * S + x];
                    any |= rt != 0;
                    w += flow[d * n + c * S + x];
                }
                if (any) {
                    pairs[np][0] = d;
                    pairs[np][1] = c;
                    tw[np++] = w;
                }
            }
        size_t *ord = malloc((np + 1) * sizeof *ord);
        if (!ord) {
            fprintf(stderr, "wiot: out of memory\n");
            rc = 1;
            goto done;
        }
        sort_desc(ord, np, tw);
        printf("rates in force, trade-weighted over the sectors of each group (%zu imposer-target "
               "pairs; largest imports first):\n  %-8s %-8s %14s %12s %12s %12s\n", np, "imposer",
               "target", "imports_musd", "goods", "services", "max");
        for (size_t q = 0; q < np && q < (size_t)o->top; q++) {
            size_t d = pairs[ord[q]][0], c = pairs[ord[q]][1];
            double g = 0, gw = 0, sv = 0, sw = 0, mx = 0;
            for (size_t x = 0; x < S; x++) {
                double rt = r[(d * C + c) * S + x], f = flow[d * n + c * S + x];
                int goods = is_wiod2013(t) ? x < 16 : wiot_table_sector(t, x)[0] <= 'C';
                if (goods) {
                    g += rt * f;
                    gw += f;
                } else {
                    sv += rt * f;
                    sw += f;
                }
                if (fabs(rt) > fabs(mx))
                    mx = rt;
            }
            printf("  %-8s %-8s %14.0f %12.6f %12.6f %12.6f\n", wiot_table_country(t, d),
                   wiot_table_country(t, c), tw[ord[q]], gw > 0 ? g / gw : 0, sw > 0 ? sv / sw : 0, mx);
        }
        if (np > (size_t)o->top)
            printf("  ... %zu more pairs\n", np - (size_t)o->top);
        free(ord);
    }
    if (of.f && (out_close(&of) || out_commit(&of)))
        rc = 1;
done:
    if (rc)
        out_abort(&of);
    for (size_t q = 0; q < K.count; q++) {
        free(K.mask[q]);
        free(K.share[q]);
    }
    free(mk.imp);
    free(mk.tgt);
    free(mk.sec);
    free(mk.src);
    free(last[0]);
    free(last[1]);
    free(flow);
    wiot_schedule_free(s);
    wiot_lu_free(lu);
    return rc;
}

int cmd_scenarios(int argc, char **argv)
{
    const char *name = NULL;
    /* NAME may come first: wiot scenarios NAME [options] */
    if (argc > 1 && argv[1][0] != '-') {
        name = argv[1];
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    if (name && strchr(name, '+'))
        return usage_error("scenarios", "'%s' is a stack; give one name", name);
    opts o;
    int rc = parse_opts("scenarios", argc, argv, &o, SCENARIOS_OPTS,
                        SCENARIOS_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx = NULL;
    wiot_table *t = NULL;
    wiot_scenarios *sc = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL)) ||
        (rc = load_scenarios(ctx, &o, t, &sc)))
        goto done;
    if (!name) {
        rc = list_all(ctx, &o, t, sc);
    } else {
        size_t idx = wiot_scenarios_find(sc, name);
        if (idx == (size_t)-1) {   /* the library's message lists close names */
            wiot_schedule *s = NULL;
            rc = wiot_scenarios_schedule(ctx, sc, name, &s);
            wiot_schedule_free(s);
            rc = fail(ctx, rc ? rc : WIOT_ENOTFOUND);
        } else
            rc = show_one(ctx, &o, t, sc, idx);
    }
done:
    wiot_scenarios_free(sc);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}
