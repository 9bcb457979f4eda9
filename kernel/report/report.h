/* report.h -- SVG charts and the self-contained HTML report of wiot's CLI outputs
 * (kernel/report/, compiled into the CLI, not into libwiot: it writes files).
 *
 *   rcsv   a small bounded CSV reader for wiot's own outputs (sbuf.c)
 *   sbuf   a growing text buffer with XML escaping (sbuf.c)
 *   chart  one chart: bars, grouped bars, lines, bands or a world map (svg.c, map.c)
 *   report the charts of every recognised CSV of a run, as SVG files and one
 *          report.html (report.c: one table of charts per kind of CSV)
 *
 * Functions that can fail return 0 or 1 and leave a one-line message (naming the file,
 * line and problem) in a caller's buffer; only the CLI (kernel/cli_report.c) prints.
 * No global mutable state. */
#ifndef WIOT_REPORT_H
#define WIOT_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* A value as the CSV files print it: the shortest of %.15g/%.16g/%.17g that reads back to
 * the same double, so a mark's data-v is the CSV cell's own text. RV(v) gives one per use. */
static inline const char *report_num(double v, char *buf)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    return buf;
}
#define RV(v) report_num((v), (char[32]){0})
#include <stdio.h>

#define REPORT_MAX_CSV_BYTES ((size_t)256 << 20)   /* a CSV larger than this is refused */
#define REPORT_MAX_JSON_BYTES ((size_t)1 << 20)    /* run.json */
#define REPORT_ERRSZ 512

/* ------------------------------------------------------------------ text */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;   /* an allocation failed: the text is truncated, report it */
} sbuf;

void sb_init(sbuf *b);
void sb_free(sbuf *b);
void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_put(sbuf *b, const char *s, size_t n);
void sb_esc(sbuf *b, const char *s);   /* XML-escaped (&<>"') */

/* ------------------------------------------------------------------- CSV */
typedef struct rcsv {
    char path[1024];
    char *buf;        /* the file, NUL-terminated cells in place */
    char **cell;      /* nrow x ncol, row-major (row 0 is the first data row) */
    char **head;      /* ncol */
    size_t *lineno;   /* nrow: each row's line in the file */
    size_t nrow, ncol;
} rcsv;

/* Reads a whole CSV (at most REPORT_MAX_CSV_BYTES; quoted fields allowed). Every row
 * must have the header's number of fields. */
int rcsv_load(const char *path, rcsv *c, char *err, size_t errsz);
void rcsv_free(rcsv *c);
int rcsv_col(const rcsv *c, const char *name);   /* column index or -1 */
static inline const char *rcsv_get(const rcsv *c, size_t row, int col) { return c->cell[row * c->ncol + (size_t)col]; }
/* the number in (row, col): NAN when empty; 1 with "path:LINE: column 'x': 'abc' is not
 * a number" when malformed */
int rcsv_num(const rcsv *c, size_t row, int col, double *v, char *err, size_t errsz);

/* ------------------------------------------------------------- charts */
enum chart_kind { CH_BARS, CH_GROUPED, CH_LINES, CH_BAND, CH_MAP };
enum { CH_MAXS = 8 };   /* series in one chart */

/* bar colours: by role (imposer, target, both, third), by sign, or by series */
enum chart_colour { COL_SERIES, COL_ROLE, COL_SIGN, COL_HIGHLIGHT };

