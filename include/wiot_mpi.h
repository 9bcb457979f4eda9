/*
 * wiot_mpi.h -- wiot beyond one node: MPI scenario campaigns and ScaLAPACK
 * factorizations. Built only with `make mpi` (Open MPI + ScaLAPACK from Debian);
 * the normal library and tests do not need MPI.
 *
 * Conventions: every function here is COLLECTIVE over the communicator given to it
 * (all ranks call it, in the same order) and returns the same status on every rank:
 * errors are agreed with MPI_Allreduce, so a failure on one rank never leaves the
 * others waiting. Messages are in the calling rank's context; a rank whose own step
 * succeeded reports "rank R failed: ..." for the failing rank's step.
 *
 * Distributed factorization: I - A is built on rank 0 and distributed
 * block-cyclically (block NB x NB) over a P x Q BLACS process grid (Cpdgemr2d), then
 * factored with pdgetrf. Solves with right-hand sides held on rank 0 (pdgetrs, plain
 * or transposed), the explicit inverse only when asked (pdgetri). On rank 0 the
 * distributed factorization is also available as an ordinary `const wiot_lu *`
 * ("proxy"): every library function that takes a factorization (wiot_tariff,
 * wiot_multipliers, wiot_quantity, wiot_batch_run, ...) then runs on rank 0 with its
 * solves done by all ranks, while ranks other than 0 sit in wiot_mpi_serve().
 *
 * Memory per rank for a distributed n x n matrix: about 8 n^2 / (P Q) bytes plus
 * one block row/column; rank 0 also holds the table (8 (n^2 + n C K) bytes).
 *
 * Status codes are those of wiot.h (enum wiot_status), with its conventions (a NULL
 * ctx gives WIOT_EINVAL with no message; WIOT_ELAPACK means a bug). Because codes are
 * agreed over ranks, a collective call may also return, on every rank, any code that
 * the failing rank's step returned; the lists below name the codes each call can
 * produce itself. Formulas: kernel/METHODS.md §2 (factorizations, solves, inverses)
 * and §3.5 (scenario campaigns).
 */
#ifndef WIOT_MPI_H
#define WIOT_MPI_H

#include <mpi.h>
#include "wiot.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wiot_mpi_grid {
    int nprow, npcol;   /* P x Q = number of ranks used (the rest idle in the grid) */
    int nb;             /* block size */
} wiot_mpi_grid;

/* wiot_mpi_grid_auto: the default grid for `size` ranks and order n: P x Q = size
 * with P <= Q as close to square as possible; NB = 64 (n < 4000) or 128. Local (not
 * collective). returns WIOT_OK | WIOT_EINVAL (size < 1, grid NULL; no message).
 * cost O(sqrt(size)). */
WIOT_API int wiot_mpi_grid_auto(int size, size_t n, wiot_mpi_grid *grid);

typedef struct wiot_mpi_lu wiot_mpi_lu;

/* wiot_mpi_lu_new: collective. Factor I - A (WIOT_LEONTIEF) or I - B (WIOT_GHOSH)
 * of t, which must be valid on rank 0 (other ranks pass NULL or their own copy; only
 * rank 0's is used). grid NULL: wiot_mpi_grid_auto. out: the distributed
 * factorization on every rank (free with wiot_mpi_lu_free, collectively).
 * info (rank 0; may be NULL): seconds and flops of pdgetrf.
 * returns WIOT_OK | WIOT_EINVAL (rank 0 has no table or out NULL, unknown model, a
 *   grid that is not valid or does not fit the number of ranks: "grid 3 x 3 needs 9
 *   ranks, the communicator has 4") | WIOT_EDATA (forming I - B: an entry not
 *   finite) | WIOT_ESINGULAR (a zero pivot) | WIOT_ETOOLARGE (beyond ScaLAPACK's
 *   integer) | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^3/3 flops over P Q ranks; communication O(n^2 (P + Q) / (P Q)) words per
 * rank (see README's cost model); memory as above, 8n^2 more on rank 0 while the
 * system is formed and scattered. */
WIOT_API int wiot_mpi_lu_new(wiot_ctx *ctx, MPI_Comm comm, const wiot_table *t, int model,
                             const wiot_mpi_grid *grid, wiot_mpi_lu **out, wiot_info *info);
/* wiot_mpi_lu_free: collective (BLACS grid exit). NULL accepted. */
WIOT_API void wiot_mpi_lu_free(wiot_mpi_lu *lu);

/* wiot_mpi_lu_solve: collective. Solve (I-A) X = B (trans WIOT_NOTRANS) or
 * (I-A)^T X = B (WIOT_TRANS) in place for B[n x nrhs], ldb >= n, on rank 0 (other
 * ranks pass NULL), by pdgetrs.
 * returns WIOT_OK | WIOT_EINVAL (lu NULL, trans invalid, rank 0's B NULL or ldb < n)
 *   | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 2n^2 nrhs flops over the ranks; B scattered and gathered (8 n nrhs bytes
 *   moved, as much extra per rank over P Q). */
WIOT_API int wiot_mpi_lu_solve(wiot_ctx *ctx, wiot_mpi_lu *lu, int trans, size_t nrhs, double *B,
                               size_t ldb);

