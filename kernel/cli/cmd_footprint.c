/* cli_footprint.c -- `wiot footprint` and `wiot multipliers --extension`: satellite
 * accounts through the public API (wiot_extension_load, wiot_footprint,
 * wiot_footprint_sectors, wiot_ext_multipliers). Summaries on the terminal, full
 * results as tidy CSV through the atomic writer. */
#define _GNU_SOURCE
#include "cli.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* the options footprint accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const FOOT_OPTS = ",t,o,threads,top,quiet,extensions,extensions-fd,extension,by-sector,by-category,";
const char *const FOOT_HELP =
    "usage: wiot footprint [-t TABLE] [--extensions FILE [--extensions-fd FILE]]\n"
    "                      [--extension NAME] [--by-sector | --by-category] [-o FILE]\n"
    "                      [--top K] [--threads N]\n"
    "Satellite accounts (jobs, wages, taxes, CO2, ...; METHODS.md §8, pymrio's names):\n"
    "with S = F diag(x)^-1 and X = L Y (Y: each country's final demand),\n"
    "  D_cba  consumption-based footprint of a country's final demand (+ its F_Y)\n"
    "  D_pba  production-based (territorial) account (+ its F_Y)\n"
    "  D_imp  embodied in the country's imports: stressors abroad for its final demand\n"
    "  D_exp  embodied in its exports: its stressors for final demand abroad\n"
    "world D_cba = world D_pba; D_cba - D_imp = D_pba - D_exp.\n"
    "  --extensions FILE   the stressors F (stressors x country-sectors), as CSV:\n"
    "               wide:  name,unit,<COUNTRY_SECTOR>...  one line per stressor\n"
    "               tidy:  stressor,unit,country,sector,value  one line per entry\n"
    "             or an EXIOBASE 3 directory/zip (satellite/, or name .../impacts), or\n"
    "             a directory/zip with Eora26's labels_Q.txt, *_Q.txt [, *_QY.txt].\n"
    "             Without it: the EXIOBASE or Eora26 table's own satellites, else its\n"
    "             primary-input rows (ICIO TAXSUB/VALU, WIOD 2016 ... VA; the wide CSV\n"
    "             layout: value added VA)\n"
    "  --extensions-fd FILE  direct final-demand stressors F_Y (households' own CO2):\n"
    "             wide with COUNTRY_CATEGORY labels, or tidy with header\n"
    "             stressor,unit,country,category,value\n"
    "  --extension NAME  one stressor only\n"
    "  -o FILE    CSV: stressor,unit,country,account,value (account D_cba, D_pba, D_imp,\n"
    "             D_exp; in the stressor's unit)\n"
    "  --by-sector    -o writes pymrio's sector accounts instead (F_Y not included):\n"
    "             stressor,unit,country,sector,account,value; for D_cba and D_imp the\n"
    "             country consumes and the sector is the product bought, for D_pba and\n"
    "             D_exp the country-sector produces\n"
    "  --by-category  -o writes D_cba by final-demand category (F_Y included):\n"
    "             stressor,unit,country,category,value\n"
    "  --top K    countries in the summary, by D_cba (default 10)\n"
    "  --quiet    no summary (with -o: only the file)\n";

/* A CSV field: quoted when it holds ',', '"' or a line break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The extension of o (--extensions, the provider's block, or the table's inputs),
 * narrowed to --extension NAME ('*': all). Prints and returns 1 on error. */
static int get_extension(wiot_ctx *ctx, const opts *o, const wiot_table *t, const char *cmd,
                         wiot_extension **out)
{
    wiot_extension *e = NULL;
    int rc;
    if (o->extensions_fd && !o->extensions)
        return usage_error(cmd, "--extensions-fd needs --extensions FILE");
    if (o->extensions)
        rc = wiot_extension_load(ctx, t, o->extensions, o->extensions_fd, &e);
    else {
        /* a provider's own satellites beside the table (EXIOBASE satellite/, Eora26
         * labels_Q.txt), else its primary-input rows */
        const char *src = wiot_table_source(t);
        rc = WIOT_ENOTFOUND;
        if (o->table && src && (!strncmp(src, "EXIOBASE", 8) || !strncmp(src, "Eora26", 6)))
            rc = wiot_extension_load(ctx, t, o->table, NULL, &e);
        if (rc == WIOT_ENOTFOUND)
            rc = wiot_extension_from_inputs(ctx, t, &e);
    }
    if (rc)
        return fail(ctx, rc);
    if (o->extension && strcmp(o->extension, "*")) {
        wiot_extension *one = NULL;
        rc = wiot_extension_select(ctx, e, o->extension, &one);
        wiot_extension_free(e);
        if (rc)
            return fail(ctx, rc);
        e = one;
    }
    *out = e;
    return 0;
}

