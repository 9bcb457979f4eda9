/* cli_gvc.c -- `wiot gvc kww|wwz|bm|position|trade`: value-chain decompositions
 * through the public API (wiot_gvc_*). Tidy CSV files (written atomically, with a
 * run record FILE.run beside them), a summary on the terminal. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GVC_MAXT 64

/* the options gvc accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const GVC_OPTS = ",t,o,threads,top,quiet,years,by-sector,reported-go,";
const char *const GVC_HELP =
    "usage: wiot gvc kww|wwz|bm|position|trade [-t TABLE | --years Y] [-o FILE] [--by-sector]\n"
    "                [--reported-go] [--top K] [--threads N] [--quiet]\n"
    "Value-chain decompositions of gross exports and positions in value chains\n"
    "(METHODS.md §7). Money in the table's units (WIOD: millions of current USD).\n"
    "  kww       Koopman, Wang & Wei (2014): each country's gross exports as nine terms\n"
    "            (DVA_FIN DVA_INT DVA_INTrex RDV_FIN RDV_INT DDC FVA_FIN FVA_INT FDC).\n"
    "            CSV: exporter,term,name,value_musd; --by-sector: exporter,exp_sector,term,\n"
    "            name,value_musd (the WWZ terms summed over importers)\n"
    "  wwz       Wang, Wei & Zhu (2013): every bilateral flow of a country-sector to an\n"
    "            importer as sixteen terms, numbered as in the paper. CSV: exporter,\n"
    "            exp_sector,importer,term,name,value_musd\n"
    "  bm        Borin & Mancini (2023), exporting-country perspective: source-based DAVAX,\n"
    "            VAX, REF, DVA, DDC, FVA, FDC, GVC (trade crossing at least two borders),\n"
    "            GVCB, GVCF, and sink-based DVA/DDC/FVA/FDC_sink. CSV: exporter,exp_sector,\n"
    "            importer,item,value_musd\n"
    "  position  per country-sector: upstreamness, downstreamness, value added and final\n"
    "            goods split into domestic, traditional-trade and simple/complex GVC parts,\n"
    "            GVC participation and production lengths (Antras et al. 2012; Wang, Wei,\n"
    "            Yu & Zhu 2017). CSV: country,sector,upstream,downstream,va_d,va_rt,\n"
    "            va_gvc_s,va_gvc_c,y_d,y_rt,y_gvc_s,y_gvc_c,gvc_fwd,gvc_bwd,plv_gvc,ply_gvc\n"
    "  trade     bilateral gross trade: exporter,exp_sector,importer,intermediate_musd,\n"
    "            final_musd,gross_musd, then va_<ORIGIN>_musd for every origin country\n"
    "  -t TABLE  a table (default: the embedded WIOD 2013 table of 2011)\n"
    "  --years Y FROM:TO or a comma list of WIOD 2013 years (or of table files): the CSV\n"
    "            gets a leading year column\n"
    "  -o FILE   the CSV; FILE.run gets the run record (table, output used, residuals); for\n"
    "            kww (not --by-sector) and position also the charts: F.html and F_*.svg\n"
    "            beside F.csv (--no-report: none)\n"
    "  --reported-go  use the table's reported gross output instead of x = Z 1 + F 1\n"
    "            (the default, so that every identity holds; WIOD's reported GO differs\n"
    "            by up to 108 and the terms then miss small flows by up to ~10 %)\n"
    "  --top K   rows in the summary (default 10)\n";

enum { SUB_KWW, SUB_WWZ, SUB_BM, SUB_POS, SUB_TRADE };
static const char *const SUBS[] = {"kww", "wwz", "bm", "position", "trade"};

/* v with 10 significant digits, as printf's "%.10g" writes it (fixed notation for
 * exponents -5..9, else d.ddde+XX; trailing zeros dropped), without printf's per-call
 * cost: the WWZ file has 918,400 numbers. The digits come from one multiplication
 * by an exact power of ten and a rounding to even, so a value within an ulp of a half-way
 * point may differ from printf in the 10th digit; values outside the fast range go
 * through snprintf. Zero (also -0) is written "0". */
