/* cli.h -- shared pieces of the wiot command-line driver (kernel/cli/). The driver is
 * a client of the public API, plus the atomic writer of common/ (one writer for the
 * library and the driver). */
#ifndef WIOT_CLI_H
#define WIOT_CLI_H

#include <stdio.h>
#include "wiot.h"
#include "common/common.h"   /* the atomic writer (wi_out) */

/* Peak resident memory of this process so far, in MB (getrusage; 0 if unknown). */
double cli_peak_mb(void);

#define EXIT_USAGE 2
#define DEFAULT_SCENARIO "us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved"

typedef struct opts {
    const char *table;        /* -t: path, or NULL for the embedded default */
    const char *out;          /* -o */
    const char *scen[64];     /* -s */
    int nscen;
    const char *names[256];   /* -n */
    int nnames;
    int threads;              /* --threads, -1 = default */
    double max_memory;        /* --max-memory SIZE in bytes, 0 = no limit */
    int ghosh;
    int inverse;              /* --inverse: enum wiot_inverse_path (0 = auto) */
    double rho;
    int models;
    int quiet;                /* --quiet: no summary, no warnings */
    int shipped;              /* -t is one of the shipped WIOD tables (--years) */
    int top;
    /* batches (wiot sweep, --years) */
    const char *scale;        /* --scale FROM:TO:STEPS */
    int draws;                /* --draws N (Monte Carlo) */
    unsigned long seed;       /* --seed S */
    double sd;                /* --sd X */
    const char *years;        /* --years 1995:2011 or a comma list */
    const char *format;       /* --format */
    /* provider layouts and aggregation */
    const char *in_format;    /* --format of the input table (not for convert) */
    int keep_splits;          /* --keep-splits */
    const char *regions;      /* --regions MAP */
    const char *sectors;      /* --sectors MAP */
    const char *map;          /* --map MAP (tariff) */
    /* supply-chain exposure (wiot content, tiva, extract) */
    const char *source;       /* --source COUNTRIES[:SECTORS] */
    const char *measure;      /* --measure va|gross */
    const char *threshold;    /* --threshold X[,Y...] */
    const char *to;           /* --to COUNTRIES */
    int by_sector;            /* --by-sector */
    int content_measure;      /* --content-measure va|gross: enum wiot_measure of the shares
                                 behind content-based scenario lines (default va) */
    /* satellite accounts (wiot footprint, wiot multipliers --extension) */
    const char *extensions;   /* --extensions FILE */
    const char *extensions_fd;/* --extensions-fd FILE */
    const char *extension;    /* --extension NAME */
    int by_category;          /* --by-category */
    /* general equilibrium (wiot ge) */
    const char *elasticities; /* --elasticities FILE */
    const char *deficits;     /* --deficits zero|fixed */
    const char *baseline;     /* --baseline NAME */
    int no_report;            /* --no-report: -o writes no report.html / SVG charts */
    int reported_go;          /* --reported-go (wiot gvc) */
} opts;

/* an output file on the library's atomic writer (common/io.c: temporary beside the
 * target, then rename; symbolic links followed; FIFOs and devices written in place) */
typedef struct outfile {
    wi_out w;
    FILE *f;
} outfile;

double now(void);
/* print "wiot: <message>" for a failed library call; returns 1 */
int fail(wiot_ctx *ctx, int rc);
/* print "wiot CMD: <message> (see 'wiot CMD --help')"; returns EXIT_USAGE */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int parse_int(const char *s, int lo, int hi, int *out);
/* a whole option value in the one number grammar (common/text.c wi_num: decimal only,
 * no hex, "inf" or spaces): 0, or -1 when it is not one */
int parse_num(const char *s, double *out);
/* path with control characters as '?' (one-line messages) in buf */
const char *shown_path(char *buf, size_t size, const char *path);
/* Parse argv into o; `allowed` lists the long option names this command accepts as
 * ",t,o,threads,". Returns 0, 1 (help printed) or EXIT_USAGE. */
/* help text plus the shared options it does not describe (see util.c) */
void print_help(FILE *f, const char *help, const char *allowed);
int parse_opts(const char *cmd, int argc, char **argv, opts *o, const char *allowed, const char *help);
int make_ctx(const opts *o, wiot_ctx **ctx);
/* -t path, or the embedded default table; prints the error and returns 1 on failure */
int load_table(wiot_ctx *ctx, const opts *o, wiot_table **t, double *secs);
const char *sector_name(const char *code, char *buf, size_t size);
int is_wiod2013(const wiot_table *t);
int is_wiod2016(const wiot_table *t);
/* --regions/--sectors/--map argument: a path or a shipped map's name */
int load_map(wiot_ctx *ctx, const char *arg, wiot_map **out);
/* atomic files: a temporary beside the target, renamed into place on commit */
int out_open(outfile *of, const char *path);
void out_abort(outfile *of);
int out_close(outfile *of);
int out_commit(outfile *of);
int write_atomic(const char *path, int (*fn)(FILE *, void *), void *ud);
/* DIR/run.json: how the files beside it were made (version, command line, table name,
 * path, dimensions and CRC-32 of its data, scenario files and names, pass-through,
 * method, threads, UTC date). Prints the error and returns 1 on failure. */
