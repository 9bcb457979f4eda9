/* cli_exposure.c -- `wiot content`, `wiot tiva` and `wiot extract`: supply-chain
 * exposure through the public API (wiot_select, wiot_content, wiot_crossing,
 * wiot_tiva, wiot_extract). Summaries on the terminal, full results in CSV. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THRESH 16

/* "CHN_c12" */
static const char *label(const wiot_table *t, size_t i, char *buf, size_t size)
{
    const size_t S = wiot_table_sectors(t);
    snprintf(buf, size, "%s_%s", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
    return buf;
}

static const char *sname(const wiot_table *t, size_t i, char *buf, size_t size)
{
    const char *nm = sector_name(wiot_table_sector(t, i % wiot_table_sectors(t)), buf, size);
    return nm ? nm : "";
}

/* --source SPEC: mask[n] and the countries it touches; prints and returns 1 on error */
static int source_mask(wiot_ctx *ctx, const wiot_table *t, const char *spec, unsigned char *mask,
                       unsigned char *cmask, size_t *k)
{
    int rc = wiot_select(ctx, t, spec, mask, k);
    if (rc)
        return fail(ctx, rc);
    const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
    memset(cmask, 0, wiot_table_countries(t));
    for (size_t i = 0; i < n; i++)
        if (mask[i])
            cmask[i / S] = 1;
    return 0;
}

/* "CHN" or "AUT BEL ... (27 countries)" */
static void country_list(const wiot_table *t, const unsigned char *cmask, char *buf, size_t size)
{
    const size_t C = wiot_table_countries(t);
    size_t m = 0, len = 0;
    buf[0] = 0;
    for (size_t c = 0; c < C; c++)
        m += cmask[c] != 0;
    if (m == C) {
        snprintf(buf, size, "every country");
        return;
    }
    for (size_t c = 0, shown = 0; c < C && len + 16 < size; c++) {
        if (!cmask[c])
            continue;
        if (shown == 8) {
            snprintf(buf + len, size - len, " ... (%zu countries)", m);
            return;
        }
        int w = snprintf(buf + len, size - len, "%s%s", shown ? " " : "", wiot_table_country(t, c));
        len += w > 0 ? (size_t)w : 0;
        shown++;
    }
}

/* ------------------------------------------------------------------ content */
/* the options content accepts beyond --format, --keep-splits, --max-memory, --help */
/* the options tiva accepts beyond --format, --keep-splits, --max-memory, --help */
/* the options extract accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const EXTRACT_OPTS = ",t,o,threads,top,source,to,extensions,extensions-fd,extension,";
const char *const TIVA_OPTS = ",t,o,threads,by-sector,";
const char *const CONTENT_OPTS = ",t,o,threads,top,source,measure,threshold,extensions,extensions-fd,extension,";
const char *const CONTENT_HELP =
    "usage: wiot content [-t TABLE] --source SPEC [--measure va|gross] [--threshold X[,Y...]]\n"
    "                    [-o FILE] [--top K] [--threads N]\n"
    "Content of a source (country-sectors, countries, groups) in every product of the\n"
    "table, from the Leontief inverse without forming it: one transposed solve\n"
    "(I - A)^T y = b (kernel/METHODS.md §4).\n"
    "  --source SPEC  COUNTRIES[:SECTORS], each part in scenario-file syntax (codes, *,\n"
    "               groups EU27 EU28 EU15 USMCA G7 BRICS ASEAN, ranges c1..c16, goods,\n"
    "               services, !exclusions), items separated by ',' or ';'. Examples:\n"
    "               CHN:c2,c12 (Chinese mining and basic metals), USA, EU27:goods\n"
    "  --measure M  va (default): share of the product's value that is value added\n"
    "               generated in the source, directly or upstream, V = diag(a_v) L;\n"
    "               in [0, 1], the shares of all sources add up to 1.\n"
    "               gross: output of the source needed per unit of the product's final\n"
    "               output, L - I (total requirements); counts inputs at gross value at\n"
    "               every stage, may exceed 1, an upper bound of va outside the source\n"
    "  --threshold X[,Y...]  fractions (0.001 = 0.1 %); a product crosses X when its\n"
    "               share >= X. e.g. China's Oct. 2025 rule: --source CHN:c2,c12\n"
    "               --threshold 0.001; US content: --source USA --threshold 0.25,0.10\n"
    "  -o FILE      CSV, one row per country-sector: country,sector,share and one\n"
    "               crosses_X column (1 or 0) per threshold\n"
    "  --top K      rows in the summary's lists (default 10)\n"
    "  --extensions-fd FILE  with --extensions: direct final-demand stressors (wiot footprint)\n"
    "  --extension NAME [--extensions FILE]  also rank the products by the source's stressor\n"
    "               (jobs, CO2, ...; '*' all) embodied in them, sum_{i in source} S[i] L[i,j]\n"
    "               per unit of final demand (file layouts: wiot footprint --help)\n";

typedef struct content_csv {
    const wiot_table *t;
    const double *share;
    const double *thr;
    int nthr;
} content_csv;

static int write_content(FILE *f, void *ud)
{
    const content_csv *c = ud;
    const size_t n = wiot_table_n(c->t), S = wiot_table_sectors(c->t);
    fputs("country,sector,share", f);
    for (int q = 0; q < c->nthr; q++)
        fprintf(f, ",crosses_%g", c->thr[q]);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s,%s,%s", wiot_table_country(c->t, i / S), wiot_table_sector(c->t, i % S), G(c->share[i]));
        for (int q = 0; q < c->nthr; q++)
            fprintf(f, ",%d", c->share[i] >= c->thr[q]);
        fputc('\n', f);
    }
    return ferror(f) ? 1 : 0;
}

static int parse_thresholds(const char *s, double *thr, int *n)
{
    const char *p = s;
    *n = 0;
    while (*p) {
        const char *e = strchr(p, ',');
        if (!e)
            e = p + strlen(p);
        double v = 0;
        if (wi_num(p, (size_t)(e - p), &v) || !(v >= 0 && v <= 1e6) || *n == MAX_THRESH)
            return usage_error("content", "--threshold takes up to %d comma-separated fractions >= 0 "
                               "(0.001 = 0.1 %%), got '%s'", MAX_THRESH, s);
        thr[(*n)++] = v;
        p = *e ? e + 1 : e;
        if (*e && !*p)
            return usage_error("content", "--threshold: trailing ',' in '%s'", s);
    }
    if (*n == 0)
        return usage_error("content", "--threshold takes up to %d comma-separated fractions >= 0 "
                           "(0.001 = 0.1 %%), got '%s'", MAX_THRESH, s);
    return 0;
}

int cmd_content(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("content", argc, argv, &o, CONTENT_OPTS,
                        CONTENT_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!o.source)
        return usage_error("content", "--source SPEC is required (e.g. --source CHN:c2,c12)");
    int measure = WIOT_MEASURE_VA;
    if (o.measure && !strcmp(o.measure, "gross"))
        measure = WIOT_MEASURE_GROSS;
    else if (o.measure && strcmp(o.measure, "va"))
        return usage_error("content", "--measure takes va or gross, got '%s'", o.measure);
    double thr[MAX_THRESH];
    int nthr = 0;
    if (o.threshold && (rc = parse_thresholds(o.threshold, thr, &nthr)))
        return rc;

    wiot_ctx *ctx;
    wiot_table *t = NULL;
    wiot_lu *lu = NULL;
    unsigned char *mask = NULL, *cmask = NULL;
    double *share = NULL, *key = NULL;
    size_t *list = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL)))
        goto done;
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    mask = malloc(n);
    cmask = malloc(C);
    share = malloc(n * sizeof *share);
    key = malloc((n > C ? n : C) * sizeof *key);
    list = malloc(n * sizeof *list);
    if (!mask || !cmask || !share || !key || !list) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    size_t k = 0;
    if ((rc = source_mask(ctx, t, o.source, mask, cmask, &k)))
        goto done;
    wiot_info fi, ci;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi)) ||
        (rc = wiot_content(ctx, lu, mask, measure, share, &ci))) {
        rc = fail(ctx, rc);
        goto done;
    }
    char cl[256], lb[64], nb[128];
    country_list(t, cmask, cl, sizeof cl);
    const size_t top = (size_t)o.top;
    printf("Content of %s (%zu country-sector%s in %s) in the %zu products of %s\n", o.source, k,
           k == 1 ? "" : "s", cl, n, wiot_table_name(t));
    if (measure == WIOT_MEASURE_VA)
        printf("measure: value added - share of each product's value generated in the source, "
               "directly or upstream\n");
    else
        printf("measure: gross - output of the source needed per unit of each product's final "
               "output (L - I; double counts, may exceed 1)\n");
    /* "outside": products made outside the source countries; when the source spans
     * every country (e.g. "*:c12"), the products outside the source set */
    size_t nsc = 0;
    for (size_t c = 0; c < C; c++)
        nsc += cmask[c] != 0;
    const int every = nsc == C;
    char where[300];
    if (every)
        snprintf(where, sizeof where, "outside the source country-sectors");
    else
        snprintf(where, sizeof where, "made outside %s", cl);
#define OUTSIDE(i) (every ? !mask[i] : !cmask[(i) / S])
    for (int q = 0; q < nthr; q++) {
        size_t m = wiot_crossing(share, n, thr[q], list), out = 0;
        for (size_t r = 0; r < m; r++)
            out += OUTSIDE(list[r]);
        printf("\n  threshold %g %%: %zu of %zu products cross (share >= %g); %zu of them %s\n",
               100 * thr[q], m, n, thr[q], out, where);
        size_t shown = 0;
        for (size_t r = 0; r < m && shown < top; r++) {
            size_t i = list[r];
            if (!OUTSIDE(i))
                continue;
            if (!shown)
                printf("    highest %s:\n", where);
            printf("    %-10s %-45.45s %9.4f %%\n", label(t, i, lb, sizeof lb), sname(t, i, nb, sizeof nb),
                   100 * share[i]);
            shown++;
        }
    }
    /* without thresholds: the highest shares outside the source */
    if (nthr == 0) {
        for (size_t i = 0; i < n; i++)
            key[i] = OUTSIDE(i) ? share[i] : -INFINITY;
        sort_desc(list, n, key);
        printf("\n  highest shares in products %s:\n", where);
        for (size_t r = 0; r < top && r < n && key[list[r]] > -INFINITY; r++) {
            size_t i = list[r];
            printf("    %-10s %-45.45s %9.4f %%\n", label(t, i, lb, sizeof lb), sname(t, i, nb, sizeof nb),
                   100 * share[i]);
        }
    }
#undef OUTSIDE
    /* by country: output-weighted mean share of its products (other countries only,
     * unless the source spans them all) */
    const double *x = wiot_table_x(t);
    for (size_t c = 0; c < C; c++) {
        double sx = 0, s = 0;
        for (size_t j = c * S; j < (c + 1) * S; j++) {
            sx += x[j];
            s += x[j] * share[j];
        }
        key[c] = cmask[c] && !every ? -INFINITY : sx > 0 ? s / sx : 0.0;
    }
    sort_desc(list, C, key);
    printf("\n  countries whose output has the highest mean share (output-weighted), %%:\n   ");
    for (size_t r = 0; r < top && r < C && key[list[r]] > -INFINITY; r++)
        printf(" %s %.3f", wiot_table_country(t, list[r]), 100 * key[list[r]]);
    printf("\n\n  solve: factorization %.3f s (%.2g flops), content %.4f s (%.2g flops, one "
           "transposed solve), residual %.2g\n", fi.seconds, fi.flops, ci.seconds, ci.flops, ci.residual);
    if ((o.extension || o.extensions) && (rc = ext_content_report(ctx, &o, t, lu, mask)))
        goto done;   /* cli_footprint.c */
    if (o.out) {
        content_csv cc = {t, share, thr, nthr};
        if (write_atomic(o.out, write_content, &cc))
            rc = 1;
        else
            printf("wrote %s\n", o.out);
        rc = rc ? rc : cli_report(&o, "content", argc, argv);
    }
done:
    free(mask);
    free(cmask);
    free(share);
    free(key);
    free(list);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* --------------------------------------------------------------------- tiva */
const char *const TIVA_HELP =
    "usage: wiot tiva [-t TABLE] [-o FILE] [--by-sector] [--threads N]\n"
    "Trade in value added per country (kernel/METHODS.md §4; Koopman, Wang, Wei 2014):\n"
    "gross exports E (intermediate and final sales abroad) split by value-added origin\n"
    "into domestic value added DVA (KWW terms 1-6) and foreign value added FVA (KWW\n"
    "terms 7-9), DVA + FVA = E exactly; forward participation DVX (the country's value\n"
    "added inside other countries' exports); value-added exports VAX (its value added\n"
    "absorbed by foreign final demand, KWW terms 1-3); value added by origin in each\n"
    "country's final demand. One transposed solve with C right-hand sides.\n"
    "  -o FILE      CSV per country (millions of USD; shares as fractions): exports (gross\n"
    "               exports E), dva, fva (DVA + FVA + noorigin = E; noorigin: exports of\n"
    "               zero-output sectors), fva_share (FVA/E), forward (DVX: its value added\n"
    "               in other countries' exports), forward_share (DVX/E), vax (its value\n"
    "               added absorbed by foreign final demand), va (its value added),\n"
    "               va_in_world_final_demand (its value added absorbed by final demand\n"
    "               anywhere, its own included: not the value added IN its final demand),\n"
    "               then va_in_fd_from_<O> for every origin O (O's value added absorbed by\n"
    "               this country's final demand; their sum is the value added in its\n"
    "               final demand, i.e. its consumption-based value added)\n"
    "  --by-sector  the CSV per country-sector instead (without the origin columns):\n"
    "               exports, dva, fva, noorigin by exporting sector; forward, vax, va,\n"
    "               va_in_world_final_demand by the sector where the value added arises\n";

typedef struct tiva_csv {
    const wiot_table *t;
    const double *rows;   /* nrows x WIOT_TIVA_NITEMS, ld nrows */
    size_t nrows;
    const double *vafd;   /* C x C or NULL */
} tiva_csv;

static int write_tiva(FILE *f, void *ud)
{
    const tiva_csv *tc = ud;
    const wiot_table *t = tc->t;
    const size_t C = wiot_table_countries(t), S = wiot_table_sectors(t), m = tc->nrows;
    const int by_sector = m != C;
    fputs(by_sector ? "country,sector," : "country,", f);
    fputs("exports,dva,fva,noorigin,fva_share,forward,forward_share,vax,va,va_in_world_final_demand", f);
    if (tc->vafd)
        for (size_t o = 0; o < C; o++)
            fprintf(f, ",va_in_fd_from_%s", wiot_table_country(t, o));
    fputc('\n', f);
    for (size_t r = 0; r < m; r++) {
#define IT(q) tc->rows[r + (q) * m]
        if (by_sector)
            fprintf(f, "%s,%s,", wiot_table_country(t, r / S), wiot_table_sector(t, r % S));
        else
            fprintf(f, "%s,", wiot_table_country(t, r));
        double E = IT(WIOT_TIVA_EXPORTS);
        fprintf(f, "%s,%s,%s,%s,", G(E), G(IT(WIOT_TIVA_DVA)), G(IT(WIOT_TIVA_FVA)), G(IT(WIOT_TIVA_NOORIGIN)));
        if (E > 0)
            fprintf(f, "%s", G(IT(WIOT_TIVA_FVA) / E));
        fprintf(f, ",%s,", G(IT(WIOT_TIVA_FORWARD)));
        if (E > 0)
            fprintf(f, "%s", G(IT(WIOT_TIVA_FORWARD) / E));
        fprintf(f, ",%s,%s,%s", G(IT(WIOT_TIVA_VAX)), G(IT(WIOT_TIVA_VA)), G(IT(WIOT_TIVA_VAFD)));
#undef IT
        if (tc->vafd)
            for (size_t o = 0; o < C; o++)
                fprintf(f, ",%s", G(tc->vafd[o + r * C]));
        fputc('\n', f);
    }
    return ferror(f) ? 1 : 0;
}

int cmd_tiva(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("tiva", argc, argv, &o, TIVA_OPTS, TIVA_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    wiot_lu *lu = NULL;
    double *ct = NULL, *sec = NULL, *vf = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL)))
        goto done;
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t);
    ct = malloc(C * WIOT_TIVA_NITEMS * sizeof *ct);
    vf = malloc(C * C * sizeof *vf);
    if (o.by_sector)
        sec = malloc(n * WIOT_TIVA_NITEMS * sizeof *sec);
    if (!ct || !vf || (o.by_sector && !sec)) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    wiot_info fi, ti;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi)) ||
        (rc = wiot_tiva(ctx, lu, ct, C, sec, n, vf, C, &ti))) {
        rc = fail(ctx, rc);
        goto done;
    }
    printf("Trade in value added, %s (millions of USD; shares of gross exports, %%)\n",
           wiot_table_name(t));
    printf("  %-5s %12s %7s %7s %8s %7s %12s %8s\n", "", "exports", "DVA", "FVA", "DVX", "VAX",
           "VA", "VAX/VA");
    double tot[WIOT_TIVA_NITEMS] = {0}, worst = 0;
    for (size_t c = 0; c < C; c++) {
        const double *r = ct + c;
#define IT(q) r[(q) * C]
        double E = IT(WIOT_TIVA_EXPORTS), pe = E > 0 ? 100 / E : 0;
        double va = IT(WIOT_TIVA_VA);
        printf("  %-5s %12.0f %7.2f %7.2f %8.2f %7.2f %12.0f %8.2f\n", wiot_table_country(t, c), E,
               pe * IT(WIOT_TIVA_DVA), pe * IT(WIOT_TIVA_FVA), pe * IT(WIOT_TIVA_FORWARD),
               pe * IT(WIOT_TIVA_VAX), va, va > 0 ? 100 * IT(WIOT_TIVA_VAX) / va : 0.0);
        double gap = fabs(IT(WIOT_TIVA_DVA) + IT(WIOT_TIVA_FVA) + IT(WIOT_TIVA_NOORIGIN) - E);
        worst = gap > worst ? gap : worst;
        for (size_t q = 0; q < WIOT_TIVA_NITEMS; q++)
            tot[q] += IT(q);
#undef IT
    }
    double E = tot[WIOT_TIVA_EXPORTS], pe = E > 0 ? 100 / E : 0;
    printf("  %-5s %12.0f %7.2f %7.2f %8.2f %7.2f %12.0f %8.2f\n", "world", E,
           pe * tot[WIOT_TIVA_DVA], pe * tot[WIOT_TIVA_FVA], pe * tot[WIOT_TIVA_FORWARD],
           pe * tot[WIOT_TIVA_VAX], tot[WIOT_TIVA_VA],
           tot[WIOT_TIVA_VA] > 0 ? 100 * tot[WIOT_TIVA_VAX] / tot[WIOT_TIVA_VA] : 0.0);
    printf("\n  DVA = domestic value added in exports (KWW terms 1-6), FVA = foreign value added\n"
           "  (terms 7-9, backward participation), DVX = the country's value added in other\n"
           "  countries' exports (forward participation), VAX = its value added absorbed abroad.\n");
    printf("  identities: DVA + FVA + no-origin exports = exports (largest gap %.2g; no-origin "
           "total %.3g);\n  world FVA %.6g = world DVX %.6g\n", worst, tot[WIOT_TIVA_NOORIGIN],
           tot[WIOT_TIVA_FVA], tot[WIOT_TIVA_FORWARD]);
    printf("  solve: factorization %.3f s, TiVA %.4f s (%.2g flops), residual %.2g\n", fi.seconds,
           ti.seconds, ti.flops, ti.residual);
    if (o.out) {
        tiva_csv tc = {t, o.by_sector ? sec : ct, o.by_sector ? n : C, o.by_sector ? NULL : vf};
        if (write_atomic(o.out, write_tiva, &tc))
            rc = 1;
        else
            printf("wrote %s\n", o.out);
        rc = rc ? rc : cli_report(&o, "tiva", argc, argv);
    }