typedef struct foot_csv {
    const wiot_table *t;
    const wiot_extension *e;
    const double *v;          /* acc, D or cat */
    int mode;                 /* 0 accounts, 1 by sector, 2 by category */
} foot_csv;

static const char *ACC[4] = {"D_cba", "D_pba", "D_imp", "D_exp"};

static int write_foot(FILE *f, void *ud)
{
    const foot_csv *c = ud;
    const size_t p = wiot_extension_stressors(c->e), C = wiot_table_countries(c->t);
    const size_t S = wiot_table_sectors(c->t), K = wiot_table_fd_categories(c->t), n = C * S;
    fputs(c->mode == 0 ? "stressor,unit,country,account,value\n"
          : c->mode == 1 ? "stressor,unit,country,sector,account,value\n"
                         : "stressor,unit,country,category,value\n", f);
    for (size_t k = 0; k < p; k++) {
        for (size_t r = 0; r < (c->mode == 1 ? n : C); r++) {
            const size_t inner = c->mode == 2 ? K : 1;
            for (size_t q = 0; q < (c->mode == 2 ? K : 4); q++) {
                csv_field(f, wiot_extension_stressor(c->e, k));
                fputc(',', f);
                csv_field(f, wiot_extension_unit(c->e, k));
                if (c->mode == 0)
                    fprintf(f, ",%s,%s,%.10g\n", wiot_table_country(c->t, r), ACC[q],
                            c->v[k + (q * C + r) * p]);
                else if (c->mode == 1)
                    fprintf(f, ",%s,%s,%s,%.10g\n", wiot_table_country(c->t, r / S), wiot_table_sector(c->t, r % S),
                            ACC[q], c->v[k + (q * n + r) * p]);
                else
                    fprintf(f, ",%s,%s,%.10g\n", wiot_table_country(c->t, r), wiot_table_fd_category(c->t, q),
                            c->v[k + (r * inner + q) * p]);
            }
        }
    }
    return ferror(f) ? 1 : 0;
}

int cmd_footprint(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("footprint", argc, argv, &o, FOOT_OPTS,
                        FOOT_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (o.by_sector && o.by_category)
        return usage_error("footprint", "--by-sector and --by-category exclude each other");
    if ((o.by_sector || o.by_category) && !o.out)
        return usage_error("footprint", "--%s changes what -o FILE writes; give -o FILE",
                           o.by_sector ? "by-sector" : "by-category");
    double t0 = now(), lsecs = 0;
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, &lsecs))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    wiot_extension *e = NULL;
    wiot_lu *lu = NULL;
    double *acc = NULL, *extra = NULL, *key = NULL;
    size_t *idx = NULL;
    if ((rc = get_extension(ctx, &o, t, "footprint", &e)))
        goto done;
    const size_t p = wiot_extension_stressors(e), C = wiot_table_countries(t), n = wiot_table_n(t);
    const size_t K = wiot_table_fd_categories(t);
    acc = malloc(p * 4 * C * sizeof *acc);
    idx = malloc((C + 1) * sizeof *idx);
    key = malloc((C + 1) * sizeof *key);
    if (o.by_sector)
        extra = malloc(p * 4 * n * sizeof *extra + 1);
    else if (o.by_category)
        extra = malloc(p * C * K * sizeof *extra + 1);
    if (!acc || !idx || !key || ((o.by_sector || o.by_category) && !extra)) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    wiot_info fi, ai;
    double f0 = now();
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi)) ||
        (rc = wiot_footprint(ctx, lu, e, acc, p, o.by_category ? extra : NULL, p, &ai)) ||
        (o.by_sector && (rc = wiot_footprint_sectors(ctx, lu, e, extra, p, NULL)))) {
        rc = fail(ctx, rc);
        goto done;
    }
    double fsecs = now() - f0;
    if (!o.quiet) {
        printf("Footprints of %s on %s (%zu stressor%s)\n", wiot_extension_source(e), wiot_table_name(t), p,
               p == 1 ? "" : "s");
        size_t top = (size_t)o.top < C ? (size_t)o.top : C;
        for (size_t k = 0; k < p; k++) {
            double w[4] = {0};
            for (size_t c = 0; c < C; c++) {
                key[c] = acc[k + (WIOT_D_CBA * C + c) * p];
                for (int a = 0; a < 4; a++)
                    w[a] += acc[k + (a * C + c) * p];
            }
            sort_desc(idx, C, key);
            printf("\n%s [%s]: top %zu of %zu countries by D_cba\n", wiot_extension_stressor(e, k),
                   wiot_extension_unit(e, k), top, C);
            printf("  %-8s %15s %15s %15s %15s\n", "country", "D_cba", "D_pba", "D_imp", "D_exp");
            for (size_t q = 0; q < top; q++) {
                size_t c = idx[q];
                printf("  %-8s %15.6g %15.6g %15.6g %15.6g\n", wiot_table_country(t, c),
                       acc[k + (WIOT_D_CBA * C + c) * p], acc[k + (WIOT_D_PBA * C + c) * p],
                       acc[k + (WIOT_D_IMP * C + c) * p], acc[k + (WIOT_D_EXP * C + c) * p]);
            }
            printf("  %-8s %15.6g %15.6g %15.6g %15.6g\n", "world", w[0], w[1], w[2], w[3]);
        }
    }
    if (o.out) {
        foot_csv fc = {t, e, o.by_sector || o.by_category ? extra : acc, o.by_sector ? 1 : o.by_category ? 2 : 0};
        if (write_atomic(o.out, write_foot, &fc)) {
            rc = 1;
            goto done;
        }
        if (!o.quiet)
            printf("\nwrote %s\n", o.out);
    }
    if (!o.quiet)
        printf("\nTiming: load %.3f s, factorization and accounts %.3f s (solve residual %.2g); total %.3f s; "
               "threads %d, BLAS core %s\n", lsecs, fsecs, ai.residual, now() - t0,
               o.threads > 0 ? o.threads : omp_get_max_threads(), openblas_get_corename());
