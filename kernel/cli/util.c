/* util.c -- what every command of the driver shares: option parsing, the context,
 * the table and scenarios to use (embedded defaults, the data directory), sector
 * names, the atomic output files (on the library's writer rules: common/io.c) and
 * small helpers. */
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

#include <zlib.h>

#include "cli.h"
#include "common/common.h"
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

/* Warnings are collected while a command runs and printed when it ends, each distinct
 * message once (a scenario file read again for every year of --years warns once), and
 * only when the command succeeds: a failing command prints its one error line alone
 * (README "Command line"). Driver state: the library keeps none. */
#define MAX_WARN 64
static char *g_warn[MAX_WARN];
static size_t g_nwarn, g_nwarn_more;
static void log_warning(void *ud, int level, const char *msg)
{
    (void)ud;
    char line[1200];
    snprintf(line, sizeof line, "wiot: %s: %s\n", level == WIOT_LOG_WARN ? "warning" : "note", msg);
    for (size_t i = 0; i < g_nwarn; i++)
        if (!strcmp(g_warn[i], line))
            return;
    if (g_nwarn < MAX_WARN && (g_warn[g_nwarn] = strdup(line)))
        g_nwarn++;
    else
        g_nwarn_more++;
}

void flush_warnings(int print)
{
    for (size_t i = 0; i < g_nwarn; i++) {
        if (print)
            fputs(g_warn[i], stderr);
        free(g_warn[i]);
    }
    if (print && g_nwarn_more)
        fprintf(stderr, "wiot: warning: %zu more warnings not shown\n", g_nwarn_more);
    g_nwarn = g_nwarn_more = 0;
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
enum { OPT_CONTENT_MEASURE = 2300 };   /* tariff, sweep, scenarios: --content-measure va|gross */
/* satellite accounts (cmd_footprint.c) */
enum { OPT_EXTENSIONS = 2400, OPT_EXTENSIONS_FD, OPT_EXTENSION, OPT_BY_CATEGORY };
enum { OPT_ELASTICITIES = 2500, OPT_DEFICITS, OPT_BASELINE };   /* wiot ge */
enum { OPT_NO_REPORT = 2600 };
enum { OPT_REPORTED_GO = 2700 };   /* wiot gvc --reported-go */  /* accepted by every command: -o writes no report */

/* "512M", "4G", "1.5G", "1048576": bytes (K, M, G, T = powers of 1024; a trailing "B"
 * or "iB" is allowed). -1 if malformed. */
int parse_num(const char *s, double *out)
{
    return wi_num(s, strlen(s), out) == WI_NUM_OK ? 0 : -1;
}

static double parse_size(const char *s)
{
    /* the number: digits[.digits][e digits] of the one grammar (wi_num; no hex) */
    const char *e = s;
    while ((*e >= '0' && *e <= '9') || *e == '.' ||
           ((*e == 'e' || *e == 'E') && e > s && e[1] >= '0' && e[1] <= '9'))
        e++;
    double v;
    if (!(s[0] >= '0' && s[0] <= '9') || wi_num(s, (size_t)(e - s), &v) != WI_NUM_OK || !(v >= 0))
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
    if (v < 1)
        return -2;   /* below one byte: an error, not "no limit" */
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
/* A command's help: its own text, then the shared options it accepts that the text
 * does not already describe (so no command's help can omit one: wiot help-check). */
void print_help(FILE *f, const char *help, const char *allowed)
{
    static const struct { const char *key, *name, *text; } common[] = {
        {",t,", "--format", "  --format F   read TABLE in layout F: auto (default: detected), csv, wiot, icio,\n"
                            "               wiod2016, exiobase, eora26\n"},
        {",t,", "--keep-splits", "  --keep-splits  keep OECD ICIO split countries (CN1, MX1, ...) instead of adding\n"
                                 "               them into CHN and MEX\n"},
        {",threads,", "--threads", "  --threads N  threads for the linear algebra (default: every core)\n"},
        {",t,", "--max-memory", "  --max-memory SIZE  refuse, before allocating, work that needs more than SIZE\n"
                                "               (512M, 4G, bytes); default: the memory available\n"},
    };
    fputs(help, f);
    int head = 0;
    for (size_t i = 0; i < sizeof common / sizeof *common; i++) {
        if (!allowed || !strstr(allowed, common[i].key) || strstr(help, common[i].name))
            continue;
        if (!head++)
            fputs("options every command that reads a table takes:\n", f);
        fputs(common[i].text, f);
    }
}

/* A keyword option: *out = vals[k] for names[k] == arg (names NULL-terminated); -1 when
 * arg is none of them (*out untouched). */
static int pick(const char *arg, const char *const *names, const int *vals, int *out)
{
    for (size_t k = 0; names[k]; k++)
        if (!strcmp(arg, names[k])) {
            *out = vals[k];
            return 0;
        }
    return -1;
}

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
        {"inverse", required_argument, 0, OPT_INVERSE}, {"no-report", no_argument, 0, OPT_NO_REPORT},
        {"reported-go", no_argument, 0, OPT_REPORTED_GO},
        {"content-measure", required_argument, 0, OPT_CONTENT_MEASURE},
        {"extensions", required_argument, 0, OPT_EXTENSIONS},
        {"extensions-fd", required_argument, 0, OPT_EXTENSIONS_FD},
        {"extension", required_argument, 0, OPT_EXTENSION},
        {"by-category", no_argument, 0, OPT_BY_CATEGORY},
        {"elasticities", required_argument, 0, OPT_ELASTICITIES},
        {"deficits", required_argument, 0, OPT_DEFICITS}, {"baseline", required_argument, 0, OPT_BASELINE},
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
        case OPT_CONTENT_MEASURE: name = "content-measure"; break;
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
        case OPT_NO_REPORT: o->no_report = 1; continue;
        case OPT_REGIONS: name = "regions"; break;
        case OPT_SECTORS: name = "sectors"; break;
        case OPT_MAP: name = "map"; break;
        case OPT_SOURCE: name = "source"; break;
        case OPT_MEASURE: name = "measure"; break;
        case OPT_THRESHOLD: name = "threshold"; break;
        case OPT_TO: name = "to"; break;
        case OPT_BY_SECTOR: name = "by-sector"; break;
        case OPT_EXTENSIONS: name = "extensions"; break;
        case OPT_EXTENSIONS_FD: name = "extensions-fd"; break;
        case OPT_EXTENSION: name = "extension"; break;
        case OPT_BY_CATEGORY: name = "by-category"; break;
        case OPT_ELASTICITIES: name = "elasticities"; break;
        case OPT_DEFICITS: name = "deficits"; break;
        case OPT_BASELINE: name = "baseline"; break;
        case OPT_REPORTED_GO: name = "reported-go"; break;
        case OPT_MAX_MEMORY:
            if ((o->max_memory = parse_size(optarg)) == -2)
                return usage_error(cmd, "--max-memory '%s' is below one byte (a size such as 512M "
                                   "or 4G)", optarg);
            if (o->max_memory < 0)
                return usage_error(cmd, "--max-memory takes a size such as 512M, 4G or 1073741824, "
                                   "got '%s'", optarg);
            continue;
        case 'h': print_help(stdout, help, allowed); return 1;
        case ':': return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
        char key[32];
        snprintf(key, sizeof key, ",%s,", name);
        if (!strstr(allowed, key))
            return usage_error(cmd, "option '%s%s' does not apply to this command",
                               name[1] ? "--" : "-", name);   /* the option, not its value */
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
        case OPT_PASS:
            if (parse_num(optarg, &o->rho) || !(o->rho >= 0 && o->rho <= 1))
                return usage_error(cmd, "--passthrough takes a number in [0, 1], got '%s'", optarg);
            break;
        case OPT_METHOD:
            if (pick(optarg, (const char *const[]){"exact", "first-order", "both", NULL},
                     (const int[]){WIOT_EXACT, WIOT_FIRST_ORDER, WIOT_BOTH}, &o->models))
                return usage_error(cmd, "--method takes exact, first-order or both, got '%s'", optarg);
            break;
        case OPT_INVERSE:
            if (pick(optarg, (const char *const[]){"auto", "lapack", "recursive", NULL},
                     (const int[]){WIOT_INVERSE_AUTO, WIOT_INVERSE_LAPACK, WIOT_INVERSE_RECURSIVE},
                     &o->inverse))
                return usage_error(cmd, "--inverse takes auto, lapack or recursive, got '%s'", optarg);
            break;
        case OPT_CONTENT_MEASURE:
            if (pick(optarg, (const char *const[]){"va", "gross", NULL},
                     (const int[]){WIOT_MEASURE_VA, WIOT_MEASURE_GROSS}, &o->content_measure))
                return usage_error(cmd, "--content-measure takes va or gross, got '%s'", optarg);
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
            (void)e;
            if (parse_num(optarg, &o->sd) || !(o->sd >= 0 && o->sd <= 10))
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
        case OPT_EXTENSIONS: o->extensions = optarg; break;
        case OPT_EXTENSIONS_FD: o->extensions_fd = optarg; break;
        case OPT_EXTENSION: o->extension = optarg; break;
        case OPT_BY_CATEGORY: o->by_category = 1; break;
        case OPT_ELASTICITIES: o->elasticities = optarg; break;
        case OPT_DEFICITS: o->deficits = optarg; break;
        case OPT_BASELINE: o->baseline = optarg; break;
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
    if (g_par.rank == 0 && !o->quiet)   /* warnings once, from rank 0 of a campaign */
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
    /* The shipped WIOD tables' known properties (rows off by the source's rounding, two
     * zero-output rows with entries) are not warnings about the user's data: they are
     * one line of `wiot info`. The user's own tables keep their warnings. */
    int shipped = !o->table || o->shipped;
    if (shipped)
        wiot_ctx_set_log(ctx, NULL, NULL);
    if (o->table)
        rc = wiot_table_load_format(ctx, o->table, o->in_format ? wiot_format_from_name(o->in_format)
                                                                : WIOT_FORMAT_AUTO, t);
    else
        rc = wiot_table_load_static(ctx, wiot_emb_table_wiod2013_2011,
                                    (size_t)(wiot_emb_table_wiod2013_2011_end - wiot_emb_table_wiod2013_2011),
                                    "wiot_2011.csv.gz", t);
    if (shipped && g_par.rank == 0 && !o->quiet)
        wiot_ctx_set_log(ctx, log_warning, NULL);
    if (secs)
        *secs = now() - t0;
    return rc ? fail(ctx, rc) : 0;
}

/* WIOD 2016 names: "index,code,name", the name possibly quoted. */
const char *sector_name_2016(const char *code, char *buf, size_t size)
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

/* A path for a message: control characters as '?', as wi_error shows them, so that a
 * refusal stays one line whatever the path holds. */
const char *shown_path(char *buf, size_t size, const char *path)
{
    size_t k = 0;
    for (; path[k] && k + 1 < size; k++)
        buf[k] = (unsigned char)path[k] < 0x20 || path[k] == 0x7f ? '?' : path[k];
    buf[k] = '\0';
    return buf;
}

int out_open(outfile *of, const char *path)
{
    memset(of, 0, sizeof *of);
    of->w.fd = -1;
    wiot_ctx *ctx = NULL;
    if (wiot_ctx_new(&ctx)) {
        fprintf(stderr, "wiot: out of memory\n");
        return 1;
    }
    int rc = wi_out_open(ctx, path, &of->w);
    if (rc) {
        fail(ctx, rc);
        wiot_ctx_free(ctx);
        return 1;
    }
    wiot_ctx_free(ctx);
    of->f = fdopen(of->w.fd, "w");
    if (!of->f) {
        int err = errno;
        wi_out_abort(&of->w);
        char sp[4096];
        fprintf(stderr, "wiot: %s: %s\n", shown_path(sp, sizeof sp, path), strerror(err));
        return 1;
    }
    return 0;
}

void out_abort(outfile *of)
{
    if (of->f) {
        fclose(of->f);
        of->f = NULL;
        of->w.fd = -1;
    }
    wi_out_abort(&of->w);
}

/* flush and check the stream; 0 on success (fsync, close and rename in out_commit) */
int out_close(outfile *of)
{
    int bad = ferror(of->f) || fflush(of->f) != 0;
    int err = errno;
    if (bad) {
        char sp[4096];
        fprintf(stderr, "wiot: %s: write failed: %s\n", shown_path(sp, sizeof sp, of->w.path), strerror(err ? err : EIO));
        out_abort(of);
        return 1;
    }
    return 0;
}

int out_commit(outfile *of)
{
    /* the stream is flushed; hand its descriptor to the writer, which fsyncs, closes
     * and renames (the FILE's buffer is freed without another close of the fd) */
    int fd = dup(fileno(of->f));
    fclose(of->f);
    of->f = NULL;
    of->w.fd = fd;
    wiot_ctx *ctx = NULL;
    if (fd < 0 || wiot_ctx_new(&ctx)) {
        wi_out_abort(&of->w);
        char sp[4096];
        fprintf(stderr, "wiot: %s: write failed: %s\n", shown_path(sp, sizeof sp, of->w.path), strerror(errno ? errno : EIO));
        return 1;
    }
    int rc = wi_out_commit(ctx, &of->w, 0);
    if (rc)
        fail(ctx, rc);
    wiot_ctx_free(ctx);
    return rc ? 1 : 0;
}

/* One file written atomically by a callback. */
int write_atomic(const char *path, int (*fn)(FILE *, void *), void *ud)
{
    outfile of;
    if (out_open(&of, path))
        return 1;
    if (fn(of.f, ud)) {   /* a write failed (ferror): say so; no partial file is left */
        int err = errno;
        char sp[4096];
        fprintf(stderr, "wiot: %s: write failed: %s\n", shown_path(sp, sizeof sp, path), strerror(err ? err : EIO));
        out_abort(&of);
        return 1;
    }
    if (out_close(&of))
        return 1;
    return out_commit(&of);
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
            /* one line: the advice is part of the refusal, not a second message */
            if (strstr(wiot_errmsg(ctx), "field 'sector': unknown sector") && !o->map) {
                fprintf(stderr, "wiot: %s; a scenario written in another sector classification "
                        "can be translated with --map MAP.csv (e.g. --map wiod2016_to_wiod2013)\n",
                        wiot_errmsg(ctx));
                return 1;
            }
            return fail(ctx, rc);
        }
    *out = sc;
    return 0;
}