done:
    free(ct);
    free(sec);
    free(vf);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* ------------------------------------------------------------------ extract */
const char *const EXTRACT_HELP =
    "usage: wiot extract [-t TABLE] --source SPEC [--to COUNTRIES] [-o FILE] [--top K]\n"
    "                    [--threads N]\n"
    "Hypothetical extraction (kernel/METHODS.md §5): the source stops supplying buyers\n"
    "(without --to: every buyer abroad, i.e. its exports; with --to: every buyer in\n"
    "those countries, domestic ones included); output lost, millions of USD, by\n"
    "country and country-sector, three ways:\n"
    "  upstream     Leontief, the source's intermediate sales removed (A*, x* = L* f):\n"
    "               its lost sales and everything upstream that fed them\n"
    "  +final       the same with its sales to final users in those countries removed\n"
    "  downstream   Ghosh, the buyers lose the inputs (B*, x*^T = v^T G*): output lost\n"
    "               by everyone downstream (forward exposure, not a behavioural model)\n"
    "Small sources reuse the LU by a rank-k Woodbury update (k = source country-\n"
    "sectors); sources above n/3 country-sectors refactor (2n^3/3 flops).\n"
    "  --source SPEC  COUNTRIES[:SECTORS] as for wiot content (e.g. CHN, CHN:c14, EU27)\n"
    "  --to C       buyers' countries (codes, groups, *, !exclusions; ',' or ';')\n"
    "  -o FILE      CSV per country-sector: country,sector,output,lost,lost_with_final,\n"
    "               lost_ghosh\n"
    "  --top K      countries and country-sectors in the summary (default 10)\n"
    "  --extensions-fd FILE  with --extensions: direct final-demand stressors (wiot footprint)\n"
    "  --extension NAME [--extensions FILE]  also the stressor lost with the output (jobs,\n"
    "               CO2, ...; '*' all), by country (file layouts: wiot footprint --help)\n";