done:
    free(acc);
    free(key);
    free(extra);
    free(idx);
    wiot_lu_free(lu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* ------------------------------------------------- wiot multipliers --extension */
typedef struct emult_csv {
    const wiot_table *t;
    const wiot_extension *e;
    const double *S, *M, *Md;
} emult_csv;

static int write_emult(FILE *f, void *ud)
{
    const emult_csv *c = ud;
    const size_t p = wiot_extension_stressors(c->e), n = wiot_table_n(c->t), S = wiot_table_sectors(c->t);
    fputs("stressor,unit,country,sector,intensity,multiplier,downstream\n", f);
    for (size_t k = 0; k < p; k++)
        for (size_t j = 0; j < n; j++) {
            csv_field(f, wiot_extension_stressor(c->e, k));
            fputc(',', f);
            csv_field(f, wiot_extension_unit(c->e, k));
            fprintf(f, ",%s,%s,%.10g,%.10g,%.10g\n", wiot_table_country(c->t, j / S), wiot_table_sector(c->t, j % S),
                    c->S[k + j * p], c->M[k + j * p], c->Md[k + j * p]);
        }
    return ferror(f) ? 1 : 0;
}

int ext_multipliers(const opts *o)
{
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    int rc;
    if ((rc = make_ctx(o, &ctx)) || (rc = load_table(ctx, o, &t, NULL))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    wiot_extension *e = NULL;
    wiot_lu *lu = NULL, *glu = NULL;
    double *buf = NULL;
    size_t *idx = NULL;
    if ((rc = get_extension(ctx, o, t, "multipliers", &e)))
        goto done;
    const size_t p = wiot_extension_stressors(e), n = wiot_table_n(t), Sn = wiot_table_sectors(t);
    buf = malloc((3 * p * n + 2 * n + 1) * sizeof *buf);
    idx = malloc((n + 1) * sizeof *idx);
    if (!buf || !idx) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    double *S = buf, *M = S + p * n, *Md = M + p * n, *key = Md + p * n;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL)) || (rc = wiot_lu_new(ctx, t, WIOT_GHOSH, &glu, NULL)) ||
        (rc = wiot_ext_intensities(ctx, t, e, S, p)) || (rc = wiot_ext_multipliers(ctx, lu, e, M, p, NULL)) ||
        (rc = wiot_ext_multipliers(ctx, glu, e, Md, p, NULL))) {
        rc = fail(ctx, rc);
        goto done;
    }
    size_t top = (size_t)o->top < n ? (size_t)o->top : n;
    for (size_t k = 0; k < p; k++) {
        for (size_t j = 0; j < n; j++)
            key[j] = M[k + j * p];
        sort_desc(idx, n, key);
        printf("%sMultipliers of %s [%s; output in %s] on %s (top %zu of %zu)\n", k ? "\n" : "",
               wiot_extension_stressor(e, k), wiot_extension_unit(e, k), wiot_table_units(t), wiot_table_name(t), top, n);
        printf("  %-24s %14s %14s %14s\n", "country-sector", "intensity S", "multiplier M", "downstream");
        for (size_t q = 0; q < top; q++) {
            size_t j = idx[q];
            char label[64];
            snprintf(label, sizeof label, "%s_%s", wiot_table_country(t, j / Sn), wiot_table_sector(t, j % Sn));
            printf("  %-24.24s %14.6g %14.6g %14.6g\n", label, S[k + j * p], M[k + j * p], Md[k + j * p]);
        }
    }
    if (o->out) {
        emult_csv mc = {t, e, S, M, Md};
        if (write_atomic(o->out, write_emult, &mc))
            rc = 1;
        else
            printf("wrote %s\n", o->out);
    }