static int fmt_num(char *b, double v)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (v == 0) {
        b[0] = '0';   /* also for -0 */
        return 1;
    }
    double a = fabs(v);
    int e = (int)floor(log10(a));
    if (!isfinite(v) || e < -5 || e > 9 || 9 - e > 22) {
        return snprintf(b, 32, "%.10g", v);
    }
    long long m = llrint(a * p10[9 - e]);
    if (m >= 10000000000LL) {   /* log10 rounded down past a power of ten */
        e++;
        if (e > 9) {
            return snprintf(b, 32, "%.10g", v);
        }
        m = llrint(a * p10[9 - e]);
    } else if (m < 1000000000LL) {
        e--;
        if (e < -5 || 9 - e > 22) {
            return snprintf(b, 32, "%.10g", v);
        }
        m = llrint(a * p10[9 - e]);
    }
    if (e < -4) {   /* %g switches to exponent form below 1e-4 */
        return snprintf(b, 32, "%.10g", v);
    }
    char d[10];
    for (int k = 9; k >= 0; k--, m /= 10)
        d[k] = (char)('0' + m % 10);
    int last = 9;
    while (last > 0 && d[last] == '0')
        last--;
    char *o = b;
    if (v < 0)
        *o++ = '-';
    if (e >= 0) {               /* integer part: digits 0..e */
        for (int k = 0; k <= e; k++)
            *o++ = d[k];
        if (last > e) {
            *o++ = '.';
            for (int k = e + 1; k <= last; k++)
                *o++ = d[k];
        }
    } else {                    /* 0.000ddd */
        *o++ = '0';
        *o++ = '.';
        for (int k = 0; k < -e - 1; k++)
            *o++ = '0';
        for (int k = 0; k <= last; k++)
            *o++ = d[k];
    }
    return (int)(o - b);
}

static void put_num(FILE *f, double v)
{
    char b[40];
    fwrite(b, 1, (size_t)fmt_num(b, v), f);
}

typedef struct gvc_run {
    wiot_table *t;
    wiot_gvc *g;
    int year;
    double *a, *b;      /* results (sub-command specific) */
    double resid, secs;
    size_t ld;
} gvc_run;

typedef struct gvc_out {
    int sub, by_sector, with_year, nruns;
    gvc_run *runs;
} gvc_out;

static void put_year(FILE *f, const gvc_out *o, const gvc_run *r)
{
    if (o->with_year)
        fprintf(f, "%d,", r->year);
}

