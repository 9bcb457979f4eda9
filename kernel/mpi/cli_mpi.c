/* cli_mpi.c -- wiot-mpi: the wiot command line over MPI ranks.
 *
 *   mpirun -np R wiot-mpi tariff ... / sweep ... / ge ...   campaigns: the serial
 *       commands, with tasks (tables x scenarios, GE scenarios and Monte Carlo draws)
 *       or batch columns spread over ranks and every
 *       result collected on rank 0, which alone prints and writes (its output is the
 *       serial run's);
 *   mpirun -np R wiot-mpi leontief [-t TABLE | --synthetic N] [--grid PxQ] [--nb NB]
 *       [--check] [-o FILE]: the Leontief inverse with ScaLAPACK (pdgetrf, pdgetri)
 *       on a P x Q grid; --check compares with the serial inverse (wiot_leontief) on rank 0;
 *   mpirun -np R wiot-mpi prices [-t TABLE] [-s FILE] -n NAME... [--grid PxQ] [--nb NB]
 *       [--passthrough R] [--check]: tariff scenarios whose solves (first-order, and
 *       the exact model's Woodbury solves) run on a distributed LU (pdgetrs), rank 0
 *       driving through the proxy factorization; --check compares with serial.
 * Every rank ends with the same exit status; a failure on one rank is reported by it
 * and makes every rank exit 1, never hang. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "wiot_mpi.h"

int wiot_serial_main(int argc, char **argv);   /* cli.c's main, renamed in this build */

static int g_rank, g_size;

static int mpi_agree(int status) { return wiot_mpi_agree(MPI_COMM_WORLD, status); }

static int mpi_batch(wiot_ctx *ctx, wiot_batch *b, const wiot_schedule *const *s, size_t m, double rho, int models)
{
    return wiot_mpi_batch_run(ctx, MPI_COMM_WORLD, b, s, m, rho, models);
}

