/* cli_report.c -- `wiot report PATH` (re-render the charts and report.html of an
 * earlier run from its CSV files) and cli_report(), which every command that writes
 * -o calls after its files are in place (unless --no-report). The charts themselves
 * are in kernel/report/. */
#define _GNU_SOURCE
#include "cli.h"
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* the options report accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const REPORT_OPTS = ",quiet,";
const char *const REPORT_HELP =
    "usage: wiot report PATH\n"
    "Re-renders the charts of an earlier run from its CSV files: PATH is an -o OUTDIR\n"
    "(every tariff, sweep, ge, content, tiva, extract or gvc kww/position CSV in it; writes\n"
    "PATH/report.html and PATH/STEM_CHART.svg) or one such CSV file F.csv (writes F.html\n"
    "and F_CHART.svg beside it). The provenance block comes from the run.json beside the\n"
    "CSVs when there is one (and, for a command's own report, it is that command's).\n"
    "The page is self-contained: inline SVG and CSS, no scripts, fonts or requests.\n"
    "Commands that write -o make the same report themselves unless given --no-report.\n"
    "  --quiet      print nothing but errors\n";

typedef struct blob {
    const char *p;
    size_t n;
} blob;

static int put_blob(FILE *f, void *ud)
{
    const blob *b = ud;
    return fwrite(b->p, 1, b->n, f) != b->n || ferror(f);
}

int report_write_file(const char *path, const char *text, size_t len, char *err, size_t errsz)
{
    blob b = {text, len};
    if (write_atomic(path, put_blob, &b)) {   /* write_atomic printed the reason */
        if (errsz)
            err[0] = 0;
        return 1;
    }
    return 0;
}

int cli_report(const opts *o, const char *cmd, int argc, char **argv)
{
    if (!o->out || o->no_report)
        return 0;
    report_prov pv = {cmd, argc, argv, sector_name, o->source};
    char err[REPORT_ERRSZ] = "";
    int written = 0;
    if (report_build(o->out, &pv, &written, err, sizeof err)) {
        if (err[0])
            fprintf(stderr, "wiot: %s\n", err);
        return 1;
    }
    if (!o->quiet)
        printf("wrote a report of %d file%s for %s (see 'wiot report --help'; --no-report turns it off)\n", written,
               written == 1 ? "" : "s", o->out);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    opts o;
    /* one positional argument, PATH, anywhere among the options (parse_opts takes
     * options only) */
    char *rest[64];
    const char *path = NULL;
    int n = 0;
    if (argc > 63)
        return usage_error("report", "too many arguments");
    for (int i = 0; i < argc; i++) {
        if (i > 0 && !path && argv[i][0] != '-')
            path = argv[i];
        else
            rest[n++] = argv[i];
    }
    rest[n] = NULL;
    int rc = parse_opts("report", n, rest, &o, REPORT_OPTS, REPORT_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!path)
        return usage_error("report", "give the OUTDIR (or CSV file) of an earlier run");
    report_prov pv = {"report", 0, NULL, sector_name, NULL};
    char err[REPORT_ERRSZ] = "";
    int written = 0;
    if (report_build(path, &pv, &written, err, sizeof err)) {
        if (err[0])
            fprintf(stderr, "wiot: %s\n", err);
        return 1;
    }
    if (!o.quiet)
        printf("wrote %d file%s from %s\n", written, written == 1 ? "" : "s", path);
    return 0;
}
