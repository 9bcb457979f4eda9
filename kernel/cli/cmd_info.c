/* cmd_info.c -- wiot info: dimensions, checks, units and source of a table. */
#define _GNU_SOURCE
#include "wiot.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_data.h"


/* ------------------------------------------------------------------- info */
/* the options info accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const INFO_OPTS = ",t,threads,";
const char *const INFO_HELP =
    "usage: wiot info [-t TABLE] [--format F] [--keep-splits] [--threads N]\n"
    "Dimensions, countries, sectors, year, units, source layout and the load-time checks\n"
    "of a table: row-identity summary, zero-output sectors, largest column sum of A.\n"
    "  -t TABLE     a table: wide CSV (.csv, .csv.gz), binary .wiot, OECD ICIO, WIOD 2016,\n"
    "               EXIOBASE 3 or Eora26 (file, directory or zip; the layout is detected);\n"
    "               default: the embedded WIOD 2013 world table for 2011\n"
    "  --format F   read TABLE as F: csv, wiot, icio, wiod2016, exiobase, eora26 (every\n"
    "               command that reads a table takes it, and --keep-splits)\n"
    "  --keep-splits  keep OECD ICIO split countries (CN1, MX1, ...) instead of adding\n"
    "               them into CHN and MEX\n";

int cmd_info(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("info", argc, argv, &o, INFO_OPTS, INFO_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    double secs;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, &secs))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t),
                 K = wiot_table_fd_categories(t);
    const wiot_check *ck = wiot_table_check(t);
    printf("table        %s%s\n", wiot_table_name(t), o.table ? "" : " (embedded default)");
    if (wiot_table_year(t))
        printf("year         %d\n", wiot_table_year(t));
    printf("dimensions   %zu countries x %zu sectors = %zu country-sectors; %zu final-demand "
           "categories per country\n", C, S, n, K);
    printf("countries   ");
    for (size_t c = 0; c < C; c++)
        printf(" %s", wiot_table_country(t, c));
    printf("\nsectors     ");
    for (size_t s = 0; s < S; s++)
        printf(" %s", wiot_table_sector(t, s));
    printf("\nfinal demand");
    for (size_t k = 0; k < K; k++)
        printf(" %s", wiot_table_fd_category(t, k));
    printf("\ntotals       output %.0f, value added and other primary inputs %.0f, final demand %.0f\n",
           ck->total_output, ck->total_v, ck->total_final);
    size_t wr = ck->worst_row;
    printf("row identity sum Z + sum F - x: mean %.2f, worst %.0f at %s_%s; %zu of %zu rows off by "
           "more than max(%g, %g x)\n", ck->mean_row_diff, ck->worst_row_diff,
           n ? wiot_table_country(t, wr / S) : "-", n ? wiot_table_sector(t, wr % S) : "-",
           ck->rows_off, n, ck->row_tol_abs, ck->row_tol_rel);
    printf("zero output  %zu sectors (coefficients 0)", ck->zero_output);
    const double *x = wiot_table_x(t);
    int shown = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] == 0) {
            printf("%s%s_%s", shown++ ? " " : ": ", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
        }
    printf("\n             %zu zero-output rows still hold entries; %zu negative final-demand "
           "entries\n", ck->zero_output_with_entries, ck->negative_final);
    printf("max col sum  A: %.6f at %s_%s (must be < 1)\n", ck->max_colsum_A,
           n ? wiot_table_country(t, ck->max_colsum_col / S) : "-",
           n ? wiot_table_sector(t, ck->max_colsum_col % S) : "-");
    if (!o.table && (ck->rows_off || ck->zero_output_with_entries))
        printf("known        the shipped WIOD table: rows off by the source's rounding (the release "
               "rounds cells, so\n             Z1 + F1 misses x by up to ~100 in large rows) and %zu "
               "zero-output rows with entries;\n             documented properties of the data, not "
               "warnings (a table given with -t warns)\n", ck->zero_output_with_entries);
    printf("units        %s\n", wiot_table_units(t));
    if (wiot_table_source(t))
        printf("source       %s\n", wiot_table_source(t));
    if (wiot_table_inputs(t)) {
        printf("primary      %zu rows kept (sum over intermediate columns):", wiot_table_inputs(t));
        for (size_t r = 0; r < wiot_table_inputs(t); r++) {
            const double *p = wiot_table_input(t, r);
            double sum = 0;
            for (size_t j = 0; j < n; j++)
                sum += p[j];
            printf("%s %s %.0f", r ? ";" : "", wiot_table_input_label(t, r), sum);
        }
        printf("\n");
    }
    for (size_t q = 0; q < wiot_table_other_uses(t); q++) {
        const double *p = wiot_table_other_use(t, q);
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += p[i];
        printf("other use    %s %.0f (in the row identity)\n", wiot_table_other_use_label(t, q), sum);
    }
    printf("load         %.3f s\n", secs);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return 0;
}