static int write_gvc(FILE *f, void *ud)
{
    const gvc_out *o = ud;
    const char *yc = o->with_year ? "year," : "";
    switch (o->sub) {
    case SUB_KWW:
        fprintf(f, "%sexporter,%sterm,name,value_musd\n", yc, o->by_sector ? "exp_sector," : "");
        break;
    case SUB_WWZ: fprintf(f, "%sexporter,exp_sector,importer,term,name,value_musd\n", yc); break;
    case SUB_BM: fprintf(f, "%sexporter,exp_sector,importer,item,value_musd\n", yc); break;
    case SUB_POS:
        fprintf(f, "%scountry,sector", yc);
        for (int q = 0; q < WIOT_POS_NITEMS; q++)
            fprintf(f, ",%s", wiot_pos_name(q));
        fputc('\n', f);
        break;
    case SUB_TRADE: {
        const wiot_table *t = o->runs[0].t;
        fprintf(f, "%sexporter,exp_sector,importer,intermediate_musd,final_musd,gross_musd", yc);
        for (size_t c = 0; c < wiot_table_countries(t); c++)
            fprintf(f, ",va_%s_musd", wiot_table_country(t, c));
        fputc('\n', f);
        break;
    }
    }
    for (int y = 0; y < o->nruns; y++) {
        const gvc_run *r = &o->runs[y];
        const wiot_table *t = r->t;
        const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
        if (o->sub == SUB_KWW && !o->by_sector) {
            for (size_t s = 0; s < C; s++)
                for (int q = 1; q <= WIOT_KWW_NTERMS; q++) {
                    put_year(f, o, r);
                    fprintf(f, "%s,%d,%s,", wiot_table_country(t, s), q, wiot_kww_name(q));
                    put_num(f, r->a[s + (size_t)(q - 1) * C]);
                    fputc('\n', f);
                }
        } else if (o->sub == SUB_KWW) {
            for (size_t j = 0; j < n; j++)
                for (int q = 1; q <= WIOT_KWW_NTERMS; q++) {
                    put_year(f, o, r);
                    fprintf(f, "%s,%s,%d,%s,", wiot_table_country(t, j / S), wiot_table_sector(t, j % S), q,
                            wiot_kww_name(q));
                    put_num(f, r->b[j + (size_t)(q - 1) * n]);
                    fputc('\n', f);
                }
        } else if (o->sub == SUB_WWZ || o->sub == SUB_BM) {
            /* 918,400 rows for WIOD: each line is assembled in a buffer and written
             * with one fwrite (printf's format parsing was a third of the time) */
            const int nt = o->sub == SUB_WWZ ? WIOT_WWZ_NTERMS : WIOT_BM_NITEMS;
            char term[WIOT_WWZ_NTERMS + WIOT_BM_NITEMS][40];
            size_t tl[WIOT_WWZ_NTERMS + WIOT_BM_NITEMS];
            for (int q = 0; q < nt; q++)
                tl[q] = (size_t)(o->sub == SUB_WWZ ? snprintf(term[q], sizeof term[q], ",%d,%s,", q + 1, wiot_wwz_name(q + 1))
                                                   : snprintf(term[q], sizeof term[q], ",%s,", wiot_bm_name(q)));
            char line[1024];
            for (size_t j = 0; j < n; j++) {
                size_t pl = 0;
                if (o->with_year)
                    pl = (size_t)snprintf(line, 32, "%d,", r->year);
                pl += (size_t)snprintf(line + pl, 512, "%s,%s,", wiot_table_country(t, j / S), wiot_table_sector(t, j % S));
                for (size_t rr = 0; rr < C; rr++) {
                    if (rr == j / S)
                        continue;
                    const char *imp = wiot_table_country(t, rr);
                    const size_t il = strlen(imp);
                    if (pl + il + 128 > sizeof line)
                        continue;   /* codes are short; never for a loaded table */
                    memcpy(line + pl, imp, il);
                    for (int q = 0; q < nt; q++) {
                        size_t len = pl + il;
                        memcpy(line + len, term[q], tl[q]);
                        len += tl[q];
                        len += (size_t)fmt_num(line + len, r->a[j * C + rr + (size_t)q * r->ld]);
                        line[len++] = '\n';
                        fwrite(line, 1, len, f);
                    }
                }
            }
        } else if (o->sub == SUB_POS) {
            for (size_t j = 0; j < n; j++) {
                put_year(f, o, r);
                fprintf(f, "%s,%s", wiot_table_country(t, j / S), wiot_table_sector(t, j % S));
                for (int q = 0; q < WIOT_POS_NITEMS; q++) {
                    fputc(',', f);
                    put_num(f, r->a[j + (size_t)q * n]);
                }
                fputc('\n', f);
            }
        } else {
            for (size_t j = 0; j < n; j++)
                for (size_t rr = 0; rr < C; rr++) {
                    if (rr == j / S)
                        continue;
                    const size_t row = j * C + rr;
                    put_year(f, o, r);
                    fprintf(f, "%s,%s,%s,", wiot_table_country(t, j / S), wiot_table_sector(t, j % S),
                            wiot_table_country(t, rr));
                    put_num(f, r->a[row]);
                    fputc(',', f);
                    put_num(f, r->a[row + r->ld]);
                    fputc(',', f);
                    put_num(f, r->a[row] + r->a[row + r->ld]);
                    for (size_t c = 0; c < C; c++) {
                        fputc(',', f);
                        put_num(f, r->b[row + c * r->ld]);
                    }
                    fputc('\n', f);
                }
        }
    }
    return ferror(f) ? 1 : 0;
}

