/* cli.h -- shared pieces of the wiot command-line driver (kernel/cli*.c). The
 * driver is a client of the public API only. */
#ifndef WIOT_CLI_H
#define WIOT_CLI_H

#include <stdio.h>
#include "wiot.h"

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
    int quiet;
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
    int reported_go;          /* --reported-go (wiot gvc) */
} opts;

typedef struct outfile {
    char path[4096];
    char tmp[4200];
    FILE *f;
} outfile;

double now(void);
/* print "wiot: <message>" for a failed library call; returns 1 */
int fail(wiot_ctx *ctx, int rc);
/* print "wiot CMD: <message> (see 'wiot CMD --help')"; returns EXIT_USAGE */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int parse_int(const char *s, int lo, int hi, int *out);
/* Parse argv into o; `allowed` lists the long option names this command accepts as
 * ",t,o,threads,". Returns 0, 1 (help printed) or EXIT_USAGE. */
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
} cli_par;
extern cli_par g_par;
/* subcommands in their own files */
int cmd_sweep(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);   /* cli_aggregate.c */
int cmd_convert(int argc, char **argv);
int cmd_content(int argc, char **argv);   /* cli_exposure.c */
int cmd_tiva(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_gvc(int argc, char **argv);       /* cli_gvc.c */
const char *role_name(int role);

#endif