typedef struct extract_csv {
    const wiot_table *t;
    const double *lost, *lf, *lg;
} extract_csv;

static int write_extract(FILE *f, void *ud)
{
    const extract_csv *e = ud;
    const size_t n = wiot_table_n(e->t), S = wiot_table_sectors(e->t);
    const double *x = wiot_table_x(e->t);
    fputs("country,sector,output,lost,lost_with_final,lost_ghosh\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,%s,%s,%s\n", wiot_table_country(e->t, i / S),
                wiot_table_sector(e->t, i % S), G(x[i]), G(e->lost[i]), G(e->lf[i]), G(e->lg[i]));
    return ferror(f) ? 1 : 0;
}

static const char *method_name(int m)
{
    return m == WIOT_METHOD_WOODBURY ? "Woodbury update of the LU" : m == WIOT_METHOD_DENSE
                                                                       ? "fresh dense LU"
                                                                       : "none";
}

int cmd_extract(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("extract", argc, argv, &o, EXTRACT_OPTS, EXTRACT_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!o.source)
        return usage_error("extract", "--source SPEC is required (e.g. --source CHN)");
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    wiot_lu *lu = NULL, *glu = NULL;
    unsigned char *mask = NULL, *cmask = NULL, *to = NULL;
    double *buf = NULL;
    size_t *idx = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL)))
        goto done;
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    mask = malloc(n);
    cmask = malloc(C);
    to = malloc(C);
    buf = malloc((3 * n + 4 * C + n) * sizeof *buf);
    idx = malloc((n > C ? n : C) * sizeof *idx);
    if (!mask || !cmask || !to || !buf || !idx) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    double *lost = buf, *lf = lost + n, *lg = lf + n, *cl = lg + n, *cf = cl + C, *cg = cf + C,
           *cx = cg + C, *key = cx + C;
    size_t k = 0;
    if ((rc = source_mask(ctx, t, o.source, mask, cmask, &k)))
        goto done;
    int flags = 0;
    if (o.to) {
        if ((rc = wiot_select_countries(ctx, t, o.to, to, NULL))) {
            rc = fail(ctx, rc);
            goto done;
        }
    } else {
        flags = WIOT_EXTRACT_FOREIGN;
    }
    wiot_info fi, gi, li, gx;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi)) ||
        (rc = wiot_lu_new(ctx, t, WIOT_GHOSH, &glu, &gi)) ||
        (rc = wiot_extract(ctx, lu, mask, o.to ? to : NULL, flags, WIOT_METHOD_NONE, lost, lf, &li)) ||
        (rc = wiot_extract(ctx, glu, mask, o.to ? to : NULL, flags, WIOT_METHOD_NONE, lg, NULL, &gx))) {
        rc = fail(ctx, rc);
        goto done;
    }
    const double *x = wiot_table_x(t);
    double tl = 0, tf = 0, tg = 0;
    memset(cl, 0, 4 * C * sizeof *cl);
    for (size_t i = 0; i < n; i++) {
        size_t c = i / S;
        cl[c] += lost[i];
        cf[c] += lf[i];
        cg[c] += lg[i];
        cx[c] += x[i];
        tl += lost[i];
        tf += lf[i];
        tg += lg[i];
    }
    char sl[256], tl_[256], lb[64], nb[128];
    country_list(t, cmask, sl, sizeof sl);
    if (o.to)
        country_list(t, to, tl_, sizeof tl_);
    printf("Hypothetical extraction of %s (%zu country-sector%s in %s), %s\n", o.source, k,
           k == 1 ? "" : "s", sl, wiot_table_name(t));
    printf("  links removed: its sales to %s%s\n", o.to ? "buyers in " : "every buyer outside its own country",
           o.to ? tl_ : " (exports)");
    if (li.method == WIOT_METHOD_WOODBURY)
        printf("  method: %s, rank %zu, both models: %.2g flops, %.4f s (a fresh LU each would "
               "cost %.2g flops)", method_name(li.method), li.rank, li.flops + gx.flops,
               li.seconds + gx.seconds, 2.0 / 3.0 * (double)n * n * n);
    else
        printf("  method: %s for each model (rank %zu > n/3 = %zu makes Woodbury dearer): %.2g "
               "flops, %.4f s", method_name(li.method), li.rank, n / 3, li.flops + gx.flops,
               li.seconds + gx.seconds);
    printf("; residual %.2g (Leontief), %.2g (Ghosh)\n", li.residual, gx.residual);
    printf("\n  Output lost, millions of USD (%% of the country's output)\n");
    printf("  %-7s %16s %8s %16s %8s %16s %8s\n", "", "upstream", "%", "upstream+final", "%",
           "downstream", "%");
    printf("  %-7s %16.1f %8s %16.1f %8s %16.1f %8s\n", "world", tl, "", tf, "", tg, "");
    /* a source of a few countries: its rows first, then the others ranked; a group
     * or every country: all countries ranked */
    size_t nsc = 0;
    for (size_t c = 0; c < C; c++)
        nsc += cmask[c] != 0;
    const int few = nsc <= 5 && nsc < C;