/* wiot_mpi_lu_inverse: collective. Explicit inverse (pdgetri on a copy), gathered to
 * rank 0 (L n x n, ldl >= n; others pass NULL). info on rank 0 (may be NULL):
 * seconds and flops of pdgetri and, with WIOT_OPT_RESIDUAL, residual
 * ||(I-A)L - I||_max computed distributed (pdgemm).
 * returns WIOT_OK | WIOT_EINVAL (lu NULL, rank 0's L NULL or ldl < n) |
 *   WIOT_ESINGULAR | WIOT_EDATA | WIOT_ETOOLARGE | WIOT_ENOMEM | WIOT_ELAPACK.
 * cost: 4n^3/3 (+ 2n^3 for the residual) flops over P Q ranks, one extra
 * distributed matrix. */
WIOT_API int wiot_mpi_lu_inverse(wiot_ctx *ctx, wiot_mpi_lu *lu, double *L, size_t ldl,
                                 wiot_info *info);

/* wiot_mpi_lu_proxy: on rank 0, the distributed factorization as a `const wiot_lu *`
 * for any library call (its solves are collective: the other ranks must be in
 * wiot_mpi_serve). NULL on other ranks and for NULL. Owned by lu. Never fails. */
WIOT_API const wiot_lu *wiot_mpi_lu_proxy(wiot_mpi_lu *lu);
/* wiot_mpi_serve: ranks other than 0 serve rank 0's solves until it calls
 * wiot_mpi_lu_release; rank 0 returns at once.
 * returns WIOT_OK | WIOT_EINVAL (ctx or lu NULL) | the first error of a served solve
 *   (as wiot_mpi_lu_solve). */
WIOT_API int wiot_mpi_serve(wiot_ctx *ctx, wiot_mpi_lu *lu);
/* wiot_mpi_lu_release: rank 0 tells the serving ranks to return from
 * wiot_mpi_serve (one broadcast); other ranks: no-op.
 * returns WIOT_OK | WIOT_EINVAL (ctx or lu NULL). */
WIOT_API int wiot_mpi_lu_release(wiot_ctx *ctx, wiot_mpi_lu *lu);

/* wiot_mpi_batch_run: collective scenario campaign (kernel/METHODS.md §3.5): every
 * rank holds the table, a (replicated) Leontief factorization and a batch b on it,
 * and the same m schedules s; rank r runs scenarios [r m / size, (r+1) m / size)
 * through its own batch b (wiot_batch_run with rho and models: enum
 * wiot_price_models), and the results are gathered into rank 0's b in scenario
 * order, so that wiot_batch_get on rank 0 sees all m columns (as after a serial
 * wiot_batch_run). Other ranks' b hold their share only. b must have room for m
 * scenarios on every rank.
 * returns WIOT_OK | WIOT_EINVAL (b or s NULL, m > room in b, and as wiot_batch_run)
 *   | WIOT_ESINGULAR | WIOT_ETOOLARGE (m beyond MPI's int) | WIOT_ENOMEM |
 *   WIOT_ELAPACK.
 * cost: wiot_batch_run's for m / size scenarios per rank, plus gathering 8 m
 *   (6n + 2CK + 5C) bytes to rank 0. */
WIOT_API int wiot_mpi_batch_run(wiot_ctx *ctx, MPI_Comm comm, wiot_batch *b,
                                const wiot_schedule *const *s, size_t m, double rho,
                                int models);

/* wiot_mpi_result_send: point to point (only ranks `from` and `to` take part; others,
 * and from == to, return WIOT_OK at once): move the contents of a result computed on
 * `from` into the result `r` of the same table shape on `to` (used by campaigns to
 * collect results on rank 0).
 * returns WIOT_OK | WIOT_EINVAL (ctx or r NULL) | WIOT_ETOOLARGE (beyond MPI's int).
 * cost: one message of 8(4n + 2CK + 5C) bytes. */
WIOT_API int wiot_mpi_result_send(wiot_ctx *ctx, MPI_Comm comm, wiot_result *r, int from, int to);

/* wiot_mpi_ge_result_send: point to point, as wiot_mpi_result_send, for a
 * general-equilibrium result (wiot_ge_solve, kernel/METHODS.md §6): move the outputs
 * of r (what wiot_ge_result_country, _sector and _trade read) computed on `from` into
 * the result r of a model of the same N x J on `to`, and *info too when info is not
 * NULL on both ranks (used by `wiot-mpi ge` to collect scenarios on rank 0). The
 * solver's workspace is not moved.
 * returns WIOT_OK | WIOT_EINVAL (ctx or r NULL) | WIOT_ETOOLARGE (beyond MPI's int).
 * cost: four messages, 8(16 N + 4 N J + 2 N^2 J) bytes plus the info struct. */
WIOT_API int wiot_mpi_ge_result_send(wiot_ctx *ctx, MPI_Comm comm, wiot_ge_result *r,
                                     wiot_ge_info *info, int from, int to);

/* wiot_mpi_agree: collective: agree on a status (the first non-zero in rank order,
 * else WIOT_OK), returned on every rank. Useful for callers' own steps between
 * wiot_mpi calls. Never fails itself. cost: one MPI_Allreduce and one MPI_Bcast. */
WIOT_API int wiot_mpi_agree(MPI_Comm comm, int status);

#ifdef __cplusplus
}
#endif
#endif