static int mpi_to_root(wiot_ctx *ctx, wiot_result *r, double *extra, size_t nextra, int from)
{
    int rc = wiot_mpi_result_send(ctx, MPI_COMM_WORLD, r, from, 0);
    if (nextra && g_rank == from)
        MPI_Send(extra, (int)nextra, MPI_DOUBLE, 0, 74, MPI_COMM_WORLD);
    else if (nextra && g_rank == 0)
        MPI_Recv(extra, (int)nextra, MPI_DOUBLE, from, 74, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return rc;
}

static int mpi_ge_to_root(wiot_ctx *ctx, wiot_ge_result *r, wiot_ge_info *info, double *extra,
                          size_t nextra, int from)
{
    int rc = r ? wiot_mpi_ge_result_send(ctx, MPI_COMM_WORLD, r, info, from, 0) : WIOT_OK;
    if (rc || !nextra || from == 0 || (g_rank != from && g_rank != 0))
        return rc;
    if (nextra > (size_t)INT32_MAX)   /* the same test on both ranks */
        return WIOT_ETOOLARGE;
    if (g_rank == from)
        MPI_Send(extra, (int)nextra, MPI_DOUBLE, 0, 75, MPI_COMM_WORLD);
    else
        MPI_Recv(extra, (int)nextra, MPI_DOUBLE, from, 75, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return WIOT_OK;
}

/* print on rank 0 only */
#define P0(...)                          \
    do {                                 \
        if (g_rank == 0)                 \
            printf(__VA_ARGS__);         \
    } while (0)

static int fail_all(wiot_ctx *ctx, int rc)
{
    /* every rank agrees; the failing rank printed its own message */
    const char *m = wiot_errmsg(ctx);
    if (rc && m && *m)
        fprintf(stderr, "wiot-mpi (rank %d): %s\n", g_rank, m);
    return rc ? 1 : 0;
}

/* deterministic synthetic world table: C countries x S sectors, K = 1, most flows
 * domestic, column sums of A between about 0.4 and 0.65 */
static int synthetic(wiot_ctx *ctx, size_t n, wiot_table **out)
{
    size_t S = 56, C = (n + S - 1) / S;
    n = C * S;
    double *Z = malloc(n * n * sizeof *Z), *F = malloc(n * C * sizeof *F);
    char **cc = malloc(C * sizeof *cc), **sc = malloc(S * sizeof *sc);
    if (!Z || !F || !cc || !sc)
        return WIOT_ENOMEM;
    unsigned long long st = 42;
    for (size_t j = 0; j < n; j++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(st >> 11) * 0x1.0p-53;
            double w = (i / S == j / S) ? u * 8.0 : (u < 0.1 ? u : 0.0);
            Z[i + j * n] = w;
            sum += w;
        }
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        double target = 0.4 + 0.25 * (double)(st >> 11) * 0x1.0p-53;   /* column sum of A */
        for (size_t i = 0; i < n; i++)
            Z[i + j * n] *= 1000.0 * target / sum;   /* x_j = 1000 */
    }
    for (size_t i = 0; i < n; i++) {
        double row = 0;
        for (size_t j = 0; j < n; j++)
            row += Z[i + j * n];
        for (size_t d = 0; d < C; d++)
            F[i + d * n] = 0;
        F[i + (i / S) * n] = 1000.0 - row > 1 ? 1000.0 - row : 1;   /* x = row sums */
    }
    for (size_t c = 0; c < C; c++) {
        cc[c] = malloc(24);
        snprintf(cc[c], 24, "R%zu", c + 1);
    }
    for (size_t s = 0; s < S; s++) {
        sc[s] = malloc(24);
        snprintf(sc[s], 24, "s%zu", s + 1);
    }
    wiot_table_desc d = {C, S, 1, (const char *const *)cc, (const char *const *)sc, NULL, Z, n, F, n, NULL,
                         "synthetic"};
    int rc = wiot_table_new(ctx, &d, out);
    for (size_t c = 0; c < C; c++)
        free(cc[c]);
    for (size_t s = 0; s < S; s++)
        free(sc[s]);
    free(cc);
    free(sc);
    free(Z);
    free(F);
    return rc;
}

typedef struct mopts {
    const char *table, *out, *scen[16], *names[64];
    int nscen, nnames, threads, nb, check, ghosh, synth;
    wiot_mpi_grid grid;
    int grid_given;
    double rho;
} mopts;

static int parse_mopts(const char *cmd, int argc, char **argv, mopts *o)
{
    static const struct option lo[] = {{"table", required_argument, 0, 't'}, {"output", required_argument, 0, 'o'},
                                       {"grid", required_argument, 0, 'g'},  {"nb", required_argument, 0, 'b'},
                                       {"threads", required_argument, 0, 'T'}, {"check", no_argument, 0, 'c'},
                                       {"ghosh", no_argument, 0, 'G'},       {"synthetic", required_argument, 0, 'S'},
                                       {"passthrough", required_argument, 0, 'p'}, {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    o->rho = 1.0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "t:o:s:n:h", lo, NULL)) != -1) {
        switch (c) {
        case 't': o->table = optarg; break;
        case 'o': o->out = optarg; break;
        case 's':
            if (o->nscen < 16)
                o->scen[o->nscen++] = optarg;
            break;
        case 'n':
            if (o->nnames < 64)
                o->names[o->nnames++] = optarg;
            break;
        case 'g':
            if (sscanf(optarg, "%dx%d", &o->grid.nprow, &o->grid.npcol) != 2 || o->grid.nprow < 1 || o->grid.npcol < 1) {
                if (g_rank == 0)
                    fprintf(stderr, "wiot-mpi %s: --grid takes PxQ, got '%s'\n", cmd, optarg);
                return 2;
            }
            o->grid_given = 1;
            break;
        case 'b': o->nb = atoi(optarg); break;
        case 'T': o->threads = atoi(optarg); break;
        case 'c': o->check = 1; break;
        case 'G': o->ghosh = 1; break;
        case 'S': o->synth = atoi(optarg); break;
        case 'p': o->rho = atof(optarg); break;
        case 'h':
            if (g_rank == 0)
                printf("usage: mpirun -np R wiot-mpi %s [-t TABLE%s] [--grid PxQ] [--nb NB] [--threads N] [--check]%s\n",
                       cmd, !strcmp(cmd, "leontief") ? " | --synthetic N" : "",
                       !strcmp(cmd, "leontief") ? " [--ghosh] [-o FILE]" : " [-s FILE] -n NAME... [--passthrough R]");
            return 1;
        default:
            if (g_rank == 0)
                fprintf(stderr, "wiot-mpi %s: unknown option '%s'\n", cmd, argv[optind - 1]);
            return 2;
        }
    }
    return 0;
}

