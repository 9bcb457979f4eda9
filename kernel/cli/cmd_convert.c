/* cli_convert.c -- `wiot convert TABLE OUT`: rewrite a table in another format (the
 * binary .wiot format, plain CSV or gzip CSV), through wiot_table_load and
 * wiot_table_save / wiot_table_save_binary. */
#define _GNU_SOURCE
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* the options convert accepts beyond --format, --keep-splits, --max-memory, --help */
const char *const CONVERT_OPTS = ",t,o,format,threads,";
const char *const CONVERT_HELP =
    "usage: wiot convert TABLE OUT [--format wiot|csv|csv.gz]\n"
    "Reads TABLE and writes it to OUT (atomically: a temporary file renamed into place).\n"
    "  TABLE        a table file: wide CSV (plain or .gz) or binary .wiot, detected from\n"
    "               the content; 'default' for the embedded WIOD 2013 table for 2011\n"
    "               (-t TABLE works too)\n"
    "  OUT          the output file (-o OUT works too); its format comes from the\n"
    "               extension: .wiot binary, .csv plain CSV, .csv.gz (or .gz) gzip CSV\n"
    "  --format F   wiot, csv or csv.gz: the format when OUT has none of these\n"
    "               extensions (it must agree with the extension otherwise)\n"
    "The binary .wiot format (README.md, \"Binary tables\") loads in milliseconds, is\n"
    "checksummed, and is accepted by every command's -t.\n";

enum { FMT_NONE = 0, FMT_WIOT, FMT_CSV, FMT_GZ };
static const char *const fmt_name[] = {"?", "binary .wiot", "CSV", "gzip CSV"};

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The format wiot_table_save picks from the name, or FMT_NONE for an unknown
 * extension (which wiot_table_save would write as plain CSV). */
static int fmt_of_path(const char *path)
{
    if (ends_with(path, ".wiot"))
        return FMT_WIOT;
    if (ends_with(path, ".gz"))
        return FMT_GZ;
    if (ends_with(path, ".csv"))
        return FMT_CSV;
    return FMT_NONE;
}

/* An option token of this command that takes its value from the next argument, as
 * parse_opts's getopt_long reads it: "-t X", "--format X", prefixes like "--form X".
 * (Other options are refused by parse_opts anyway.) */
static int takes_value(const char *a)
{
    if (a[1] != '-')
        return a[2] == '\0' && strchr("tosn", a[1]) != NULL;
    if (strchr(a, '='))
        return 0;
    static const char *const with_value[] = {"table", "output", "format", "threads",
                                             "max-memory"};
    size_t l = strlen(a + 2);
    for (size_t i = 0; l && i < sizeof with_value / sizeof with_value[0]; i++)
        if (strncmp(with_value[i], a + 2, l) == 0)
            return 1;
    return 0;
}

int cmd_convert(int argc, char **argv)
{
    /* the positional TABLE and OUT are taken out; parse_opts reads the options */
    char **rest = malloc(((size_t)argc + 1) * sizeof *rest);
    if (!rest) {
        fprintf(stderr, "wiot: out of memory\n");
        return 1;
    }
    const char *pos[2] = {NULL, NULL};
    int npos = 0, nrest = 0, rc = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc && !rc; i++) {
                if (npos == 2)
                    rc = usage_error("convert", "unexpected argument '%s'", argv[i]);
                else
                    pos[npos++] = argv[i];
            }
            break;
        }
        if (a[0] == '-' && a[1]) {
            rest[nrest++] = argv[i];
            if (takes_value(a) && i + 1 < argc)
                rest[nrest++] = argv[++i];
        } else if (npos == 2) {
            rc = usage_error("convert", "unexpected argument '%s'", a);
        } else {
            pos[npos++] = a;
        }
    }
    rest[nrest] = NULL;
    opts o;
    if (!rc)
        rc = parse_opts("convert", nrest, rest, &o, CONVERT_OPTS, CONVERT_HELP);
    free(rest);
    if (rc)
        return rc == 1 ? 0 : rc;

    int k = 0;
    if (!o.table && k < npos)
        o.table = pos[k++];
    if (!o.out && k < npos)
        o.out = pos[k++];
    if (k < npos)
        return usage_error("convert", "unexpected argument '%s'", pos[k]);
    if (!o.table || !o.out)
        return usage_error("convert", "needs a TABLE (a path or 'default') and an OUT file");
    if (strcmp(o.table, "default") == 0)
        o.table = NULL;   /* load_table's embedded default */

    int ext = fmt_of_path(o.out), fmt = ext;
    if (o.format) {
        if (strcmp(o.format, "wiot") == 0)
            fmt = FMT_WIOT;
        else if (strcmp(o.format, "csv") == 0)
            fmt = FMT_CSV;
        else if (strcmp(o.format, "csv.gz") == 0)
            fmt = FMT_GZ;
        else
            return usage_error("convert", "--format takes wiot, csv or csv.gz, got '%s'", o.format);
        if (ext != FMT_NONE && ext != fmt)
            return usage_error("convert", "--format %s does not match the extension of '%s'",
                               o.format, o.out);
        if (fmt == FMT_GZ && ext != FMT_GZ)
            return usage_error("convert", "a gzip CSV must be named *.gz, got '%s'", o.out);
    } else if (fmt == FMT_NONE) {
        return usage_error("convert", "cannot tell the format of '%s' from its extension (.wiot, "
                           ".csv, .csv.gz); use --format wiot|csv|csv.gz", o.out);
    }

    wiot_ctx *ctx = NULL;
    wiot_table *t = NULL;
    double lsecs = 0;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, &lsecs))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    double t0 = now();
    int st = fmt == FMT_WIOT ? wiot_table_save_binary(ctx, t, o.out) : wiot_table_save(ctx, t, o.out);
    double wsecs = now() - t0;
    if (st) {
        rc = fail(ctx, st);
    } else {
        struct stat sb;
        long long bytes = stat(o.out, &sb) == 0 ? (long long)sb.st_size : -1;
        printf("read   %s%s: %zu countries x %zu sectors, %zu final-demand categories, in %.3f s\n",
               o.table ? o.table : wiot_table_name(t), o.table ? "" : " (embedded default)",
               wiot_table_countries(t), wiot_table_sectors(t), wiot_table_fd_categories(t), lsecs);
        printf("wrote  %s: %s, %lld bytes (%.1f MB), in %.3f s\n", o.out, fmt_name[fmt], bytes,
               (double)bytes / 1e6, wsecs);
    }
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}