done:
    free(buf);
    free(idx);
    wiot_lu_free(lu);
    wiot_lu_free(glu);
    wiot_extension_free(e);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* ------------------------------------- wiot tariff / extract --extension */
/* Each country's total of each stressor (sum of F over its sectors): tot[p x C]. */
static void country_totals(const wiot_table *t, const wiot_extension *e, double *tot)
{
    const size_t p = wiot_extension_stressors(e), n = wiot_table_n(t), S = wiot_table_sectors(t);
    const double *F = wiot_extension_F(e);
    memset(tot, 0, p * wiot_table_countries(t) * sizeof *tot);
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < p; k++)
            tot[k + (j / S) * p] += F[k + j * p];
}

/* rows: country, value, % of the country's total; the top K by value */
static void print_by_country(const wiot_table *t, const wiot_extension *e, size_t k, const double *v, size_t ldv,
                             const double *tot, size_t top, size_t *idx, double *key)
{
    const size_t C = wiot_table_countries(t), p = wiot_extension_stressors(e);
    double w = 0;
    for (size_t c = 0; c < C; c++) {
        key[c] = v[k + c * ldv];
        w += key[c];
    }
    sort_desc(idx, C, key);
    printf("  %s [%s]: %.6g in all; where it occurs (%% of the country's own total):\n",
           wiot_extension_stressor(e, k), wiot_extension_unit(e, k), w);
    for (size_t q = 0; q < top && q < C; q++) {
        size_t c = idx[q];
        double tc = tot[k + c * p];
        printf("    %-8s %15.6g  (%7.3f %%)\n", wiot_table_country(t, c), key[c], tc != 0 ? 100 * key[c] / tc : 0.0);
    }
}

int ext_tariff_report(wiot_ctx *ctx, const opts *o, const wiot_table *t, const wiot_lu *lu, const wiot_schedule *s,
                      const char *name)
{
    wiot_extension *e = NULL;
    int rc = get_extension(ctx, o, t, "tariff", &e);
    if (rc)
        return rc;
    const size_t p = wiot_extension_stressors(e), n = wiot_table_n(t), C = wiot_table_countries(t);
    const size_t S = wiot_table_sectors(t), K = wiot_table_fd_categories(t);
    double *b = calloc(n + 1, sizeof *b), *E = malloc((p * C + 1) * sizeof *E), *tot = malloc((p * C + 1) * sizeof *tot);
    double *key = malloc((C + 1) * sizeof *key);
    size_t *idx = malloc((C + 1) * sizeof *idx);
    if (!b || !E || !tot || !key || !idx) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    /* the taxed imports at baseline values: rows i of exporters importer d taxes */
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t);
    double taxed = 0;
    for (size_t d = 0; d < C; d++)
        for (size_t i = 0; i < n; i++) {
            if (i / S == d || !(wiot_schedule_get(s, d, i / S, i % S) > 0))
                continue;
            double f = 0;
            for (size_t j = d * S; j < (d + 1) * S; j++)
                f += Z[i + j * n];
            for (size_t q = 0; q < K; q++)
                f += F[i + (d * K + q) * n];
            b[i] += f;
            taxed += f;
        }
    if ((rc = wiot_ext_embodied(ctx, lu, e, b, 1, n, E, p, NULL))) {
        rc = fail(ctx, rc);
        goto done;
    }
    country_totals(t, e, tot);
    printf("Embodied in the imports scenario %s taxes (%.6g %s, intermediate and final, at baseline values):\n",
           name, taxed, wiot_table_units(t));
    size_t top = (size_t)o->top;
    for (size_t k = 0; k < p; k++)
        print_by_country(t, e, k, E, p, tot, top, idx, key);
    printf("\n");
