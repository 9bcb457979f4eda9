/* cli.c -- the wiot command-line driver. A thin client of the public API (wiot.h):
 * parses arguments, calls the library, prints summaries and writes CSV files
 * atomically. Only this file prints or chooses exit codes. */
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


/* ------------------------------------------------------------------ basics */
double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int fail(wiot_ctx *ctx, int rc)
{
    const char *m = wiot_errmsg(ctx);
    fprintf(stderr, "wiot: %s\n", m && *m ? m : wiot_strerror(rc));
    return 1;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wiot%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'wiot %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
    va_end(ap);
    return EXIT_USAGE;
}

static void log_warning(void *ud, int level, const char *msg)
{
    (void)ud;
    fprintf(stderr, "wiot: %s: %s\n", level == WIOT_LOG_WARN ? "warning" : "note", msg);
}

/* Options shared by every subcommand. */

int parse_int(const char *s, int lo, int hi, int *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (errno || e == s || *e || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

enum { OPT_THREADS = 1000, OPT_GHOSH, OPT_PASS, OPT_METHOD, OPT_QUIET, OPT_TOP, OPT_SCALE, OPT_DRAWS,
       OPT_SEED, OPT_SD, OPT_YEARS, OPT_FORMAT, OPT_SOURCE, OPT_MEASURE, OPT_THRESHOLD, OPT_TO,
       OPT_BY_SECTOR };

enum { OPT_MAX_MEMORY = 2000 };   /* accepted by every command */
/* provider layouts and aggregation: --format (input layout; every command but convert,
 * whose --format names its output) and --keep-splits are accepted by every command */
enum { OPT_KEEP_SPLITS = 2100, OPT_REGIONS, OPT_SECTORS, OPT_MAP };
enum { OPT_INVERSE = 2200 };   /* wiot leontief --inverse auto|lapack|recursive */
enum { OPT_REPORTED_GO = 2300 };   /* wiot gvc --reported-go */

/* "512M", "4G", "1.5G", "1048576": bytes (K, M, G, T = powers of 1024; a trailing "B"
 * or "iB" is allowed). -1 if malformed. */
static double parse_size(const char *s)
{
    char *e;
    errno = 0;
    double v = strtod(s, &e);
    if (errno || e == s || !(v >= 0) || !isfinite(v) || !(s[0] >= '0' && s[0] <= '9'))
        return -1;
    static const char units[] = "KMGT";
    const char *u = *e ? strchr(units, *e) : NULL;
    if (u && *e) {
        for (const char *q = units; q <= u; q++)
            v *= 1024;
        e++;
        if (*e == 'i' && e[1] == 'B')
            e += 2;
    }
    if (*e == 'B')
        e++;
    if (*e || v >= 18446744073709551615.0)
        return -1;
    return floor(v);
}

double cli_peak_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_maxrss / 1024.0;   /* Linux: kilobytes */
}

/* returns 0, 1 (help printed) or EXIT_USAGE */
int parse_opts(const char *cmd, int argc, char **argv, opts *o, const char *allowed,
                      const char *help)
{
    static const struct option lo[] = {
        {"table", required_argument, 0, 't'},     {"output", required_argument, 0, 'o'},
        {"scenarios", required_argument, 0, 's'}, {"name", required_argument, 0, 'n'},
        {"threads", required_argument, 0, OPT_THREADS}, {"ghosh", no_argument, 0, OPT_GHOSH},
        {"passthrough", required_argument, 0, OPT_PASS}, {"method", required_argument, 0, OPT_METHOD},
        {"quiet", no_argument, 0, OPT_QUIET},     {"top", required_argument, 0, OPT_TOP},
        {"scale", required_argument, 0, OPT_SCALE}, {"draws", required_argument, 0, OPT_DRAWS},
        {"seed", required_argument, 0, OPT_SEED}, {"sd", required_argument, 0, OPT_SD},
        {"years", required_argument, 0, OPT_YEARS}, {"format", required_argument, 0, OPT_FORMAT},
        {"source", required_argument, 0, OPT_SOURCE}, {"measure", required_argument, 0, OPT_MEASURE},
        {"threshold", required_argument, 0, OPT_THRESHOLD}, {"to", required_argument, 0, OPT_TO},
        {"by-sector", no_argument, 0, OPT_BY_SECTOR},
        {"max-memory", required_argument, 0, OPT_MAX_MEMORY},
        {"keep-splits", no_argument, 0, OPT_KEEP_SPLITS}, {"regions", required_argument, 0, OPT_REGIONS},
        {"sectors", required_argument, 0, OPT_SECTORS}, {"map", required_argument, 0, OPT_MAP},
        {"inverse", required_argument, 0, OPT_INVERSE},
        {"reported-go", no_argument, 0, OPT_REPORTED_GO},
        {"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->threads = -1;
    o->rho = 1.0;
    o->models = WIOT_BOTH;
    o->top = 10;
    o->sd = 0.25;
    o->seed = 1;
    optind = 0;   /* 0, not 1: glibc then also forgets the previous scan's position
                     inside an option cluster ("-hX"), so parse_opts may run again in
                     one process (the fuzz target runs main many times) */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":t:o:s:n:h", lo, NULL)) != -1) {
        const char *name = NULL;
        switch (c) {
        case 't': name = "t"; break;
        case 'o': name = "o"; break;
        case 's': name = "s"; break;
        case 'n': name = "n"; break;
        case OPT_THREADS: name = "threads"; break;
        case OPT_GHOSH: name = "ghosh"; break;
        case OPT_PASS: name = "passthrough"; break;
        case OPT_METHOD: name = "method"; break;
        case OPT_INVERSE: name = "inverse"; break;
        case OPT_QUIET: name = "quiet"; break;
        case OPT_TOP: name = "top"; break;
        case OPT_SCALE: name = "scale"; break;
        case OPT_DRAWS: name = "draws"; break;
        case OPT_SEED: name = "seed"; break;
        case OPT_SD: name = "sd"; break;
        case OPT_YEARS: name = "years"; break;
        case OPT_FORMAT:
            if (!strcmp(cmd, "convert")) {
                name = "format";
                break;
            }
            if (wiot_format_from_name(optarg) < 0)
                return usage_error(cmd, "--format takes auto, csv, wiot, icio, wiod2016, exiobase or "
                                   "eora26, got '%s'", optarg);
            o->format = o->in_format = optarg;
            continue;
        case OPT_KEEP_SPLITS: o->keep_splits = 1; continue;
        case OPT_REGIONS: name = "regions"; break;
        case OPT_SECTORS: name = "sectors"; break;
        case OPT_MAP: name = "map"; break;
        case OPT_SOURCE: name = "source"; break;
        case OPT_MEASURE: name = "measure"; break;
        case OPT_THRESHOLD: name = "threshold"; break;
        case OPT_TO: name = "to"; break;
        case OPT_BY_SECTOR: name = "by-sector"; break;
        case OPT_REPORTED_GO: name = "reported-go"; break;
        case OPT_MAX_MEMORY:
            if ((o->max_memory = parse_size(optarg)) < 0)
                return usage_error(cmd, "--max-memory takes a size such as 512M, 4G or 1073741824, "
                                   "got '%s'", optarg);
            continue;
        case 'h': fputs(help, stdout); return 1;
        case ':': return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
        char key[32];
        snprintf(key, sizeof key, ",%s,", name);
        if (!strstr(allowed, key))
            return usage_error(cmd, "option '%s' does not apply to this command", argv[optind - 1]);
        switch (c) {
        case 't': o->table = optarg; break;
        case 'o': o->out = optarg; break;
        case 's':
            if (o->nscen == 64)
                return usage_error(cmd, "too many -s options (at most 64)");
            o->scen[o->nscen++] = optarg;
            break;
        case 'n':
            if (o->nnames == 256)
                return usage_error(cmd, "too many -n options (at most 256)");
            o->names[o->nnames++] = optarg;
            break;
        case OPT_THREADS:
            if (parse_int(optarg, 1, 4096, &o->threads))
                return usage_error(cmd, "--threads takes an integer 1..4096, got '%s'", optarg);
            break;
        case OPT_GHOSH: o->ghosh = 1; break;
        case OPT_PASS: {
            char *e;
            o->rho = strtod(optarg, &e);
            if (e == optarg || *e || !(o->rho >= 0 && o->rho <= 1))
                return usage_error(cmd, "--passthrough takes a number in [0, 1], got '%s'", optarg);
            break;
        }
        case OPT_METHOD:
            if (!strcmp(optarg, "exact"))
                o->models = WIOT_EXACT;
            else if (!strcmp(optarg, "first-order"))
                o->models = WIOT_FIRST_ORDER;
            else if (!strcmp(optarg, "both"))
                o->models = WIOT_BOTH;
            else
                return usage_error(cmd, "--method takes exact, first-order or both, got '%s'", optarg);
            break;
        case OPT_INVERSE:
            if (!strcmp(optarg, "auto"))
                o->inverse = WIOT_INVERSE_AUTO;
            else if (!strcmp(optarg, "lapack"))
                o->inverse = WIOT_INVERSE_LAPACK;
            else if (!strcmp(optarg, "recursive"))
                o->inverse = WIOT_INVERSE_RECURSIVE;
            else
                return usage_error(cmd, "--inverse takes auto, lapack or recursive, got '%s'", optarg);
            break;
        case OPT_QUIET: o->quiet = 1; break;
        case OPT_TOP:
            if (parse_int(optarg, 0, 100000, &o->top))
                return usage_error(cmd, "--top takes an integer >= 0, got '%s'", optarg);
            break;
        case OPT_SCALE: o->scale = optarg; break;
        case OPT_DRAWS:
            if (parse_int(optarg, 1, 100000000, &o->draws))
                return usage_error(cmd, "--draws takes an integer >= 1, got '%s'", optarg);
            break;
        case OPT_SEED: {
            char *e;
            errno = 0;
            o->seed = strtoul(optarg, &e, 10);
            if (errno || e == optarg || *e || optarg[0] == '-')
                return usage_error(cmd, "--seed takes a non-negative integer, got '%s'", optarg);
            break;
        }
        case OPT_SD: {
            char *e;
            o->sd = strtod(optarg, &e);
            if (e == optarg || *e || !(o->sd >= 0 && o->sd <= 10))
                return usage_error(cmd, "--sd takes a number in [0, 10], got '%s'", optarg);
            break;
        }
        case OPT_YEARS: o->years = optarg; break;
        case OPT_FORMAT: o->format = optarg; break;
        case OPT_REGIONS: o->regions = optarg; break;
        case OPT_SECTORS: o->sectors = optarg; break;
        case OPT_MAP: o->map = optarg; break;
        case OPT_SOURCE: o->source = optarg; break;
        case OPT_MEASURE: o->measure = optarg; break;
        case OPT_THRESHOLD: o->threshold = optarg; break;
        case OPT_TO: o->to = optarg; break;
        case OPT_BY_SECTOR: o->by_sector = 1; break;
        case OPT_REPORTED_GO: o->reported_go = 1; break;
        }
    }
    if (optind < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* A context with the CLI's settings. */
int make_ctx(const opts *o, wiot_ctx **ctx)
{
    if (wiot_ctx_new(ctx) != WIOT_OK) {
        fprintf(stderr, "wiot: out of memory\n");
        return 1;
    }
    if (g_par.rank == 0)   /* warnings once, from rank 0 of a campaign */
        wiot_ctx_set_log(*ctx, log_warning, NULL);
    if (o->threads > 0 && wiot_ctx_set(*ctx, WIOT_OPT_THREADS, o->threads) != WIOT_OK)
        return fail(*ctx, 1);
    if (o->keep_splits && wiot_ctx_set(*ctx, WIOT_OPT_KEEP_SPLITS, 1) != WIOT_OK)
        return fail(*ctx, 1);
    if (o->max_memory > 0 && wiot_ctx_set(*ctx, WIOT_OPT_MAX_MEMORY, o->max_memory) != WIOT_OK)
        return fail(*ctx, 1);
    return 0;
}

/* -t: a path (any layout wiot reads; --format forces one), or the embedded default
 * (WIOD 2013, 2011). */
int load_table(wiot_ctx *ctx, const opts *o, wiot_table **t, double *secs)
{
    double t0 = now();
    int rc;
    if (o->table)
        rc = wiot_table_load_format(ctx, o->table, o->in_format ? wiot_format_from_name(o->in_format)
                                                                : WIOT_FORMAT_AUTO, t);
    else
        rc = wiot_table_load_static(ctx, wiot_emb_table_wiod2013_2011,
                                    (size_t)(wiot_emb_table_wiod2013_2011_end - wiot_emb_table_wiod2013_2011),
                                    "wiot_2011.csv.gz", t);
    if (secs)
        *secs = now() - t0;
    return rc ? fail(ctx, rc) : 0;
}

/* WIOD 2016 names: "index,code,name", the name possibly quoted. */
static const char *sector_name_2016(const char *code, char *buf, size_t size)
{
    const char *p = wiot_emb_sectors_wiod2016, *end = wiot_emb_sectors_wiod2016_end;
    size_t cl = strlen(code);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        const char *c1 = memchr(p, ',', (size_t)(nl - p));
        if (c1 && (size_t)(nl - c1) > cl + 1 && !strncmp(c1 + 1, code, cl) && c1[1 + cl] == ',') {
            const char *s = c1 + 2 + cl, *e = nl;
            if (e > s && e[-1] == '\r')
                e--;
            if (*s == '"' && e > s + 1 && e[-1] == '"') {
                s++;
                e--;
            }
            size_t n = (size_t)(e - s) < size - 1 ? (size_t)(e - s) : size - 1;
            memcpy(buf, s, n);
            buf[n] = 0;
            return buf;
        }
        p = nl + 1;
    }
    return NULL;
}

/* Sector names from the embedded WIOD 2013 or WIOD 2016 classification (NULL when the
 * table uses other codes). Parses "index,code,nace,name" with a possibly quoted name. */
const char *sector_name(const char *code, char *buf, size_t size)
{
    const char *p = wiot_emb_sectors_wiod2013, *end = wiot_emb_sectors_wiod2013_end;
    size_t cl = strlen(code);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        const char *c1 = memchr(p, ',', (size_t)(nl - p));
        if (c1 && (size_t)(nl - c1) > cl + 1 && !strncmp(c1 + 1, code, cl) && c1[1 + cl] == ',') {
            const char *c3 = memchr(c1 + 2 + cl, ',', (size_t)(nl - c1 - 2 - (ptrdiff_t)cl));
            if (c3) {
                const char *s = c3 + 1, *e = nl;
                if (e > s && e[-1] == '\r')
                    e--;
                if (*s == '"' && e > s + 1 && e[-1] == '"') {
                    s++;
                    e--;
                }
                size_t n = (size_t)(e - s) < size - 1 ? (size_t)(e - s) : size - 1;
                memcpy(buf, s, n);
                buf[n] = 0;
                return buf;
            }
        }
        p = nl + 1;
    }
    return sector_name_2016(code, buf, size);
}

/* 1 when every sector code of t is a WIOD 2016 code (A01 ... U) and there are 56. */
int is_wiod2016(const wiot_table *t)
{
    char buf[8];
    size_t S = wiot_table_sectors(t);
    if (S != 56)
        return 0;
    for (size_t s = 0; s < S; s++)
        if (!sector_name_2016(wiot_table_sector(t, s), buf, sizeof buf))
            return 0;
    return 1;
}

int is_wiod2013(const wiot_table *t)
{
    if (wiot_table_sectors(t) != 35)
        return 0;
    char code[8];
    for (size_t s = 0; s < 35; s++) {
        snprintf(code, sizeof code, "c%zu", s + 1);
        if (strcmp(wiot_table_sector(t, s), code))
            return 0;
    }
    return 1;
}

/* --------------------------------------------------------- atomic output */

int out_open(outfile *of, const char *path)
{
    memset(of, 0, sizeof *of);
    if (strlen(path) >= sizeof of->path) {
        fprintf(stderr, "wiot: %s: path too long\n", path);
        return 1;
    }
    strcpy(of->path, path);
    snprintf(of->tmp, sizeof of->tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(of->tmp);
    if (fd < 0) {
        fprintf(stderr, "wiot: %s: cannot create: %s\n", path, strerror(errno));
        return 1;
    }
    of->f = fdopen(fd, "w");
    if (!of->f) {
        close(fd);
        unlink(of->tmp);
        fprintf(stderr, "wiot: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

void out_abort(outfile *of)
{
    if (of->f) {
        fclose(of->f);
        of->f = NULL;
    }
    if (of->tmp[0])
        unlink(of->tmp);
    of->tmp[0] = 0;
}

/* flush, fsync and close; 0 on success (the rename happens in out_commit) */
int out_close(outfile *of)
{
    int bad = ferror(of->f) || fflush(of->f) != 0 || fsync(fileno(of->f)) != 0;
    int err = errno;
    if (fclose(of->f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    of->f = NULL;
    if (bad) {
        fprintf(stderr, "wiot: %s: write failed: %s\n", of->path, strerror(err ? err : EIO));
        unlink(of->tmp);
        of->tmp[0] = 0;
        return 1;
    }
    return 0;
}

int out_commit(outfile *of)
{
    if (rename(of->tmp, of->path) != 0) {
        fprintf(stderr, "wiot: %s: cannot rename into place: %s\n", of->path, strerror(errno));
        unlink(of->tmp);
        return 1;
    }
    of->tmp[0] = 0;
    return 0;
}

/* One file written atomically by a callback. */
int write_atomic(const char *path, int (*fn)(FILE *, void *), void *ud)
{
    outfile of;
    if (out_open(&of, path))
        return 1;
    if (fn(of.f, ud)) {   /* a write failed (ferror): say so; no partial file is left */
        int err = errno;
        fprintf(stderr, "wiot: %s: write failed: %s\n", path, strerror(err ? err : EIO));
        out_abort(&of);
        return 1;
    }
    if (out_close(&of))
        return 1;
    return out_commit(&of);
}

/* ------------------------------------------------------------------- info */
static const char *INFO_HELP =
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

static int cmd_info(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("info", argc, argv, &o, ",t,threads,", INFO_HELP);
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

/* ---------------------------------------------------------------- leontief */
static const char *LEONTIEF_HELP =
    "usage: wiot leontief [-t TABLE] [-o FILE] [--ghosh] [--inverse auto|lapack|recursive]\n"
    "                     [--threads N]\n"
    "Computes the Leontief inverse L = (I - A)^-1 (or, with --ghosh, the Ghosh inverse\n"
    "G = (I - B)^-1) and prints the method, the residual ||(I - A)L - I||_max, flops,\n"
    "seconds and GFLOP/s.\n"
    "  --inverse    auto (default): recursive 2 x 2 block inversion, nearly all flops in\n"
    "               dgemm, when I - A is diagonally dominant (every column sum of A < 1;\n"
    "               for --ghosh every row sum of B), else LAPACK dgetrf + dgetri;\n"
    "               lapack: always dgetrf + dgetri; recursive: always the block method\n"
    "  -o FILE      write the inverse as a labelled CSV (row label, then n columns)\n";

typedef struct matrix_csv {
    const wiot_table *t;
    const double *M;
} matrix_csv;

static int write_matrix(FILE *f, void *ud)
{
    const matrix_csv *m = ud;
    const size_t n = wiot_table_n(m->t), S = wiot_table_sectors(m->t);
    fputs("label", f);
    for (size_t j = 0; j < n; j++)
        fprintf(f, ",%s_%s", wiot_table_country(m->t, j / S), wiot_table_sector(m->t, j % S));
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s_%s", wiot_table_country(m->t, i / S), wiot_table_sector(m->t, i % S));
        for (size_t j = 0; j < n; j++)
            fprintf(f, ",%.17g", m->M[i + j * n]);
        fputc('\n', f);
    }
    return ferror(f) ? 1 : 0;
}

static int cmd_leontief(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("leontief", argc, argv, &o, ",t,o,ghosh,inverse,threads,", LEONTIEF_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    double lsecs;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, &lsecs))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    const size_t n = wiot_table_n(t);
    double *L = malloc((n ? n * n : 1) * sizeof *L);
    if (!L) {
        fprintf(stderr, "wiot: out of memory for a %zu x %zu matrix\n", n, n);
        wiot_table_free(t);
        wiot_ctx_free(ctx);
        return 1;
    }
    wiot_info inv;
    rc = wiot_ctx_set(ctx, WIOT_OPT_INVERSE, o.inverse);
    if (!rc)
        rc = o.ghosh ? wiot_ghosh(ctx, t, L, n, &inv) : wiot_leontief(ctx, t, L, n, &inv);
    if (rc) {
        rc = fail(ctx, rc);
    } else {
        int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
        printf("%s inverse of %s: n = %zu\n", o.ghosh ? "Ghosh" : "Leontief", wiot_table_name(t), n);
        printf("  residual ||(I - %s)%s - I||_max = %.3g\n", o.ghosh ? "B" : "A", o.ghosh ? "G" : "L",
               inv.residual);
        printf("  %s: %.4f s, %.3g flops, %.1f GFLOP/s\n",
               inv.method == WIOT_METHOD_RECURSIVE ? "recursive block inverse (dgemm)"
                                                   : "LAPACK dgetrf + dgetri",
               inv.seconds, inv.flops, inv.seconds > 0 ? inv.flops / inv.seconds * 1e-9 : 0.0);
        printf("  threads %d, BLAS core %s; load %.3f s, residual check %.4f s; peak memory %.0f MB\n",
               threads, openblas_get_corename(), lsecs, inv.residual_seconds, cli_peak_mb());
        if (o.out) {
            matrix_csv m = {t, L};
            if (write_atomic(o.out, write_matrix, &m))
                rc = 1;
            else
                printf("  wrote %s\n", o.out);
        }
    }
    free(L);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* ------------------------------------------------------------- multipliers */
static const char *MULT_HELP =
    "usage: wiot multipliers [-t TABLE] [-o FILE] [--threads N] [--top K]\n"
    "Output multipliers (column sums of L), normalised backward linkages and\n"
    "normalised Ghosh forward linkages (Miller & Blair ch. 12), by solves with the\n"
    "LU of I - A (no explicit inverse). Prints the top K; -o writes every\n"
    "country-sector as CSV: country,sector,output_multiplier,backward_linkage,\n"
    "forward_linkage,direct_backward,direct_forward.\n";

typedef struct mult_csv {
    const wiot_table *t;
    const double *m, *bl, *fl, *db, *df;
} mult_csv;

static int write_mult(FILE *f, void *ud)
{
    const mult_csv *m = ud;
    const size_t n = wiot_table_n(m->t), S = wiot_table_sectors(m->t);
    fputs("country,sector,output_multiplier,backward_linkage,forward_linkage,direct_backward,"
          "direct_forward\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g\n", wiot_table_country(m->t, i / S),
                wiot_table_sector(m->t, i % S), m->m[i], m->bl[i], m->fl[i], m->db[i], m->df[i]);
    return ferror(f) ? 1 : 0;
}

static const double *g_sort_key;
static int by_key_desc(const void *a, const void *b)
{
    double x = g_sort_key[*(const size_t *)a], y = g_sort_key[*(const size_t *)b];
    return x < y ? 1 : x > y ? -1 : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}
void sort_desc(size_t *idx, size_t n, const double *key)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    g_sort_key = key;
    qsort(idx, n, sizeof *idx, by_key_desc);
}

static int cmd_multipliers(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("multipliers", argc, argv, &o, ",t,o,threads,top,", MULT_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    wiot_table *t = NULL;
    if ((rc = make_ctx(&o, &ctx)) || (rc = load_table(ctx, &o, &t, NULL))) {
        wiot_ctx_free(ctx);
        return rc;
    }
    const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
    double *buf = malloc(5 * (n ? n : 1) * sizeof *buf);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    wiot_lu *lu = NULL;
    if (!buf || !idx) {
        fprintf(stderr, "wiot: out of memory\n");
        rc = 1;
        goto done;
    }
    double *m = buf, *bl = m + n, *fl = bl + n, *db = fl + n, *df = db + n;
    if ((rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL)) ||
        (rc = wiot_multipliers(ctx, lu, m, bl, fl))) {
        rc = fail(ctx, rc);
        goto done;
    }
    const double *Z = wiot_table_Z(t), *x = wiot_table_x(t), *v = wiot_table_v(t);
    for (size_t i = 0; i < n; i++) {
        db[i] = x[i] > 0 ? 1.0 - v[i] / x[i] : 0.0;
        double r = 0;
        for (size_t j = 0; j < n; j++)
            r += Z[i + j * n];
        df[i] = x[i] > 0 ? r / x[i] : 0.0;
    }
    sort_desc(idx, n, m);
    size_t top = (size_t)o.top < n ? (size_t)o.top : n;
    printf("Output multipliers of %s (top %zu of %zu)\n", wiot_table_name(t), top, n);
    printf("  %-12s %-45s %10s %9s %9s\n", "country-sec", "sector", "multiplier", "backward", "forward");
    for (size_t q = 0; q < top; q++) {
        size_t i = idx[q];
        char label[64], nb[128];
        snprintf(label, sizeof label, "%s_%s", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
        const char *nm = sector_name(wiot_table_sector(t, i % S), nb, sizeof nb);
        printf("  %-12s %-45.45s %10.4f %9.4f %9.4f\n", label, nm ? nm : "", m[i], bl[i], fl[i]);
    }
    if (o.out) {
        mult_csv mc = {t, m, bl, fl, db, df};
        if (write_atomic(o.out, write_mult, &mc))
            rc = 1;
        else
            printf("wrote %s\n", o.out);
    }
done:
    free(buf);
    free(idx);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc;
}

/* A mapping file: a path, or the name of a shipped one (data/mappings/NAME.csv). Prints
 * the error and returns 1 on failure. */
int load_map(wiot_ctx *ctx, const char *arg, wiot_map **out)
{
    char path[4096], rel[600];
    const char *p = arg;
    if (access(arg, R_OK) != 0 && !strchr(arg, '/') && strlen(arg) < 500) {
        size_t l = strlen(arg);
        snprintf(rel, sizeof rel, "mappings/%s%s", arg, l > 4 && !strcmp(arg + l - 4, ".csv") ? "" : ".csv");
        if (data_path(rel, path, sizeof path) == 0)
            p = path;
    }
    int rc = wiot_map_load(ctx, p, out);
    return rc ? fail(ctx, rc) : 0;
}

/* 1 when the scenario classification of a --map (its codes or its groups, whichever are
 * not t's sectors) is WIOD 2013's (which == 13) or WIOD 2016's (16). */
static int map_is_wiod(const wiot_map *m, const wiot_table *t, int which)
{
    int groups_in_table = 1;
    for (size_t i = 0; i < wiot_map_size(m); i++)
        if (wiot_table_find_sector(t, wiot_map_group(m, i)) == (size_t)-1)
            groups_in_table = 0;
    char buf[8];
    size_t count = 0;
    for (size_t i = 0; i < wiot_map_size(m); i++) {
        const char *x = groups_in_table ? wiot_map_code(m, i) : wiot_map_group(m, i);
        int ok = which == 16 ? sector_name_2016(x, buf, sizeof buf) != NULL
                             : x[0] == 'c' && x[1] >= '1' && x[1] <= '9' && atoi(x + 1) <= 35;
        if (!ok && strcmp(x, "*"))
            return 0;
        count++;
    }
    return count > 0;
}

/* The -s files, or the built-in scenarios when there is none (in the table's
 * classification, WIOD 2013 or WIOD 2016, or with --map in the map's). Prints the
 * error and returns 1 on failure. */
int load_scenarios(wiot_ctx *ctx, const opts *o, const wiot_table *t, wiot_scenarios **out)
{
    wiot_scenarios *sc = NULL;
    wiot_map *map = NULL;
    int rc = o->map ? load_map(ctx, o->map, &map) : 0;
    if (rc)
        return rc;
    /* --map: the scenarios are written in the map's other classification */
    int c13 = is_wiod2013(t), c16 = is_wiod2016(t);
    rc = map ? wiot_scenarios_new_mapped(ctx, t, map, &sc) : wiot_scenarios_new(ctx, t, &sc);
    if (map && !rc) {
        c13 = map_is_wiod(map, t, 13);
        c16 = map_is_wiod(map, t, 16);
    }
    wiot_map_free(map);
    if (rc)
        return fail(ctx, rc);
    if (o->nscen == 0) {
        if (!c13 && !c16) {
            fprintf(stderr, "wiot: the built-in scenarios use WIOD 2013 sector codes (c1..c35) or WIOD "
                            "2016 codes (A01..U), which %s does not%s; give a scenario file with -s "
                            "(or a sector map with --map)\n", wiot_table_name(t), o->map ? " (through the map)" : "");
            wiot_scenarios_free(sc);
            return 1;
        }
        const struct emb_file *set = c13 ? emb_scenarios : emb_scenarios_2016;
        size_t nset = c13 ? sizeof emb_scenarios / sizeof *emb_scenarios
                          : sizeof emb_scenarios_2016 / sizeof *emb_scenarios_2016;
        for (size_t q = 0; q < nset; q++) {
            const struct emb_file *e = &set[q];
            if ((rc = wiot_scenarios_load_buffer(ctx, sc, e->start, (size_t)(e->end - e->start), e->name))) {
                wiot_scenarios_free(sc);
                return fail(ctx, rc);
            }
        }
    }
    for (int q = 0; q < o->nscen; q++)
        if ((rc = wiot_scenarios_load(ctx, sc, o->scen[q]))) {
            wiot_scenarios_free(sc);
            rc = fail(ctx, rc);
            if (strstr(wiot_errmsg(ctx), "field 'sector': unknown sector") && !o->map)
                fprintf(stderr, "wiot: hint: a scenario written in another sector classification can be "
                                "translated with --map MAP.csv (e.g. --map wiod2016_to_wiod2013)\n");
            return rc;
        }
    *out = sc;
    return 0;
}

/* ------------------------------------------------------------------ tariff */
static const char *TARIFF_HELP =
    "usage: wiot tariff [-t TABLE] [-s SCENARIO_FILE]... [-n NAME]... [--passthrough R]\n"
    "                   [--method exact|first-order|both] [-o OUTDIR] [--top K] [--threads N]\n"
    "Runs tariff scenarios through the world input-output price model: direct tariff\n"
    "costs, first-order cumulative tariffs (c = L^T d) and the exact cascading model\n"
    "(I - A^T - E^T) dp = d; consumer and final users' prices per country, extra input\n"
    "costs and tariff revenue (millions of USD), with each country's role.\n"
    "  -s FILE      scenario file (CSV: scenario,imposer,target,sector,rate); repeatable.\n"
    "               default: the built-in scenarios (data/scenarios/wiod2013)\n"
    "  -n NAME      scenario to run; A+B stacks A and B (rates add); repeatable, each -n\n"
    "               is a separate run. default: " DEFAULT_SCENARIO "\n"
    "  --passthrough R   share of tariffs passed on at every stage, 0..1 (default 1)\n"
    "  --method M   exact, first-order or both (default both)\n"
    "  -o OUTDIR    write OUTDIR/prices.csv and OUTDIR/countries.csv (atomically)\n"
    "  --top K      rows in the summary's rankings (default 10)\n"
    "  --map MAP    the scenarios' sectors are in another classification: MAP (CSV\n"
    "               code,group[,weight], or a shipped map's name such as\n"
    "               wiod2016_to_wiod2013) relates them to the table's; merged sectors get\n"
    "               the weighted mean of their rates (README.md, \"Scenario classifications\")\n"
    "  --years Y    run on several tables: FROM:TO or a comma list of WIOD 2013 years\n"
    "               (1995..2011, from the data folder) or of table files; the CSV files\n"
    "               then start with a year column\n";

typedef struct run {
    const char *name;
    const wiot_table *t;
    int year;
    int owner;                 /* rank that computes it (campaigns) */
    wiot_result *r;
    double *fo_final;          /* first-order consumer prices C*K (when both) */
    unsigned char *fo_def;
} run;

typedef struct tariff_out {
    run *runs;
    int nruns;
    int with_year;   /* --years: a leading year column */
} tariff_out;

static void put_num(FILE *f, const double *a, size_t i)
{
    if (a)
        fprintf(f, ",%.10g", a[i]);
    else
        fputs(",", f);
}

static int write_prices(FILE *f, void *ud)
{
    const tariff_out *to = ud;
    fprintf(f, "%sscenario,country,sector,direct,cumulative,exact,extra_cost_musd\n", to->with_year ? "year," : "");
    for (int q = 0; q < to->nruns; q++) {
        const wiot_table *t = to->runs[q].t;
        const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
        const wiot_result *r = to->runs[q].r;
        const double *d = wiot_result_get(r, WIOT_R_DIRECT, NULL);
        const double *c = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL);
        const double *e = wiot_result_get(r, WIOT_R_EXACT, NULL);
        const double *x = wiot_result_get(r, WIOT_R_EXTRA_COST, NULL);
        for (size_t i = 0; i < n; i++) {
            if (to->with_year)
                fprintf(f, "%d,", to->runs[q].year);
            fprintf(f, "%s,%s,%s", to->runs[q].name, wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
            put_num(f, d, i);
            put_num(f, c, i);
            put_num(f, e, i);
            put_num(f, x, i);
            fputc('\n', f);
        }
    }
    return ferror(f) ? 1 : 0;
}

const char *role_name(int role)
{
    switch (role) {
    case WIOT_ROLE_IMPOSER: return "imposer";
    case WIOT_ROLE_TARGET: return "target";
    case WIOT_ROLE_IMPOSER | WIOT_ROLE_TARGET: return "imposer+target";
    default: return "third";
    }
}

static int write_countries(FILE *f, void *ud)
{
    const tariff_out *to = ud;
    fprintf(f, "%sscenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd\n",
            to->with_year ? "year," : "");
    for (int q = 0; q < to->nruns; q++) {
        const wiot_table *t = to->runs[q].t;
        const size_t C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
        const wiot_result *r = to->runs[q].r;
        const double *fp = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);
        const double *fd = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
        const double *fa = wiot_result_get(r, WIOT_R_FINAL_ALL, NULL);
        const double *fad = wiot_result_get(r, WIOT_R_FINAL_ALL_DEFINED, NULL);
        const double *ce = wiot_result_get(r, WIOT_R_COUNTRY_EXTRA_COST, NULL);
        const double *rv = wiot_result_get(r, WIOT_R_REVENUE, NULL);
        const double *ro = wiot_result_get(r, WIOT_R_ROLE, NULL);
        for (size_t d = 0; d < C; d++) {
            if (to->with_year)
                fprintf(f, "%d,", to->runs[q].year);
            fprintf(f, "%s,%s,%s,", to->runs[q].name, wiot_table_country(t, d), role_name((int)ro[d]));
            if (K > 0 && fd[d * K])
                fprintf(f, "%.10g", fp[d * K]);
            fputc(',', f);
            if (fad[d])
                fprintf(f, "%.10g", fa[d]);
            fprintf(f, ",%.10g,%.10g\n", ce[d], rv[d]);
        }
    }
    return ferror(f) ? 1 : 0;
}

static void print_country_row(const wiot_table *t, const run *rn, size_t d)
{
    const size_t K = wiot_table_fd_categories(t);
    const wiot_result *r = rn->r;
    const double *fp = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);
    const double *fd = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
    const double *fa = wiot_result_get(r, WIOT_R_FINAL_ALL, NULL);
    const double *ce = wiot_result_get(r, WIOT_R_COUNTRY_EXTRA_COST, NULL);
    const double *rv = wiot_result_get(r, WIOT_R_REVENUE, NULL);
    const double *ro = wiot_result_get(r, WIOT_R_ROLE, NULL);
    char cp[32] = "-", fo[32] = "-";
    if (K > 0 && fd[d * K])
        snprintf(cp, sizeof cp, "%.4f", 100 * fp[d * K]);
    if (rn->fo_final && K > 0 && rn->fo_def[d * K])
        snprintf(fo, sizeof fo, "%.4f", 100 * rn->fo_final[d * K]);
    printf("  %-5s %-15s %10s %12s %10.4f %14.1f %12.1f\n", wiot_table_country(t, d),
           role_name((int)ro[d]), cp, fo, 100 * fa[d], ce[d], rv[d]);
}

static void print_summary(const wiot_table *t, const run *rn, int top, const opts *o)
{
    const size_t n = wiot_table_n(t), C = wiot_table_countries(t), S = wiot_table_sectors(t),
                 K = wiot_table_fd_categories(t);
    const wiot_result *r = rn->r;
    const wiot_result_summary *sm = wiot_result_summary_get(r);
    const double *ro = wiot_result_get(r, WIOT_R_ROLE, NULL);
    const double *fp = wiot_result_get(r, WIOT_R_FINAL_PRICE, NULL);
    const double *fd = wiot_result_get(r, WIOT_R_FINAL_DEFINED, NULL);
    const double *rv = wiot_result_get(r, WIOT_R_REVENUE, NULL);
    const double *ex = wiot_result_get(r, WIOT_R_EXACT, NULL);
    const double *cu = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL);
    const double *di = wiot_result_get(r, WIOT_R_DIRECT, NULL);
    const double *pr = ex ? ex : cu;

    printf("\nScenario %s\n", rn->name);
    printf("  table %s; pass-through %.2f; model %s", wiot_table_name(t), sm->rho,
           sm->models == WIOT_BOTH ? "exact and first-order" : sm->models == WIOT_EXACT ? "exact" : "first-order");
    if (ex) {
        const char *mname = sm->exact.method == WIOT_METHOD_WOODBURY ? "Woodbury"
                            : sm->exact.method == WIOT_METHOD_ITERATION ? "fixed-point"
                            : sm->exact.method == WIOT_METHOD_DENSE ? "dense LU" : "LU";
        printf(" (%s, rank %zu, %d refinement/iteration steps, residual %.2g)", mname, sm->exact.rank,
               sm->exact.iterations, sm->exact.residual);
    }
    printf("\n\n  Price changes by country, %% (consumer = households' basket incl. tariffs on final goods)\n");
    printf("  %-5s %-15s %10s %12s %10s %14s %12s\n", "", "role", "consumer", "first-order", "all final",
           "extra cost $m", "revenue $m");
    /* imposers and targets first, then the most affected third countries, then the
     * ones readers ask about */
    size_t *idx = malloc((n > C ? n : C) * sizeof *idx);
    double *key = malloc((n > C ? n : C) * sizeof *key);
    char *shown = calloc(C ? C : 1, 1);
    if (!idx || !key || !shown) {
        free(idx);
        free(key);
        free(shown);
        return;
    }
    for (size_t d = 0; d < C; d++)
        if (ro[d] != 0) {
            print_country_row(t, rn, d);
            shown[d] = 1;
        }
    for (size_t d = 0; d < C; d++)
        key[d] = (ro[d] == 0 && K > 0 && fd[d * K]) ? fp[d * K] : -INFINITY;
    sort_desc(idx, C, key);
    printf("  third countries, most affected:\n");
    for (size_t q = 0, k = 0; q < C && k < (size_t)top; q++) {
        size_t d = idx[q];
        if (key[d] == -INFINITY)
            break;
        print_country_row(t, rn, d);
        shown[d] = 1;
        k++;
    }
    static const char *asked[] = {"TWN", "KOR", "JPN", "MEX", "CAN", "DEU", "VNM"};
    int hdr = 0;
    for (size_t a = 0; a < sizeof asked / sizeof *asked; a++) {
        size_t d = wiot_table_find_country(t, asked[a]);
        if (d == (size_t)-1 || shown[d])
            continue;
        if (!hdr++)
            printf("  also:\n");
        print_country_row(t, rn, d);
        shown[d] = 1;
    }

    sort_desc(idx, n, pr);
    printf("\n  Most affected country-sectors (%s price change, %%)\n", ex ? "exact" : "first-order");
    printf("  %-10s %-40s %9s %11s %9s %14s\n", "", "sector", "direct", "cumulative", "exact", "extra cost $m");
    const double *xc = wiot_result_get(r, WIOT_R_EXTRA_COST, NULL);
    for (size_t q = 0; q < (size_t)top && q < n; q++) {
        size_t i = idx[q];
        char label[64], nb[128], cs[32] = "-", es[32] = "-";
        snprintf(label, sizeof label, "%s_%s", wiot_table_country(t, i / S), wiot_table_sector(t, i % S));
        const char *nm = sector_name(wiot_table_sector(t, i % S), nb, sizeof nb);
        if (cu)
            snprintf(cs, sizeof cs, "%.4f", 100 * cu[i]);
        if (ex)
            snprintf(es, sizeof es, "%.4f", 100 * ex[i]);
        printf("  %-10s %-40.40s %9.4f %11s %9s %14.1f\n", label, nm ? nm : "", 100 * di[i], cs, es, xc[i]);
    }
    printf("\n  Totals (millions of USD at base-year flows): extra input cost %.1f, of which third "
           "countries %.1f (%.1f%%); tariff revenue %.1f",
           sm->total_extra_cost, sm->third_extra_cost,
           sm->total_extra_cost != 0 ? 100 * sm->third_extra_cost / sm->total_extra_cost : 0.0,
           sm->total_revenue);
    int first = 1;
    for (size_t d = 0; d < C; d++)
        if (rv[d] != 0) {
            printf("%s%s %.1f", first ? " (" : ", ", wiot_table_country(t, d), rv[d]);
            first = 0;
        }
    printf("%s\n", first ? "" : ")");
    (void)o;
    free(idx);
    free(key);
    free(shown);
}

/* The data directory: $WIOT_DATA, then data/ beside the executable (the build
 * tree), ../share/wiot beside it (an installed copy), then the configured DATADIR. */
int data_path(const char *rel, char *buf, size_t size)
{
    char exe[4096];
    const char *env = getenv("WIOT_DATA");
    if (env && *env) {
        snprintf(buf, size, "%s/%s", env, rel);
        if (access(buf, R_OK) == 0)
            return 0;
    }
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *tries[] = {"%s/data/%s", "%s/../data/%s", "%s/../share/wiot/%s"};
            for (size_t q = 0; q < 3; q++) {
                snprintf(buf, size, tries[q], exe, rel);
                if (access(buf, R_OK) == 0)
                    return 0;
            }
        }
    }
#ifdef WIOT_DATADIR
    snprintf(buf, size, "%s/%s", WIOT_DATADIR, rel);
    if (access(buf, R_OK) == 0)
        return 0;
#endif
    return -1;
}

/* --years A:B | Y1,Y2,... | FILE1,FILE2,...: table paths into paths[], years[] */
static int parse_years(const char *spec, char paths[][4096], int *years, int max, int *count)
{
    int n = 0;
    char *e;
    long a = strtol(spec, &e, 10);
    if (e != spec && *e == ':') {
        long z = strtol(e + 1, &e, 10);
        if (*e || z < a || z - a + 1 > max)
            return usage_error("tariff", "--years takes FROM:TO, a comma list of years or of table files, got '%s'", spec);
        for (long y = a; y <= z; y++)
            years[n++] = (int)y;
    } else {
        const char *p = spec;
        while (*p) {
            const char *q = strchr(p, ',');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            if (len == 0 || len >= 4096 || n == max)
                return usage_error("tariff", "--years: bad list '%s'", spec);
            char item[4096];
            memcpy(item, p, len);
            item[len] = 0;
            long y = strtol(item, &e, 10);
            if (e != item && !*e) {
                years[n++] = (int)y;
            } else {
                years[n] = 0;
                strcpy(paths[n++], item);
            }
            p = q ? q + 1 : p + len;
        }
    }
    for (int q = 0; q < n; q++) {
        if (years[q] == 0)
            continue;
        char rel[64];
        snprintf(rel, sizeof rel, "wiod2013/wiot_%d.csv.gz", years[q]);
        if (data_path(rel, paths[q], 4096)) {
            fprintf(stderr, "wiot: no WIOD 2013 table for %d (looked for %s in $WIOT_DATA, the data/ folder "
                            "beside wiot and the installed share/wiot; the release covers 1995-2011)\n",
                    years[q], rel);
            return 1;
        }
    }
    *count = n;
    return 0;
}

static void print_years_summary(const run *runs, int nruns)
{
    printf("\n  %-6s %-32.32s %10s %10s %14s %12s\n", "year", "scenario", "USA cons.", "CHN cons.",
           "third cost $m", "revenue $m");
    for (int q = 0; q < nruns; q++) {
        const wiot_table *t = runs[q].t;
        const size_t K = wiot_table_fd_categories(t);
        const double *fp = wiot_result_get(runs[q].r, WIOT_R_FINAL_PRICE, NULL);
        const wiot_result_summary *sm = wiot_result_summary_get(runs[q].r);
        size_t us = wiot_table_find_country(t, "USA"), cn = wiot_table_find_country(t, "CHN");
        char a[32] = "-", b[32] = "-";
        if (us != (size_t)-1 && K)
            snprintf(a, sizeof a, "%.4f%%", 100 * fp[us * K]);
        if (cn != (size_t)-1 && K)
            snprintf(b, sizeof b, "%.4f%%", 100 * fp[cn * K]);
        printf("  %-6d %-32.32s %10s %10s %14.1f %12.1f\n", runs[q].year, runs[q].name, a, b, sm->third_extra_cost,
               sm->total_revenue);
    }
}

/* --map: a schedule in the scenario classification onto the table's sectors */
static int translate_schedule(wiot_ctx *ctx, wiot_schedule **s, const wiot_map *map, const wiot_table *t)
{
    wiot_schedule *s2 = NULL;
    int rc = wiot_schedule_translate(ctx, *s, map, t, &s2);
    wiot_schedule_free(*s);
    *s = s2;
    return rc;
}

static int cmd_tariff(int argc, char **argv)
{
    opts o;
    int rc = parse_opts("tariff", argc, argv, &o, ",t,s,n,o,threads,passthrough,method,top,quiet,years,map,",
                        TARIFF_HELP);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (o.years && o.table)
        return usage_error("tariff", "give either -t or --years");
    double t_start = now();
    enum { MAXT = 64 };
    static char paths[MAXT][4096];
    int years[MAXT], ntab = 1;
    if (o.years && (rc = parse_years(o.years, paths, years, MAXT, &ntab)))
        return rc;
    if (o.nnames == 0)
        o.names[o.nnames++] = DEFAULT_SCENARIO;
    wiot_ctx *ctx;
    wiot_table *tabs[MAXT];
    run *runs = calloc((size_t)ntab * (size_t)o.nnames, sizeof *runs);
    int nruns = 0;
    double lsecs = 0, fsecs = 0, ssecs = 0, ls;
    int nfact = 0;   /* factorizations done here (a campaign rank: its years) */
    wiot_info fi;
    memset(tabs, 0, sizeof tabs);
    memset(&fi, 0, sizeof fi);
    if (!runs) {
        fprintf(stderr, "wiot: out of memory\n");
        return 1;
    }
    wiot_map *tmap = NULL;   /* --map: scenario sectors -> table sectors */
    if ((rc = make_ctx(&o, &ctx)) || (o.map && (rc = load_map(ctx, o.map, &tmap))))
        goto done;
    for (int y = 0; y < ntab; y++) {
        opts oy = o;
        if (o.years)
            oy.table = paths[y];
        wiot_table *t = NULL;
        wiot_scenarios *sc = NULL;
        wiot_lu *lu = NULL;
        if ((rc = load_table(ctx, &oy, &t, &ls)))
            goto gather;
        tabs[y] = t;
        lsecs += ls;
        if ((rc = load_scenarios(ctx, &oy, t, &sc)))
            goto gather;
        /* a campaign (wiot-mpi) gives the tasks (year-major) to the ranks in contiguous
         * blocks, task i of T to rank i * size / T, so a rank factorizes only the years
         * of its block (round robin made every rank factorize every year when the
         * scenarios per year were a multiple of the ranks); serially every task is ours */
        const long ntask = (long)ntab * o.nnames;
        int own = 0;
        for (int q = 0; q < o.nnames; q++)
            own |= (int)((long)(nruns + q) * g_par.size / ntask) == g_par.rank;
        double t0 = now();
        nfact += own;
        if (own && (rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, &fi))) {
            wiot_scenarios_free(sc);
            rc = fail(ctx, rc);
            goto gather;
        }
        fsecs += now() - t0;
        const size_t C = wiot_table_countries(t), K = wiot_table_fd_categories(t);
        t0 = now();
        for (int q = 0; q < o.nnames && !rc; q++) {
            run *rn = &runs[nruns++];
            rn->name = o.names[q];
            rn->t = t;
            rn->year = o.years ? (years[y] ? years[y] : wiot_table_year(t)) : wiot_table_year(t);
            rn->owner = (int)((long)(nruns - 1) * g_par.size / ntask);
            wiot_schedule *s = NULL;
            if ((rc = wiot_result_new(ctx, t, &rn->r))) {
                rc = fail(ctx, rc);
            } else if (o.models == WIOT_BOTH && !(rn->fo_final = malloc((C * K + 1) * sizeof *rn->fo_final))) {
                fprintf(stderr, "wiot: out of memory\n");
                rc = 1;
            } else if (o.models == WIOT_BOTH && !(rn->fo_def = malloc(C * K + 1))) {
                fprintf(stderr, "wiot: out of memory\n");
                rc = 1;
            } else if (rn->owner != g_par.rank) {
                /* computed elsewhere; moved here below */
            } else if ((rc = wiot_scenarios_schedule(ctx, sc, rn->name, &s)) ||
                       (tmap && (rc = translate_schedule(ctx, &s, tmap, t))) ||
                       (rc = wiot_tariff(ctx, lu, s, o.rho, o.models, rn->r))) {
                rc = fail(ctx, rc);
            } else if (o.models == WIOT_BOTH) {
                if ((rc = wiot_final_prices(ctx, t, s, o.rho, wiot_result_get(rn->r, WIOT_R_CUMULATIVE, NULL),
                                                   rn->fo_final, rn->fo_def, NULL, NULL))) {
                    rc = fail(ctx, rc);
                }
            }
            wiot_schedule_free(s);
        }
        ssecs += now() - t0;
        wiot_lu_free(lu);
        wiot_scenarios_free(sc);
        if (rc)
            goto gather;
    }
gather:
    /* a campaign: agree on success, then bring every task's result to rank 0 */
    if (g_par.size > 1) {
        rc = g_par.agree(rc);
        for (int q = 0; q < nruns && !rc; q++) {
            run *rn = &runs[q];
            if (rn->owner == 0 || (g_par.rank != 0 && g_par.rank != rn->owner))
                continue;
            const size_t CK = wiot_table_countries(rn->t) * wiot_table_fd_categories(rn->t);
            rc = g_par.to_root(ctx, rn->r, rn->fo_final, rn->fo_final ? CK : 0, rn->owner);
            if (!rc && rn->fo_def) {   /* definedness depends on final demand only */
                const double *fd = wiot_result_get(rn->r, WIOT_R_FINAL_DEFINED, NULL);
                for (size_t k = 0; k < CK; k++)
                    rn->fo_def[k] = fd[k] != 0;
            }
        }
        rc = g_par.agree(rc);
        if (g_par.rank != 0) {   /* only rank 0 reports and writes */
            o.quiet = 1;
            o.out = NULL;
        }
    }
    if (rc)
        goto done;

    if (!o.quiet) {
        const wiot_table *t = tabs[0];
        if (o.years) {
            printf("wiot tariff over %d tables (%zu countries x %zu sectors)\n", ntab, wiot_table_countries(t),
                   wiot_table_sectors(t));
            print_years_summary(runs, nruns);
        } else {
            printf("wiot tariff on %s: %zu countries x %zu sectors%s\n", wiot_table_name(t), wiot_table_countries(t),
                   wiot_table_sectors(t), o.table ? "" : " (embedded WIOD 2013 world table)");
            for (int q = 0; q < nruns; q++)
                print_summary(t, &runs[q], o.top, &o);
        }
    }
    if (o.out) {
        if (mkdir(o.out, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "wiot: %s: cannot create directory: %s\n", o.out, strerror(errno));
            rc = 1;
            goto done;
        }
        char p1[4096], p2[4096];
        snprintf(p1, sizeof p1, "%s/prices.csv", o.out);
        snprintf(p2, sizeof p2, "%s/countries.csv", o.out);
        tariff_out to = {runs, nruns, o.years != NULL};
        outfile f1, f2;
        /* both files are complete on disk before either is renamed into place */
        if (out_open(&f1, p1)) {
            rc = 1;
            goto done;
        }
        if (out_open(&f2, p2)) {
            out_abort(&f1);
            rc = 1;
            goto done;
        }
        if (write_prices(f1.f, &to) || write_countries(f2.f, &to)) {
            fprintf(stderr, "wiot: %s: write failed: %s\n", o.out, strerror(errno));
            out_abort(&f1);
            out_abort(&f2);
            rc = 1;
            goto done;
        }
        if (out_close(&f1)) {
            out_abort(&f2);
            rc = 1;
            goto done;
        }
        if (out_close(&f2)) {
            unlink(f1.tmp);
            rc = 1;
            goto done;
        }
        if (out_commit(&f1) || out_commit(&f2)) {
            rc = 1;
            goto done;
        }
        if (!o.quiet)
            printf("\nwrote %s and %s\n", p1, p2);
    }
    if (!o.quiet)
        printf("\nTiming: load %.3f s, factorization %.3f s (%.1f GFLOP/s), %d scenario%s %.4f s, "
               "total %.3f s; threads %d, BLAS core %s; peak memory %.0f MB\n",
               lsecs, fsecs, fsecs > 0 ? fi.flops * nfact / fsecs * 1e-9 : 0.0, nruns, nruns == 1 ? "" : "s",
               ssecs, now() - t_start, o.threads > 0 ? o.threads : omp_get_max_threads(),
               openblas_get_corename(), cli_peak_mb());
done:
    for (int q = 0; q < nruns; q++) {
        wiot_result_free(runs[q].r);
        free(runs[q].fo_final);
        free(runs[q].fo_def);
    }
    free(runs);
    for (int y = 0; y < ntab; y++)
        wiot_table_free(tabs[y]);
    wiot_map_free(tmap);
    wiot_ctx_free(ctx);
    return rc;
}

/* Campaign hooks: serial defaults; wiot-mpi replaces them. */
static int serial_agree(int status) { return status; }
cli_par g_par = {0, 1, wiot_batch_run, NULL, serial_agree};

/* ------------------------------------------------------------------- main */
static const char *MAIN_HELP =
    "usage: wiot COMMAND [options]    (wiot COMMAND --help for each)\n"
    "World input-output analysis: Leontief and Ghosh inverses, multipliers and tariff\n"
    "pass-through on world input-output tables. With no -t, the embedded WIOD 2013\n"
    "world table for 2011 is used.\n"
    "commands:\n"
    "  info          dimensions and checks of a table\n"
    "  leontief      Leontief (or Ghosh) inverse with residual, flops and GFLOP/s\n"
    "  multipliers   output multipliers and linkages as CSV\n"
    "  tariff        tariff scenarios: prices, consumer prices, costs and revenue\n"
    "  sweep         one scenario at many scales or Monte Carlo draws (batched)\n"
    "  aggregate     sum a table into region and sector groups (mapping files)\n"
    "  convert       rewrite a table as binary .wiot (fast to load), CSV or gzip CSV\n"
    "  content       a source's value-added (or gross) content in every product; thresholds\n"
    "  tiva          trade in value added per country: DVA, FVA, participation, VAX\n"
    "  extract       hypothetical extraction of a source's supply: output lost\n"
    "  gvc           value chains: KWW, WWZ, Borin-Mancini, positions, bilateral trade\n"
    "  version       library version\n"
    "every command also takes --max-memory SIZE (e.g. 4G): refuse work that needs more\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(MAIN_HELP, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(MAIN_HELP, stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("wiot %s (library %s)\n", wiot_version_string(), wiot_version_string());
        return wiot_version_number() == WIOT_VERSION_NUMBER ? 0 : 1;
    }
    if (!strcmp(cmd, "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "leontief"))
        return cmd_leontief(argc - 1, argv + 1);
    if (!strcmp(cmd, "multipliers"))
        return cmd_multipliers(argc - 1, argv + 1);
    if (!strcmp(cmd, "tariff"))
        return cmd_tariff(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "aggregate"))
        return cmd_aggregate(argc - 1, argv + 1);
    if (!strcmp(cmd, "convert"))
        return cmd_convert(argc - 1, argv + 1);
    if (!strcmp(cmd, "content"))
        return cmd_content(argc - 1, argv + 1);
    if (!strcmp(cmd, "tiva"))
        return cmd_tiva(argc - 1, argv + 1);
    if (!strcmp(cmd, "gvc"))
        return cmd_gvc(argc - 1, argv + 1);
    if (!strcmp(cmd, "extract"))
        return cmd_extract(argc - 1, argv + 1);
    fprintf(stderr, "wiot: unknown command '%s' (see 'wiot --help')\n", cmd);
    return EXIT_USAGE;
}
