/* cli_aggregate.c -- `wiot aggregate`: sum a table into region and sector groups given
 * by mapping files (wiot_map_load, wiot_table_aggregate) and write it in the shared
 * CSV layout (.csv, .csv.gz) or the binary .wiot format. */
#define _GNU_SOURCE
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the options aggregate accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const AGGREGATE_OPTS = ",t,o,regions,sectors,threads,";
const char *const AGGREGATE_HELP =
    "usage: wiot aggregate [-t TABLE] [--regions MAP] [--sectors MAP] -o OUT [--format F]\n"
    "                      [--keep-splits] [--threads N]\n"
    "Sums a table into groups: its countries through --regions, its sectors through\n"
    "--sectors. Z, final demand (by buyer region; the categories are kept), output, the\n"
    "primary-input rows and other uses are summed, so the table's identities hold in the\n"
    "result, which is validated like any table.\n"
    "  MAP          a mapping file (CSV 'code,group', one line per code, '*' for every code\n"
    "               not listed; README.md \"Aggregation\"), or the name of a shipped one in\n"
    "               data/mappings: eu27, eu28, g7, asean, world (regions); goods_services,\n"
    "               total, wiod2016_to_wiod2013 (sectors). Codes absent from the map keep\n"
    "               their own group; map lines for codes absent from the table are ignored\n"
    "  -o OUT       the result: .csv or .csv.gz (the shared CSV layout) or .wiot (binary);\n"
    "               written atomically\n"
    "  --format F   read TABLE as F (csv, wiot, icio, wiod2016, exiobase, eora26)\n"
    "  --keep-splits  keep OECD ICIO split countries apart (default: into CHN and MEX)\n";

/* The codes of t absent from the map (no '*' line), as a note; and a note when no line
 * of the map names a code of t. */
static void notes(const wiot_map *m, const char *arg, const wiot_table *t, int regions)
{
    size_t count = regions ? wiot_table_countries(t) : wiot_table_sectors(t), kept = 0, absent = 0;
    for (size_t i = 0; i < wiot_map_size(m); i++)
        if (!strcmp(wiot_map_code(m, i), "*"))
            kept = (size_t)-1;
    char list[400];
    size_t o = 0;
    list[0] = 0;
    for (size_t i = 0; i < count && kept != (size_t)-1; i++) {
        const char *code = regions ? wiot_table_country(t, i) : wiot_table_sector(t, i);
        int listed = 0;
        for (size_t k = 0; k < wiot_map_size(m) && !listed; k++)
            listed = !strcmp(wiot_map_code(m, k), code);
        if (!listed) {
            if (o < sizeof list - 40)
                o += (size_t)snprintf(list + o, sizeof list - o, " %s", code);
            else if (o < sizeof list - 5)
                o += (size_t)snprintf(list + o, sizeof list - o, " ...");
            kept++;
        }
    }
    if (kept && kept != (size_t)-1)
        printf("  note: %zu %s not in %s kept as they are:%s\n", kept, regions ? "countries" : "sectors", arg,
               list);
    size_t matched = 0;
    for (size_t k = 0; k < wiot_map_size(m); k++) {
        const char *code = wiot_map_code(m, k);
        if (!strcmp(code, "*"))
            continue;
        size_t f = regions ? wiot_table_find_country(t, code) : wiot_table_find_sector(t, code);
        matched += f != (size_t)-1;
        absent += f == (size_t)-1;
    }
    if (absent && !matched)
        printf("  note: no code of %s is a %s of the table (a map for another classification?)\n", arg,
               regions ? "country" : "sector");
}

static double rel_diff(double a, double b)
{
    double s = fmax(fabs(a), fabs(b));
    return s > 0 ? fabs(a - b) / s : 0;
}

int cmd_aggregate(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("aggregate", argc, argv, &o, AGGREGATE_OPTS, AGGREGATE_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!o.out)
        return usage_error("aggregate", "needs -o OUT (.csv, .csv.gz or .wiot)");
    if (!o.regions && !o.sectors)
        return usage_error("aggregate", "give --regions MAP, --sectors MAP or both");
    wiot_ctx *ctx = NULL;
    wiot_table *t = NULL, *a = NULL;
    wiot_map *rm = NULL, *sm = NULL;
    double lsecs = 0;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, &lsecs)) ||
        (o.regions && (rc = load_map(ctx, o.regions, &rm))) || (o.sectors && (rc = load_map(ctx, o.sectors, &sm))))
        goto done;
    double t0 = now();
    if ((rc = wiot_table_aggregate(ctx, t, rm, sm, &a))) {
        rc = fail(ctx, rc);
        goto done;
    }
    double asecs = now() - t0;
    printf("read       %s: %zu countries x %zu sectors, %zu final-demand categories (%s), %.3f s\n",
           o.table ? o.table : wiot_table_name(t), wiot_table_countries(t), wiot_table_sectors(t),
           wiot_table_fd_categories(t), wiot_table_units(t), lsecs);
    if (rm) {
        printf("regions    %s: %zu -> %zu\n", o.regions, wiot_table_countries(t), wiot_table_countries(a));
        notes(rm, o.regions, t, 1);
    }
    if (sm) {
        printf("sectors    %s: %zu -> %zu\n", o.sectors, wiot_table_sectors(t), wiot_table_sectors(a));
        notes(sm, o.sectors, t, 0);
    }
    const wiot_check *c0 = wiot_table_check(t), *c1 = wiot_table_check(a);
    printf("totals     output %.6g, primary inputs %.6g, final demand %.6g (relative change %.1e, %.1e, %.1e)\n",
           c1->total_output, c1->total_v, c1->total_final, rel_diff(c0->total_output, c1->total_output),
           rel_diff(c0->total_v, c1->total_v), rel_diff(c0->total_final, c1->total_final));
    t0 = now();
    if ((rc = wiot_table_save(ctx, a, o.out))) {
        rc = fail(ctx, rc);
        goto done;
    }
    printf("wrote      %s: %zu countries x %zu sectors; aggregation %.3f s, writing %.3f s\n", o.out,
           wiot_table_countries(a), wiot_table_sectors(a), asecs, now() - t0);
done:
    wiot_table_free(a);
    wiot_table_free(t);
    wiot_map_free(rm);
    wiot_map_free(sm);
    wiot_ctx_free(ctx);
    return rc;
}
