/* tariff.h -- the tariff layer (above model/): schedules, the scenario language,
 * the price kernels and batches. Not installed. */
#ifndef WIOT_TARIFF_H
#define WIOT_TARIFF_H

#include "model/model.h"

struct wiot_schedule {
    wiot_allocator a;
    size_t C, S;
    double *rate;             /* (d*C + c)*S + s: the whole price wedge */
    double *ntb;              /* NULL, or the part of rate that is a non-tariff barrier's ad
                                 valorem equivalent: it raises prices like a tariff but
                                 raises no revenue (wi_revenue leaves it out) */
};

/* ---- tariff internals (tariff.c) */
#define WI_RATE(sch, d, c, s) ((sch)->rate[((d) * (sch)->C + (c)) * (sch)->S + (s)])
/* Duty revenue of importer d under schedule s at baseline values: the sum over goods i
 * from other countries of rate(d <- c(i), s(i)) times d's intermediate and final
 * purchases of i (tariff.c). role (C entries, may be NULL): every exporter c with a
 * non-zero rate gets WIOT_ROLE_TARGET or-ed in. cost: n*(S + K) for the taxed rows. */
double wi_revenue(const wiot_table *t, const wiot_schedule *s, size_t d, double *role);
/* countries with a non-zero rate as importer; their indices into list (may be NULL)
 * (schedule.c) */
size_t wi_imposers(const wiot_schedule *s, size_t *list);
/* out[j] = rho sum_i A[i,j] T[i,j] p[i] (p == NULL: p = 1), 0 outside imposing
 * countries; nt threads (1 inside a parallel region). */
void wi_Et_apply(int nt, const wiot_table *t, const wiot_schedule *s, const size_t *imp,
                 size_t nimp, double rho, const double *p, double *out);

/* ---- scenario-file selection syntax (scenario.c), reused for source specs */
/* Resolve one country field (sectors == 0) or sector field (sectors == 1) written in
 * scenario-file syntax (codes, '*', groups, A..B ranges, goods/services, '!'
 * exclusions; items separated by ';', and also by ',' when comma != 0) against t's
 * codes. sel[C or S] gets 1 for every selected code, 0 elsewhere; *count (may be
 * NULL) the number selected. Messages read "<where>: field '<country|sector>': ...".
 * returns WIOT_OK | WIOT_EFORMAT | WIOT_ENOTFOUND | WIOT_ENOMEM; sel is untouched on
 * failure. */
int wi_spec_field(wiot_ctx *ctx, const wiot_table *t, int sectors, const char *text, size_t len,
                  int comma, const char *where, unsigned char *sel, size_t *count);

/* A zeroed C x C x S schedule (schedule.c). */
int wi_schedule_alloc(wiot_ctx *ctx, size_t C, size_t S, wiot_schedule **out);

/* ---- content measures of scenario lines (scenario.c builds, content.c resolves) */
/* The content source of one scenario line: countries cty[nc] and sectors sec[ns] (table
 * indices), the SPEC as written, and where the line is. */
typedef struct wi_spec {
    const uint32_t *cty, *sec;
    uint32_t nc, ns;
    const char *text, *scenario, *file;
    size_t line;
} wi_spec;
/* Content shares s[j] (n = C*S entries, valid until the build returns) of a source. */
typedef int (*wi_share_fn)(void *ud, wiot_ctx *ctx, const wi_spec *spec, const double **share);
/* Build the schedule(s) of expr ("A+B+..."). Content lines get their shares from fn (NULL:
 * such a line is an error naming it). split == 0: one engine schedule in *a, rates = tariff
 * layer + NTB layer, a->ntb = the NTB layer (NULL when all zero). split == 1: the tariff
 * layer in *a, the NTB layer as rates in *b (either pointer may be NULL: not wanted).
 * returns WIOT_OK | WIOT_EINVAL | WIOT_ENOTFOUND | WIOT_EDATA | WIOT_ENOMEM | fn's codes. */
int wi_scen_build(wiot_ctx *ctx, const wiot_scenarios *sc, const char *expr, wi_share_fn fn,
                  void *ud, int split, wiot_schedule **a, wiot_schedule **b);
/* 1 when sc was made for t's countries and sectors (same codes, same order). */
int wi_scen_fits(const wiot_scenarios *sc, const wiot_table *t);

#endif