typedef struct rec_ctx {
    const gvc_out *o;
    const char *csv;
    int reported, threads;
} rec_ctx;

static int write_record(FILE *f, void *ud)
{
    const rec_ctx *rc = ud;
    fprintf(f, "command: wiot gvc %s%s\n", SUBS[rc->o->sub], rc->o->by_sector ? " --by-sector" : "");
    fprintf(f, "csv: %s\n", rc->csv);
    fprintf(f, "wiot: %s\n", wiot_version_string());
    fprintf(f, "gross output used: %s\n", rc->reported ? "the table's reported GO (--reported-go)"
                                                       : "x = Z 1 + F 1 (accounting-consistent, the default)");
    for (int y = 0; y < rc->o->nruns; y++) {
        const gvc_run *r = &rc->o->runs[y];
        size_t nd;
        double dv = wiot_gvc_dropped(r->g, &nd);
        fprintf(f, "table: %s (year %d, units %s): %zu rows clamped to x = 0, %zu entries (%g) of "
                   "zero-output rows dropped, %zu columns with v < 0; identity check (kww: |FDC - residual|, "
                   "wwz/bm: |sum of terms - flow|) %.3g; %.3f s\n",
                wiot_table_name(r->t), r->year, wiot_table_units(r->t), wiot_gvc_clamped(r->g), nd, dv,
                wiot_gvc_negative_va(r->g), r->resid, r->secs);
    }
    return ferror(f) ? 1 : 0;
}

/* --years: FROM:TO or a comma list of years or of files */
static int gvc_years(const char *spec, char paths[][4096], int *years, int *count)
{
    int n = 0;
    char *e;
    long a = strtol(spec, &e, 10);
    if (e != spec && *e == ':') {
        long z = strtol(e + 1, &e, 10);
        if (*e || z < a || z - a + 1 > GVC_MAXT)
            return usage_error("gvc", "--years takes FROM:TO, a comma list of years or of table files, got '%s'",
                               spec);
        for (long y = a; y <= z; y++)
            years[n++] = (int)y;
    } else {
        const char *p = spec;
        while (*p) {
            const char *q = strchr(p, ',');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            if (len == 0 || len >= 4096 || n == GVC_MAXT)
                return usage_error("gvc", "--years: bad list '%s'", spec);
            char item[4096];
            memcpy(item, p, len);
            item[len] = 0;
            long y = strtol(item, &e, 10);
            years[n] = e != item && !*e ? (int)y : 0;
            if (!years[n])
                strcpy(paths[n], item);
            n++;
            p = q ? q + 1 : p + len;
        }
    }
    for (int q = 0; q < n; q++) {
        if (!years[q])
            continue;
        char rel[64];
        snprintf(rel, sizeof rel, "wiod2013/wiot_%d.csv.gz", years[q]);
        if (data_path(rel, paths[q], 4096)) {
            fprintf(stderr, "wiot gvc: no WIOD 2013 table for %d (the release covers 1995-2011)\n", years[q]);
            return 1;
        }
    }
    *count = n;
    return 0;
}

/* the largest exporters of a run, by gross exports */
static size_t top_exporters(const gvc_run *r, size_t *idx, double *ex, size_t top)
{
    const wiot_table *t = r->t;
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    const double *Z = wiot_table_Z(t), *F = wiot_table_F(t);
    const size_t K = wiot_table_fd_categories(t);
    for (size_t c = 0; c < C; c++)
        ex[c] = 0;
    for (size_t j = 0; j < n; j++) {
        const size_t c = j / S;
        for (size_t k = 0; k < n; k++)
            if (k / S != c)
                ex[c] += Z[j + k * n];
        for (size_t q = 0; q < C * K; q++)
            if (q / K != c)
                ex[c] += F[j + q * n];
    }
    for (size_t c = 0; c < C; c++)
        idx[c] = c;
    sort_desc(idx, C, ex);
    return top < C ? top : C;
}