/* descending by key, ties by index (qsort_r: no global for the key) */
static int by_key_desc(const void *a, const void *b, void *ud)
{
    const double *key = ud;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double x = key[i], y = key[j];
    return x < y ? 1 : x > y ? -1 : (i > j) - (i < j);
}

void sort_desc(size_t *idx, size_t n, const double *key)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, by_key_desc, (void *)(uintptr_t)key);
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

const char *role_name(int role)
{
    switch (role) {
    case WIOT_ROLE_IMPOSER: return "imposer";
    case WIOT_ROLE_TARGET: return "target";
    case WIOT_ROLE_IMPOSER | WIOT_ROLE_TARGET: return "imposer+target";
    default: return "third";
    }
}


const char *fmt_g(double v, char *buf)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

/* ------------------------------------------------------------- run record */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

typedef struct run_rec {
    const char *command;
    int argc;
    char **argv;
    const wiot_table *t;
    const opts *o;
    const char *const *names;
    int nnames;
} run_rec;

static int write_run(FILE *f, void *ud)
{
    const run_rec *r = ud;
    const wiot_table *t = r->t;
    const size_t n = wiot_table_n(t), CK = wiot_table_countries(t) * wiot_table_fd_categories(t);
    /* the table's identity: CRC-32 of its Z, F and x as stored (doubles) */
    uLong crc = crc32(0L, Z_NULL, 0);
    const double *arr[3] = {wiot_table_Z(t), wiot_table_F(t), wiot_table_x(t)};
    size_t len[3] = {n * n, n * CK, n};
    for (int k = 0; k < 3; k++) {
        const unsigned char *p = (const unsigned char *)arr[k];
        size_t bytes = arr[k] ? len[k] * sizeof(double) : 0;
        while (bytes) {
            uInt chunk = bytes > (1u << 30) ? (1u << 30) : (uInt)bytes;
            crc = crc32(crc, p, chunk);
            p += chunk;
            bytes -= chunk;
        }
    }
    char date[32];
    time_t now_t = time(NULL);
    struct tm tmv;
    gmtime_r(&now_t, &tmv);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    fputs("{\n  \"wiot_version\": ", f);
    json_str(f, wiot_version_string());
    fputs(",\n  \"command\": ", f);
    json_str(f, r->command);
    fputs(",\n  \"argv\": [\"wiot\"", f);
    for (int i = 0; i < r->argc; i++) {
        fputs(", ", f);
        json_str(f, r->argv[i]);
    }
    fputs("],\n  \"table\": {\"name\": ", f);
    json_str(f, wiot_table_name(t));
    fputs(", \"path\": ", f);
    json_str(f, r->o->table ? r->o->table : "(embedded WIOD 2013, 2011)");
    fprintf(f, ", \"countries\": %zu, \"sectors\": %zu, \"year\": %d, \"crc32\": \"%08lx\"},\n",
            wiot_table_countries(t), wiot_table_sectors(t), wiot_table_year(t), (unsigned long)crc);
    fputs("  \"scenario_files\": [", f);
    if (r->o->nscen == 0)
        json_str(f, "(built-in)");
    for (int i = 0; i < r->o->nscen; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, r->o->scen[i]);
    }
    fputs("],\n  \"scenarios\": [", f);
    for (int i = 0; i < r->nnames; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, r->names[i]);
    }
    fprintf(f, "],\n  \"pass_through\": %s,\n  \"method\": \"%s\",\n", G(r->o->rho),
            r->o->models == WIOT_BOTH ? "both" : r->o->models == WIOT_EXACT ? "exact" : "first-order");
    fprintf(f, "  \"threads\": %d,\n  \"date\": \"%s\"\n}\n",
            r->o->threads > 0 ? r->o->threads : omp_get_max_threads(), date);
    return ferror(f) ? 1 : 0;
}

int write_run_record(const char *dir, const char *command, int argc, char **argv, const wiot_table *t,
                     const opts *o, const char *const *names, int nnames)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/run.json", dir);
    run_rec r = {command, argc, argv, t, o, names, nnames};
    return write_atomic(path, write_run, &r);
}