done:
    free(b);
    free(E);
    free(tot);
    free(key);
    free(idx);
    wiot_extension_free(e);
    return rc;
}

int ext_extract_report(wiot_ctx *ctx, const opts *o, const wiot_table *t, const double *lost,
                       const double *lost_final, const double *lost_ghosh)
{
    wiot_extension *e = NULL;
    int rc = get_extension(ctx, o, t, "extract", &e);
    if (rc)
        return rc;
    const size_t p = wiot_extension_stressors(e), n = wiot_table_n(t), C = wiot_table_countries(t);
    const size_t S = wiot_table_sectors(t);
    double *Sx = malloc((p * n + 1) * sizeof *Sx), *v = calloc(3 * p * C + 1, sizeof *v);
    double *tot = malloc((p * C + 1) * sizeof *tot), *key = malloc((C + 1) * sizeof *key);
    size_t *idx = malloc((C + 1) * sizeof *idx);
    if (!Sx || !v || !tot || !key || !idx) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    if ((rc = wiot_ext_intensities(ctx, t, e, Sx, p))) {
        rc = fail(ctx, rc);
        goto done;
    }
    const double *l3[3] = {lost, lost_final, lost_ghosh};
    for (int m = 0; m < 3; m++)
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < p; k++)
                v[m * p * C + k + (i / S) * p] += Sx[k + i * p] * l3[m][i];
    country_totals(t, e, tot);
    static const char *what[3] = {"upstream", "upstream+final", "downstream (Ghosh)"};
    printf("\n  Stressors lost with the output (s_i x output lost, by country)\n");
    for (int m = 1; m < 3; m++) {
        printf("  %s:\n", what[m]);
        for (size_t k = 0; k < p; k++)
            print_by_country(t, e, k, v + m * p * C, p, tot, (size_t)o->top, idx, key);
    }
done:
    free(Sx);
    free(v);
    free(tot);
    free(key);
    free(idx);
    wiot_extension_free(e);
    return rc;
}

/* ------------------------------------------------------ wiot content --extension */
int ext_content_report(wiot_ctx *ctx, const opts *o, const wiot_table *t, const wiot_lu *lu,
                       const unsigned char *mask)
{
    wiot_extension *e = NULL, *src = NULL;
    int rc = get_extension(ctx, o, t, "content", &e);
    if (rc)
        return rc;
    const size_t p = wiot_extension_stressors(e), n = wiot_table_n(t), S = wiot_table_sectors(t);
    double *F = malloc((p * n + 1) * sizeof *F), *M = malloc((p * n + 1) * sizeof *M);
    double *key = malloc((n + 1) * sizeof *key);
    size_t *idx = malloc((n + 1) * sizeof *idx);
    const char **nm = malloc((p + 1) * sizeof *nm), **un = malloc((p + 1) * sizeof *un);
    if (!F || !M || !key || !idx || !nm || !un) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    /* the stressors of the source only: M[k, j] = sum_{i in source} S[k,i] L[i,j] */
    const double *F0 = wiot_extension_F(e);
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < p; k++)
            F[k + j * p] = mask[j] ? F0[k + j * p] : 0.0;
    for (size_t k = 0; k < p; k++) {
        nm[k] = wiot_extension_stressor(e, k);
        un[k] = wiot_extension_unit(e, k);
    }
    if ((rc = wiot_extension_new(ctx, t, p, nm, un, F, p, NULL, 0, &src)) ||
        (rc = wiot_ext_multipliers(ctx, lu, src, M, p, NULL))) {
        rc = fail(ctx, rc);
        goto done;
    }
    size_t top = (size_t)o->top < n ? (size_t)o->top : n;
    for (size_t k = 0; k < p; k++) {
        for (size_t j = 0; j < n; j++)
            key[j] = M[k + j * p];
        sort_desc(idx, n, key);
        printf("\n  %s of %s origin embodied per unit of final demand [%s per %s], highest:\n",
               wiot_extension_stressor(e, k), o->source, wiot_extension_unit(e, k), wiot_table_units(t));
        for (size_t q = 0; q < top; q++) {
            size_t j = idx[q];
            char label[64];
            snprintf(label, sizeof label, "%s_%s", wiot_table_country(t, j / S), wiot_table_sector(t, j % S));
            printf("    %-24.24s %14.6g\n", label, key[j]);
        }
    }
done:
    free(F);
    free(M);
    free(key);
    free(idx);
    free(nm);
    free(un);
    wiot_extension_free(src);
    wiot_extension_free(e);
    return rc;
}