static void summary(const gvc_out *o, int top, int reported)
{
    const gvc_run *r = &o->runs[o->nruns - 1];
    const wiot_table *t = r->t;
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t);
    size_t *idx = malloc(C * sizeof *idx);
    double *ex = malloc(C * sizeof *ex), *agg = calloc(C * 16, sizeof *agg);
    if (!idx || !ex || !agg) {
        free(idx), free(ex), free(agg);
        return;
    }
    size_t m = top_exporters(r, idx, ex, (size_t)top);
    char chk[96] = "";
    if (o->sub == SUB_KWW)
        snprintf(chk, sizeof chk, "; FDC formula vs residual: max diff %.2g", r->resid);
    else if (o->sub == SUB_WWZ || o->sub == SUB_BM)
        snprintf(chk, sizeof chk, "; max |sum of terms - flow| = %.2g", r->resid);
    printf("%s%s, %s; gross output %s%s; %.3f s\n", wiot_table_name(t),
           o->nruns > 1 ? " (last of the years)" : "", wiot_table_units(t),
           reported ? "as reported" : "x = Z 1 + F 1", chk, r->secs);
    if (o->sub == SUB_KWW || o->sub == SUB_WWZ || o->sub == SUB_BM) {
        const int nt = o->sub == SUB_KWW ? 9 : o->sub == SUB_WWZ ? 16 : WIOT_BM_NITEMS;
        for (size_t c = 0; c < C; c++)
            for (int q = 0; q < nt; q++) {
                double s = 0;
                if (o->sub == SUB_KWW)
                    s = r->a[c + (size_t)q * C];
                else
                    for (size_t j = c * S; j < (c + 1) * S; j++)
                        for (size_t rr = 0; rr < C; rr++)
                            s += r->a[j * C + rr + (size_t)q * r->ld];
                agg[c + (size_t)q * C] = s;
            }
        printf("%s terms, %% of gross exports, the %zu largest exporters:\n%-8s %12s", SUBS[o->sub], m,
               "exporter", "exports");
        for (int q = 0; q < nt; q++) {
            if (o->sub == SUB_BM && q == WIOT_BM_EXGR)
                continue;
            char tn[8];
            snprintf(tn, sizeof tn, "T%02d", q + 1);
            const char *nm = o->sub == SUB_KWW ? wiot_kww_name(q + 1) : o->sub == SUB_WWZ ? tn : wiot_bm_name(q);
            printf(" %*s", (int)(strlen(nm) > 6 ? strlen(nm) : 6), nm);
        }
        putchar('\n');
        for (size_t k = 0; k < m; k++) {
            const size_t c = idx[k];
            printf("%-8s %12.0f", wiot_table_country(t, c), ex[c]);
            for (int q = 0; q < nt; q++) {
                if (o->sub == SUB_BM && q == WIOT_BM_EXGR)
                    continue;
                const char *nm = o->sub == SUB_KWW ? wiot_kww_name(q + 1) : o->sub == SUB_WWZ ? "T00" : wiot_bm_name(q);
                int w = o->sub == SUB_WWZ ? 6 : (int)(strlen(nm) > 6 ? strlen(nm) : 6);
                printf(" %*.2f", w, ex[c] != 0 ? 100.0 * agg[c + (size_t)q * C] / ex[c] : 0.0);
            }
            putchar('\n');
        }
        if (o->sub == SUB_WWZ) {
            printf("terms:");
            for (int q = 1; q <= 16; q++)
                printf(" T%02d %s%s", q, wiot_wwz_name(q), q % 6 == 0 ? "\n      " : "");
            putchar('\n');
        }
    } else if (o->sub == SUB_POS) {
        printf("the %zu largest exporters: value added and final goods in GVCs (%% of VA, of final "
               "output), mean upstreamness (output-weighted)\n%-8s %9s %9s %9s %9s\n", m, "country",
               "gvc_fwd", "gvc_bwd", "upstream", "downstr");
        const double *x = wiot_table_x(wiot_gvc_table(r->g)), *v = wiot_table_v(wiot_gvc_table(r->g));
        for (size_t k = 0; k < m; k++) {
            const size_t c = idx[k];
            double va = 0, vg = 0, y = 0, yg = 0, u = 0, d = 0, xs = 0;
            for (size_t j = c * S; j < (c + 1) * S; j++) {
                const double *p = r->a + j;
                va += v[j];
                vg += p[WIOT_POS_VA_GVC_S * n] + p[WIOT_POS_VA_GVC_C * n];
                double yj = p[WIOT_POS_Y_D * n] + p[WIOT_POS_Y_RT * n] + p[WIOT_POS_Y_GVC_S * n] +
                            p[WIOT_POS_Y_GVC_C * n];
                y += yj;
                yg += p[WIOT_POS_Y_GVC_S * n] + p[WIOT_POS_Y_GVC_C * n];
                u += x[j] * p[WIOT_POS_UPSTREAM * n];
                d += x[j] * p[WIOT_POS_DOWNSTREAM * n];
                xs += x[j];
            }
            printf("%-8s %9.2f %9.2f %9.3f %9.3f\n", wiot_table_country(t, c), va > 0 ? 100 * vg / va : 0,
                   y > 0 ? 100 * yg / y : 0, xs > 0 ? u / xs : 0, xs > 0 ? d / xs : 0);
        }
    } else {
        printf("the %zu largest exporters: gross exports, intermediate share, domestic VA share (%%)\n"
               "%-8s %12s %9s %9s\n", m, "exporter", "exports", "interm", "dva");
        for (size_t k = 0; k < m; k++) {
            const size_t c = idx[k];
            double e = 0, zi = 0, dv = 0;
            for (size_t j = c * S; j < (c + 1) * S; j++)
                for (size_t rr = 0; rr < C; rr++) {
                    const size_t row = j * C + rr;
                    zi += r->a[row];
                    e += r->a[row] + r->a[row + r->ld];
                    dv += r->b[row + c * r->ld];
                }
            printf("%-8s %12.0f %9.2f %9.2f\n", wiot_table_country(t, c), e, e ? 100 * zi / e : 0,
                   e ? 100 * dv / e : 0);
        }
    }
    free(idx), free(ex), free(agg);
}