/* rank 0 loads (table file, embedded default, or synthetic); others hold nothing */
static int root_table(wiot_ctx *ctx, const mopts *mo, wiot_table **t)
{
    int rc = WIOT_OK;
    if (g_rank == 0) {
        if (mo->synth > 0)
            rc = synthetic(ctx, (size_t)mo->synth, t);
        else {
            opts o;
            memset(&o, 0, sizeof o);
            o.table = mo->table;
            rc = load_table(ctx, &o, t, NULL) ? WIOT_EIO : WIOT_OK;
        }
    }
    return wiot_mpi_agree(MPI_COMM_WORLD, rc);
}

static int mpi_leontief(int argc, char **argv)
{
    mopts mo;
    int rc = parse_mopts("leontief", argc, argv, &mo);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    if (wiot_ctx_new(&ctx))
        return 1;
    if (mo.threads > 0)
        wiot_ctx_set(ctx, WIOT_OPT_THREADS, mo.threads);
    wiot_table *t = NULL;
    wiot_mpi_lu *lu = NULL;
    double *L = NULL, *Ls = NULL;
    if ((rc = root_table(ctx, &mo, &t)))
        goto done;
    size_t n = 0;
    if (g_rank == 0)
        n = wiot_table_n(t);
    MPI_Bcast(&n, sizeof n, MPI_BYTE, 0, MPI_COMM_WORLD);
    wiot_mpi_grid g;
    wiot_mpi_grid_auto(g_size, n, &g);
    if (mo.grid_given) {
        g.nprow = mo.grid.nprow;
        g.npcol = mo.grid.npcol;
    }
    if (mo.nb > 0)
        g.nb = mo.nb;
    if (g_rank == 0 && !(L = malloc(n * n * sizeof *L)))
        rc = WIOT_ENOMEM;
    if ((rc = wiot_mpi_agree(MPI_COMM_WORLD, rc)))
        goto done;
    wiot_info fi, ii;
    if ((rc = wiot_mpi_lu_new(ctx, MPI_COMM_WORLD, t, mo.ghosh ? WIOT_GHOSH : WIOT_LEONTIEF, &g, &lu, &fi)))
        goto done;
    if ((rc = wiot_mpi_lu_inverse(ctx, lu, L, n, &ii)))
        goto done;
    double secs = fi.seconds + ii.seconds, flops = fi.flops + ii.flops;
    P0("%s inverse with ScaLAPACK: n = %zu, %d ranks on a %d x %d grid, block %d, %d thread(s) per rank\n",
       mo.ghosh ? "Ghosh" : "Leontief", n, g_size, g.nprow, g.npcol, g.nb, mo.threads > 0 ? mo.threads : 1);
    P0("  residual ||(I - A)L - I||_max = %.3g (pdgemm)\n", ii.residual);
    P0("  pdgetrf %.4f s + pdgetri %.4f s = %.4f s, %.3g flops, %.1f GFLOP/s\n", fi.seconds, ii.seconds, secs, flops,
       secs > 0 ? flops / secs * 1e-9 : 0.0);
    if (g_rank == 0) {
        double tr = 0, sum = 0;
        for (size_t i = 0; i < n; i++)
            tr += L[i + i * n];
        for (size_t q = 0; q < n * n; q++)
            sum += L[q];
        printf("  trace %.17g, sum %.17g\n", tr, sum);
    }
    if (mo.check) {
        /* serial inverse on rank 0 for comparison (wiot_leontief: the recursive block
         * inverse for a valid table, else LAPACK) */
        int crc = WIOT_OK;
        if (g_rank == 0) {
            Ls = malloc(n * n * sizeof *Ls);
            wiot_info si;
            crc = !Ls ? WIOT_ENOMEM
                      : mo.ghosh ? wiot_ghosh(ctx, t, Ls, n, &si) : wiot_leontief(ctx, t, Ls, n, &si);
            if (!crc) {
                double diff = 0, scale = 0;
                for (size_t q = 0; q < n * n; q++) {
                    diff = fabs(L[q] - Ls[q]) > diff ? fabs(L[q] - Ls[q]) : diff;
                    scale = fabs(Ls[q]) > scale ? fabs(Ls[q]) : scale;
                }
                printf("  check: max |L_mpi - L_serial| / max |L| = %.3g (serial %.4f s)\n", diff / scale, si.seconds);
            }
        }
        if ((rc = wiot_mpi_agree(MPI_COMM_WORLD, crc)))
            goto done;
    }
    if (g_rank == 0 && mo.out) {
        FILE *f = fopen(mo.out, "w");
        if (!f)
            rc = WIOT_EIO;
        else {
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++)
                    fprintf(f, "%.17g%c", L[i + j * n], j + 1 < n ? ',' : '\n');
            if (fclose(f))
                rc = WIOT_EIO;
        }
        if (rc)
            fprintf(stderr, "wiot-mpi: %s: write failed\n", mo.out);
    }
    rc = wiot_mpi_agree(MPI_COMM_WORLD, rc);