typedef struct chart {
    char id[128];           /* file stem: ID.svg, and the SVG element's id chart-ID */
    char title[256];
    char sub[256];          /* a second title line: scenario, year (may be empty) */
    char guide[400];        /* one-line reading guide */
    char unit[64];          /* shown after numbers: "%", "$m", "" */
    char note[400];         /* a footnote (may be empty) */
    int kind, colour;
    size_t n;               /* categories (bars, bands, map) or points (lines) */
    char **label;           /* n labels (bars, bands, map: table country codes) */
    int *cls;               /* n roles (COL_ROLE) or 0/1 highlight (COL_HIGHLIGHT) */
    size_t ns;              /* series */
    char *sname[CH_MAXS];   /* series names */
    double *v;              /* ns x n values: v[s * n + i]; NAN = missing */
    double *lo, *hi;        /* CH_BAND: n lower and upper ends (v = the median) */
    double *x;              /* CH_LINES: n x values, increasing */
    char xlabel[64];
    double mult;            /* displayed number = value * mult (100: fractions as %) */
    int dec;                /* decimals shown (as the terminal summary) */
    double mark[4];         /* CH_BARS: vertical reference lines (thresholds), value units */
    size_t nmark;
    int xint;               /* CH_LINES: x values are integers (years) */
} chart;

/* one allocation for labels/values; free with chart_free */
int chart_alloc(chart *ch, size_t n, size_t ns, int with_band, int with_x);
void chart_free(chart *ch);
/* Renders ch as an SVG element into b: standalone != 0 gives a document with the
 * XML namespace (for ID.svg), 0 an element for inline use in HTML. The map needs
 * the embedded outlines (map.c). Returns 0 or 1 (out of memory). */
int chart_svg(sbuf *b, const chart *ch, int standalone);

/* number formatting as in the terminal summaries: value * mult with dec decimals */
void fmt_num(char *buf, size_t size, double v, double mult, int dec);

/* --------------------------------------------------------------- map */
/* ISO 3166-1 alpha-3 code for a table's country code (WIOD 2013/2016, ICIO, EXIOBASE
 * two-letter, Eora), "ROW" for rest-of-world regions, NULL when unknown. */
const char *map_iso3(const char *code);
int map_svg(sbuf *b, const chart *ch, double y0);   /* the map body of a CH_MAP chart */
double map_frame_height(void);   /* of the outlines' 960-wide frame */
size_t map_known(const chart *ch);   /* labels with an ISO 3166 code (or RoW) */

/* ------------------------------------------------------------- report */
typedef struct report_prov {   /* provenance when there is no run.json */
    const char *command;
    int argc;
    char **argv;
    /* a sector code's name, or NULL (the CLI's classification lookup; may be NULL) */
    const char *(*sector_name)(const char *code, char *buf, size_t size);
    const char *source;   /* wiot content's --source SPEC, or NULL (from run.json's argv) */
} report_prov;

enum { REPORT_MAX_CHARTS = 64 };
typedef struct chart_list {
    chart ch[REPORT_MAX_CHARTS];
    char file[REPORT_MAX_CHARTS][64];   /* what made each chart ("tariff", "sweep --scale") */
    size_t n;
} chart_list;
void chart_list_free(chart_list *L);
/* The charts of one CSV, appended to L with ids "STEM_ID" (STEM: the CSV's name
 * without .csv). *kind: the CSV's kind, NULL when it is no wiot output (no charts).
 * Returns 0 or 1 with a message in err. */
int report_csv_charts(const rcsv *c, const char *stem, const report_prov *pv, chart_list *L, const char **kind,
                      char *err, size_t errsz);

/* Reads the CSVs of a run -- every recognised *.csv in the directory `path`, or the
 * one CSV file `path` -- and writes each chart as an SVG file and report.html beside
 * them (for a file F.csv: F.html and F_ID.svg). run.json in the same directory, when
 * present, gives the provenance, else `prov` (may be NULL). written: the number of
 * files written. Returns 0 or 1 with a message in err. */
int report_build(const char *path, const report_prov *prov, int *written, char *err, size_t errsz);

/* the kind of a wiot CSV from its header: a name such as "tariff countries", or NULL */
const char *report_kind(const rcsv *c);

/* writes `text` (len bytes) to `path` atomically (a temporary renamed into place);
 * provided by the CLI (kernel/cli_report.c) */
int report_write_file(const char *path, const char *text, size_t len, char *err, size_t errsz);

#endif