int cmd_gvc(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
            fputs(GVC_HELP, stdout);
            return 0;
        }
        return usage_error("gvc", "give a decomposition: kww, wwz, bm, position or trade");
    }
    int sub = -1;
    for (int k = 0; k < 5; k++)
        if (!strcmp(argv[1], SUBS[k]))
            sub = k;
    if (sub < 0)
        return usage_error("gvc", "unknown decomposition '%s' (kww, wwz, bm, position or trade)", argv[1]);
    opts o;
    int rc = parse_opts("gvc", argc - 1, argv + 1, &o, GVC_OPTS,
                        GVC_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (o.by_sector && sub != SUB_KWW)
        return usage_error("gvc", "--by-sector applies to 'kww' only (wwz, bm and trade are by sector)");
    if (o.years && o.table)
        return usage_error("gvc", "give either -t or --years");
    static char paths[GVC_MAXT][4096];
    int years[GVC_MAXT], ntab = 1;
    if (o.years && (rc = gvc_years(o.years, paths, years, &ntab)))
        return rc;
    wiot_ctx *ctx = NULL;
    if (make_ctx(&o, &ctx))
        return 1;
    gvc_run *runs = calloc((size_t)ntab, sizeof *runs);
    int status = 0;
    if (!runs) {
        fprintf(stderr, "wiot: out of memory\n");
        wiot_ctx_free(ctx);
        return 1;
    }
    const int show = !o.quiet && isatty(2) && ntab > 1;
    const double t0 = now();
    for (int y = 0; y < ntab && !status; y++) {
        gvc_run *r = &runs[y];
        double ls;
        opts oy = o;
        if (o.years)
            oy.table = paths[y];
        if (load_table(ctx, &oy, &r->t, &ls)) {
            status = 1;
            break;
        }
        r->year = o.years && years[y] ? years[y] : wiot_table_year(r->t);
        double c0 = now();
        if ((rc = wiot_gvc_new(ctx, r->t, o.reported_go ? WIOT_GVC_REPORTED_GO : 0, &r->g))) {
            status = fail(ctx, rc);
            break;
        }
        const size_t n = wiot_table_n(r->t), C = wiot_table_countries(r->t), nC = n * C;
        wiot_info info;
        memset(&info, 0, sizeof info);
        r->ld = nC;
        switch (sub) {
        case SUB_KWW: {
            r->a = malloc(C * WIOT_KWW_NTERMS * sizeof *r->a);
            double *res = malloc(C * sizeof *res);
            r->b = o.by_sector ? malloc(n * WIOT_KWW_NTERMS * sizeof *r->b) : NULL;
            if (!r->a || !res || (o.by_sector && !r->b)) {
                free(res);
                rc = WIOT_ENOMEM;
                break;
            }
            rc = wiot_gvc_kww(ctx, r->g, r->a, C, r->b, n, res);
            for (size_t s = 0; !rc && s < C; s++) {
                double d = fabs(res[s] - r->a[s + 8 * C]);   /* FDC from its formula vs residual */
                r->resid = d > r->resid ? d : r->resid;
            }
            free(res);
            break;
        }
        case SUB_WWZ:
            if (!(r->a = malloc(nC * WIOT_WWZ_NTERMS * sizeof *r->a))) {
                rc = WIOT_ENOMEM;
                break;
            }
            rc = wiot_gvc_wwz(ctx, r->g, r->a, nC, &info);
            r->resid = info.residual;
            break;
        case SUB_BM:
            if (!(r->a = malloc(nC * WIOT_BM_NITEMS * sizeof *r->a))) {
                rc = WIOT_ENOMEM;
                break;
            }
            rc = wiot_gvc_bm(ctx, r->g, r->a, nC, &info);
            r->resid = info.residual;
            break;
        case SUB_POS:
            if (!(r->a = malloc(n * WIOT_POS_NITEMS * sizeof *r->a))) {
                rc = WIOT_ENOMEM;
                break;
            }
            rc = wiot_gvc_positions(ctx, r->g, r->a, n);
            break;
        case SUB_TRADE:
            r->a = malloc(nC * 2 * sizeof *r->a);
            r->b = malloc(nC * C * sizeof *r->b);
            if (!r->a || !r->b) {
                rc = WIOT_ENOMEM;
                break;
            }
            rc = wiot_gvc_trade(ctx, r->g, r->a, nC, r->b, nC);
            break;
        }
        if (rc == WIOT_ENOMEM && !wiot_errmsg(ctx)[0]) {
            fprintf(stderr, "wiot: out of memory\n");
            status = 1;
        } else if (rc)
            status = fail(ctx, rc);
        r->secs = now() - c0;
        if (show) {
            int w = 30, f = (int)((double)w * (y + 1) / ntab);
            fprintf(stderr, "\r[%.*s%*s] %d/%d tables, %.1f s ", f, "##############################", w - f, "",
                    y + 1, ntab, now() - t0);
            if (y + 1 == ntab)
                fputc('\n', stderr);
        }
    }
    gvc_out go = {sub, o.by_sector, o.years != NULL, ntab, runs};
    if (!status && o.out) {
        if (write_atomic(o.out, write_gvc, &go))
            status = 1;
        char rp[4200];
        snprintf(rp, sizeof rp, "%s.run", o.out);
        rec_ctx rcx = {&go, o.out, o.reported_go, o.threads};
        if (!status && write_atomic(rp, write_record, &rcx))
            status = 1;
    }
    if (!status && !o.quiet)
        summary(&go, o.top, o.reported_go);
    if (!status && !o.quiet && o.out)
        printf("wrote %s (and %s.run)\n", o.out, o.out);
    /* charts of kww and position (F.html, F_ID.svg beside F.csv); the other CSVs have none */
    if (!status && o.out && ((sub == SUB_KWW && !o.by_sector) || sub == SUB_POS) && cli_report(&o, "gvc", argc, argv))
        status = 1;
    for (int y = 0; y < ntab; y++) {
        free(runs[y].a);
        free(runs[y].b);
        wiot_gvc_free(runs[y].g);
        wiot_table_free(runs[y].t);
    }
    free(runs);
    wiot_ctx_free(ctx);
    return status;
}
