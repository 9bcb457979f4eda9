/* charts.h -- helpers shared by the chart builders of kernel/report/ (charts_*.c):
 * one builder per kind of wiot CSV, listed in report.c's KINDS table. Internal. */
#ifndef WIOT_REPORT_CHARTS_H
#define WIOT_REPORT_CHARTS_H

#include "report.h"

enum { TOP = 20 };       /* rows of the "most affected" charts */
enum { MAXROWS = 60 };   /* rows of a by-country chart (Eora has 190 countries) */

/* a new chart at the end of L (NULL when out of memory or L is full) */
chart *add_chart(chart_list *L, const char *id, int kind, size_t n, size_t ns, int band, int x);
/* A world map of n countries for the output stem `file`, values shown in % (mult 100). */
chart *add_map(chart_list *L, size_t n, const char *file);
char *xdup(const char *s);
/* err = "FILE: out of memory"; evaluates to 1 */
#define OOM(e, sz, c) (snprintf(e, sz, "%s: out of memory", (c)->path), 1)
int role_of(const char *s);   /* 1 imposer, 2 target, 3 both, 0 third */
/* distinct values of a column in order of first appearance (at most max) */
size_t distinct(const rcsv *c, int col, const char **out, size_t max);
/* indices 0..n-1 sorted by key descending (NAN last), ties in input order */
void order_desc(size_t *idx, const double *key, size_t n);

/* the rows of one (scenario, year): one per country */
typedef struct subset {
    size_t *row;
    size_t n;
} subset;
int pick(const rcsv *c, int cs, const char *scen, int cy, const char *year, subset *s);
/* a column of the subset as numbers (NAN when empty); 1 on a bad number */
int column(const rcsv *c, const subset *s, int col, double *v, char *err, size_t errsz);
/* a sector name cut to max characters with an ellipsis, in place in buf (which holds
 * it, at least 128 bytes); returns buf */
char *clip_name(const char *name, size_t max, char *buf);
/* the countries of the --source SPEC when it names plain codes ("CHN:c2,c12" -> CHN;
 * "USA,MEX" -> USA, MEX), parsed into buf; 0 for groups (EU27), '*', exclusions or no
 * source */
size_t source_countries(const report_prov *pv, char *buf, size_t size, char **out, size_t max);
int is_source(const char *code, char *const *src, size_t nsrc);
/* the title, and the scenario (and year) on the line under it */
void titles(chart *ch, const char *what, const char *scen, const char *year);

typedef int (*chart_fn)(const rcsv *, const report_prov *, chart_list *, char *, size_t);
int charts_tariff_countries(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_tariff_prices(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_sweep_scale(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_sweep_draws(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_content(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_tiva(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_extract(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);   /* charts_extract.c */
/* charts_ge.c: wiot ge's countries.csv and trade.csv */
int charts_ge_countries(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_ge_trade(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
/* charts_gvc.c: wiot gvc kww and position */
int charts_gvc_kww(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);
int charts_gvc_position(const rcsv *c, const report_prov *pv, chart_list *L, char *err, size_t errsz);

#endif