done:
    if (rc)
        fail_all(ctx, rc);
    free(L);
    free(Ls);
    wiot_mpi_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc ? 1 : 0;
}

static int mpi_prices(int argc, char **argv)
{
    mopts mo;
    int rc = parse_mopts("prices", argc, argv, &mo);
    if (rc)
        return rc == 1 ? 0 : rc;
    wiot_ctx *ctx;
    if (wiot_ctx_new(&ctx))
        return 1;
    if (mo.threads > 0)
        wiot_ctx_set(ctx, WIOT_OPT_THREADS, mo.threads);
    wiot_table *t = NULL;
    wiot_mpi_lu *lu = NULL;
    wiot_lu *slu = NULL;
    wiot_scenarios *sc = NULL;
    wiot_result *r = NULL, *rs = NULL;
    if ((rc = root_table(ctx, &mo, &t)))
        goto done;
    if (g_rank == 0) {
        opts o;
        memset(&o, 0, sizeof o);
        o.nscen = mo.nscen;
        for (int q = 0; q < mo.nscen; q++)
            o.scen[q] = mo.scen[q];
        rc = load_scenarios(ctx, &o, t, &sc) ? WIOT_EINVAL : WIOT_OK;
        if (!rc && mo.nnames == 0)
            mo.names[mo.nnames++] = DEFAULT_SCENARIO;
        if (!rc)
            rc = wiot_result_new(ctx, t, &r);
        if (!rc && mo.check)
            rc = wiot_result_new(ctx, t, &rs);
        if (!rc && mo.check)
            rc = wiot_lu_new(ctx, t, WIOT_LEONTIEF, &slu, NULL);
    }
    if ((rc = wiot_mpi_agree(MPI_COMM_WORLD, rc)))
        goto done;
    wiot_mpi_grid g, *gp = NULL;
    if (mo.grid_given || mo.nb > 0) {
        wiot_mpi_grid_auto(g_size, 1000, &g);
        if (mo.grid_given) {
            g.nprow = mo.grid.nprow;
            g.npcol = mo.grid.npcol;
        }
        if (mo.nb > 0)
            g.nb = mo.nb;
        gp = &g;
    }
    if ((rc = wiot_mpi_lu_new(ctx, MPI_COMM_WORLD, t, WIOT_LEONTIEF, gp, &lu, NULL)))
        goto done;
    if (g_rank != 0) {
        rc = wiot_mpi_serve(ctx, lu);   /* until rank 0 releases */
    } else {
        const wiot_lu *proxy = wiot_mpi_lu_proxy(lu);
        const size_t n = wiot_table_n(t), S = wiot_table_sectors(t);
        for (int q = 0; q < mo.nnames && !rc; q++) {
            wiot_schedule *s = NULL;
            double t0 = MPI_Wtime();
            if ((rc = wiot_scenarios_schedule_lu(ctx, sc, proxy, mo.names[q], WIOT_MEASURE_VA, &s)) ||
                (rc = wiot_tariff(ctx, proxy, s, mo.rho, WIOT_BOTH, r))) {
                wiot_schedule_free(s);
                break;
            }
            const wiot_result_summary *sm = wiot_result_summary_get(r);
            printf("%s: distributed solves, %.4f s; exact by %s (rank %zu), residual %.2g; extra cost %.1f, third "
                   "countries %.1f, revenue %.1f\n",
                   mo.names[q], MPI_Wtime() - t0, sm->exact.method == WIOT_METHOD_WOODBURY ? "Woodbury" : "iteration",
                   sm->exact.rank, sm->exact.residual, sm->total_extra_cost, sm->third_extra_cost, sm->total_revenue);
            if (mo.check) {
                if ((rc = wiot_tariff(ctx, slu, s, mo.rho, WIOT_BOTH, rs))) {
                    wiot_schedule_free(s);
                    break;
                }
                const int items[] = {WIOT_R_CUMULATIVE, WIOT_R_EXACT, WIOT_R_FINAL_PRICE, WIOT_R_EXTRA_COST};
                double worst = 0;
                for (int k = 0; k < 4; k++) {
                    size_t len;
                    const double *a = wiot_result_get(r, items[k], &len), *b = wiot_result_get(rs, items[k], NULL);
                    double diff = 0, scale = 0;
                    for (size_t i = 0; i < len; i++) {
                        diff = fabs(a[i] - b[i]) > diff ? fabs(a[i] - b[i]) : diff;
                        scale = fabs(b[i]) > scale ? fabs(b[i]) : scale;
                    }
                    if (scale > 0 && diff / scale > worst)
                        worst = diff / scale;
                }
                printf("  check: max relative difference to the serial engine %.3g\n", worst);
            }
            if (mo.out) {   /* rank 0: the prices, full precision */
                FILE *f = fopen(mo.out, q ? "a" : "w");
                if (!f) {
                    rc = WIOT_EIO;
                } else {
                    const double *c = wiot_result_get(r, WIOT_R_CUMULATIVE, NULL), *p = wiot_result_get(r, WIOT_R_EXACT, NULL);
                    for (size_t i = 0; i < n; i++)
                        fprintf(f, "%s,%s,%s,%.17g,%.17g\n", mo.names[q], wiot_table_country(t, i / S),
                                wiot_table_sector(t, i % S), c[i], p[i]);
                    if (fclose(f))
                        rc = WIOT_EIO;
                }
            }
            wiot_schedule_free(s);
        }
        if (rc)
            fprintf(stderr, "wiot-mpi: %s\n", wiot_errmsg(ctx));
        wiot_mpi_lu_release(ctx, lu);
    }
    rc = wiot_mpi_agree(MPI_COMM_WORLD, rc);
done:
    if (rc && g_rank == 0 && !lu)
        fail_all(ctx, rc);
    wiot_result_free(r);
    wiot_result_free(rs);
    wiot_lu_free(slu);
    wiot_scenarios_free(sc);
    wiot_mpi_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_par.rank = g_rank;
    g_par.size = g_size;
    g_par.batch_run = mpi_batch;
    g_par.to_root = mpi_to_root;
    g_par.agree = mpi_agree;
    g_par.ge_to_root = mpi_ge_to_root;
    /* test hook: this rank cannot read relative paths (a rank failing to read its part) */
    const char *fr = getenv("WIOT_MPI_TEST_FAIL_RANK");
    if (fr && atoi(fr) == g_rank && chdir("/") != 0)
        return 1;
    int rc;
    if (argc > 1 && !strcmp(argv[1], "leontief"))
        rc = mpi_leontief(argc - 1, argv + 1);
    else if (argc > 1 && !strcmp(argv[1], "prices"))
        rc = mpi_prices(argc - 1, argv + 1);
    else {
        if (g_rank != 0) {   /* only rank 0 talks */
            if (!freopen("/dev/null", "w", stdout))
                rc = 1;
        }
        rc = wiot_serial_main(argc, argv);
        rc = wiot_mpi_agree(MPI_COMM_WORLD, rc);
    }
    MPI_Finalize();
    return rc;
}
