/* ge.h -- private declarations of the general-equilibrium layer (Caliendo-Parro 2015,
 * kernel/METHODS.md §6). Not installed. */
#ifndef WIOT_GE_H
#define WIOT_GE_H

#include "tariff/tariff.h"

/* A calibrated model: every array the equilibrium in changes needs, in levels of the
 * baseline. Internal layouts (sector-major, so the inner loops over origins are
 * contiguous):
 *   bilateral  [j][n][i] = (j*N + n)*N + i   importer n, exporter i, sector j
 *   per c-s    [n][j]    = n*J + j
 *   gamma      [n][k][j] = (n*J + k)*J + j   input k per unit of sector j's output */
struct wiot_ge_model {
    wiot_allocator a;
    size_t N, J;
    char **country;           /* N codes (one block with the strings) */
    char **sector;            /* J codes */
    double *theta;            /* J */
    double *pi;               /* bilateral: shares of tariff-inclusive spending */
    double *tau;              /* bilateral: baseline tariffs (levels, fractions) */
    double *X;                /* N*J: tariff-inclusive expenditure on sector j goods */
    double *gamma;            /* N*J*J */
    double *beta;             /* N*J: value added / gross output */
    double *alpha;            /* N*J: final-demand shares */
    double *wL;               /* N: value added ("labour income") */
    double *D;                /* N: deficit, imports - exports */
};

/* Allocate a model of N x J with zeroed arrays and copies of the codes. */
int wi_ge_model_alloc(wiot_ctx *ctx, size_t N, size_t J, char *const *country,
                      char *const *sector, struct wiot_ge_model **out);
/* A schedule of C x S not tied to a table (zeroed). */
int wi_ge_schedule_alloc(wiot_ctx *ctx, size_t C, size_t S, wiot_schedule **out);
/* Checks shared by the constructors: theta > 0 and finite, shares, betas; names the
 * country-sector on failure (WIOT_EDATA / WIOT_EINVAL). */
int wi_ge_model_check(wiot_ctx *ctx, const struct wiot_ge_model *m);

/* The outputs of a result (country, sector and trade blocks: what the
 * wiot_ge_result_* accessors read) as writable arrays, part[3], len[3] doubles each;
 * returns 3. For wiot-mpi's gathering of GE campaigns (kernel/mpi). Never fails. */
size_t wi_ge_result_parts(wiot_ge_result *r, double **part, size_t *len);

/* ---- Anderson acceleration (ge_anderson.c): memory AA_M; the caller owns the
 * buffer of wi_ge_aa_size(dim) doubles. wi_ge_aa_step: x <- the accelerated next
 * iterate given g = g(x); wi_ge_aa_reset drops the history. */
#define AA_M 6
typedef struct wi_aa {
    size_t dim;
    int k, head;
    double *dF, *dG;          /* AA_M x dim ring buffers */
    double *fprev, *gprev;
} wi_aa;

void wi_ge_aa_init(wi_aa *a, size_t dim, double *mem);
size_t wi_ge_aa_size(size_t dim);
void wi_ge_aa_reset(wi_aa *a);
void wi_ge_aa_step(wi_aa *a, double *x, const double *g);

#endif