#define ROW(c)                                                                                 \
    printf("  %-7s %16.1f %8.3f %16.1f %8.3f %16.1f %8.3f\n", wiot_table_country(t, c), cl[c],   \
           cx[c] > 0 ? 100 * cl[c] / cx[c] : 0.0, cf[c], cx[c] > 0 ? 100 * cf[c] / cx[c] : 0.0, cg[c], \
           cx[c] > 0 ? 100 * cg[c] / cx[c] : 0.0)
    if (few)
        for (size_t c = 0; c < C; c++)
            if (cmask[c])
                ROW(c);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t c = 0; c < C; c++)
            key[c] = few && cmask[c] ? -INFINITY : pass == 0 ? cf[c] : cg[c];
        sort_desc(idx, C, key);
        printf("  %s, most affected %s:\n", few ? "other countries" : "countries",
               pass == 0 ? "(upstream+final)" : "downstream (Ghosh)");
        for (size_t r = 0; r < C && r < (size_t)o.top && key[idx[r]] > -INFINITY; r++)
            ROW(idx[r]);
    }
#undef ROW
    for (size_t i = 0; i < n; i++)
        key[i] = (nsc == C ? mask[i] : cmask[i / S]) ? -INFINITY : lf[i];
    sort_desc(idx, n, key);
    if (nsc == C)
        printf("\n  Country-sectors outside the source losing most (upstream+final), millions\n");
    else
        printf("\n  Country-sectors outside %s losing most (upstream+final), millions\n", sl);
    for (size_t r = 0; r < n && r < (size_t)o.top && key[idx[r]] > -INFINITY; r++) {
        size_t i = idx[r];
        printf("    %-10s %-40.40s %12.1f (%6.2f %%)\n", label(t, i, lb, sizeof lb),
               sname(t, i, nb, sizeof nb), lf[i], x[i] > 0 ? 100 * lf[i] / x[i] : 0.0);
    }
    printf("\n  factorizations: Leontief %.3f s, Ghosh %.3f s\n", fi.seconds, gi.seconds);
    if ((o.extension || o.extensions) && (rc = ext_extract_report(ctx, &o, t, lost, lf, lg)))
        goto done;   /* cli_footprint.c */
    if (o.out) {
        extract_csv ec = {t, lost, lf, lg};
        if (write_atomic(o.out, write_extract, &ec))
            rc = 1;
        else
            printf("wrote %s\n", o.out);
        rc = rc ? rc : cli_report(&o, "extract", argc, argv);
    }
done:
    free(mask);
    free(cmask);
    free(to);
    free(buf);
    free(idx);
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}