int write_run_record(const char *dir, const char *command, int argc, char **argv, const wiot_table *t,
                     const opts *o, const char *const *names, int nnames);
/* A number for a result file: the shortest of %.15g, %.16g and %.17g that reads back
 * to the same double, so files reproduce the library's numbers exactly (0.1 prints as
 * 0.1, not 0.10000000000000001). buf: 32 bytes. G(v) gives one per use. */
const char *fmt_g(double v, char *buf);
#define G(v) fmt_g((v), (char[32]){0})
void sort_desc(size_t *idx, size_t n, const double *key);
/* a file under the data directory ($WIOT_DATA, data/ beside the executable,
 * ../share/wiot, DATADIR); 0 if found */
int data_path(const char *rel, char *buf, size_t size);
int load_scenarios(wiot_ctx *ctx, const opts *o, const wiot_table *t, wiot_scenarios **out);

/* Campaigns over MPI ranks (wiot-mpi sets these; the serial CLI has rank 0 of 1):
 * batch_run runs a batch (wiot_batch_run or its MPI campaign), to_root moves a
 * result (plus nextra doubles) computed on rank `from` to rank 0, agree makes every
 * rank return the same status. */
typedef struct cli_par {
    int rank, size;
    int (*batch_run)(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *s, size_t m, double rho,
                     int models);
    int (*to_root)(wiot_ctx *ctx, wiot_result *r, double *extra, size_t nextra, int from);
    int (*agree)(int status);
    /* wiot-mpi ge: move GE result r (may be NULL) with its info (may be NULL) and
     * nextra doubles from rank `from` to rank 0; NULL serially (never called) */
    int (*ge_to_root)(wiot_ctx *ctx, wiot_ge_result *r, wiot_ge_info *info, double *extra,
                      size_t nextra, int from);
} cli_par;
extern cli_par g_par;
/* subcommands, one file each (cmd_*.c), with their help texts; main.c's command
 * table lists them */
int cmd_info(int argc, char **argv);        /* cmd_info.c */
int cmd_leontief(int argc, char **argv);    /* cmd_model.c */
int cmd_multipliers(int argc, char **argv);
int cmd_tariff(int argc, char **argv);      /* cmd_tariff.c */
extern const char *const INFO_HELP, *const LEONTIEF_HELP, *const MULT_HELP, *const TARIFF_HELP,
    *const SWEEP_HELP, *const AGGREGATE_HELP, *const CONVERT_HELP, *const CONTENT_HELP,
    *const TIVA_HELP, *const EXTRACT_HELP;
extern const char *const SCENARIOS_HELP, *const SCENARIOS_OPTS, *const FOOT_HELP, *const FOOT_OPTS, *const GE_HELP, *const GE_OPTS,
    *const REPORT_HELP, *const REPORT_OPTS, *const GVC_HELP, *const GVC_OPTS;
/* print the warnings collected during the command (print != 0) and forget them */
void flush_warnings(int print);
/* the options each accepts (parse_opts's `allowed`) */
extern const char *const INFO_OPTS, *const LEONTIEF_OPTS, *const MULTIPLIERS_OPTS, *const TARIFF_OPTS,
    *const SWEEP_OPTS, *const AGGREGATE_OPTS, *const CONVERT_OPTS, *const CONTENT_OPTS,
    *const TIVA_OPTS, *const EXTRACT_OPTS;
/* WIOD 2016 sector names (util.c) */
const char *sector_name_2016(const char *code, char *buf, size_t size);
int cmd_sweep(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);   /* cmd_aggregate.c */
int cmd_convert(int argc, char **argv);
int cmd_content(int argc, char **argv);   /* cmd_exposure.c */
int cmd_tiva(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);   /* cmd_scenarios.c */
int cmd_ge(int argc, char **argv);        /* cmd_ge.c */
int cmd_gvc(int argc, char **argv);       /* cmd_gvc.c */
const char *role_name(int role);
int cmd_footprint(int argc, char **argv);   /* cli_footprint.c */
int ext_multipliers(const opts *o);          /* wiot multipliers --extension */
/* wiot tariff --extension: the stressors embodied in the imports scenario s taxes */
int ext_tariff_report(wiot_ctx *ctx, const opts *o, const wiot_table *t, const wiot_lu *lu,
                      const wiot_schedule *s, const char *name);
/* wiot content --extension: products ranked by the source's stressor embodied in them */
int ext_content_report(wiot_ctx *ctx, const opts *o, const wiot_table *t, const wiot_lu *lu,
                       const unsigned char *mask);
/* wiot extract --extension: the stressors of the output lost (n each) */
int ext_extract_report(wiot_ctx *ctx, const opts *o, const wiot_table *t, const double *lost,
                       const double *lost_final, const double *lost_ghosh);
/* charts and report.html of an -o output (kernel/cli/cmd_report.c, kernel/report/): call it
 * once the CSV files (and run.json, which gives the provenance) are in place; nothing
 * without -o or with --no-report; 0, or 1 with the reason printed */
int cli_report(const opts *o, const char *cmd, int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
