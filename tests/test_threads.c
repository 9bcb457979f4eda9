/* test_threads.c -- one table, one factorization and one scenario set shared read-only
 * by 8 threads at once, each with its own context, running different shipped
 * scenarios through wiot_tariff and a batch; every result equals the serial one bit
 * for bit. Run twice: with 1 thread per context (the recommended setting when the
 * caller is already multithreaded: OpenBLAS then runs each call on the calling
 * thread, no shared BLAS server) and with 2 (calls into OpenBLAS's OpenMP server
 * from several threads at once, which OpenBLAS serializes through its buffers).
 * Also: each context keeps its own error message while the others work. */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include <pthread.h>

#define NWORK 8
#define REPEAT 2
#define BATCH 3

static const int items[] = {WIOT_R_DIRECT, WIOT_R_CUMULATIVE, WIOT_R_EXACT, WIOT_R_EXTRA_COST,
                            WIOT_R_FINAL_PRICE, WIOT_R_FINAL_ALL, WIOT_R_COUNTRY_EXTRA_COST,
                            WIOT_R_REVENUE, WIOT_R_ROLE};
#define NITEMS (sizeof items / sizeof *items)

typedef struct shared {
    const wiot_table *t;
    const wiot_lu *lu;
    const wiot_scenarios *sc;
    const char *names[NWORK];
    int threads;               /* WIOT_OPT_THREADS of every context */
} shared;

/* The arrays of one scenario (wiot_tariff) and of one batch (BATCH scenarios). */
typedef struct outcome {
    double *single[NITEMS];
    size_t len[NITEMS];
    double *batch[NITEMS];
    size_t blen[NITEMS];
    int rc;
    char msg[512];
} outcome;

typedef struct job {
    const shared *sh;
    int w;
    outcome out;
} job;

static double *dup_array(const double *p, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, p, n * sizeof *d);
    return d;
}

static void outcome_free(outcome *o)
{
    for (size_t q = 0; q < NITEMS; q++) {
        free(o->single[q]);
        free(o->batch[q]);
    }
}

/* Worker w: its own context; scenario w alone, then a batch of scenarios w, w+1, w+2.
 * No Criterion asserts here (they are not thread-safe): failures go to o->rc/msg. */
static void run_one(const shared *sh, int w, outcome *o)
{
    memset(o, 0, sizeof *o);
    wiot_ctx *ctx = NULL;
    wiot_schedule *s[BATCH] = {NULL};
    wiot_result *r = NULL;
    wiot_batch *b = NULL;
    if ((o->rc = wiot_ctx_new(&ctx)))
        return;
    int rc = wiot_ctx_set(ctx, WIOT_OPT_THREADS, sh->threads);
    for (int k = 0; !rc && k < BATCH; k++)
        rc = wiot_scenarios_schedule(ctx, sh->sc, sh->names[(w + k) % NWORK], &s[k]);
    if (!rc)
        rc = wiot_result_new(ctx, sh->t, &r);
    if (!rc)
        rc = wiot_tariff(ctx, sh->lu, s[0], 1.0, WIOT_BOTH, r);
    for (size_t q = 0; !rc && q < NITEMS; q++) {
        const double *p = wiot_result_get(r, items[q], &o->len[q]);
        o->single[q] = p ? dup_array(p, o->len[q]) : NULL;
    }
    if (!rc)
        rc = wiot_batch_new(ctx, sh->lu, BATCH, &b);
    if (!rc)
        rc = wiot_batch_run(ctx, b, (const wiot_schedule *const *)s, BATCH, 0.75, WIOT_BOTH);
    for (size_t q = 0; !rc && q < NITEMS; q++) {
        size_t rows = 0, ld = 0;
        const double *p = wiot_batch_get(b, items[q], &rows, &ld);
        if (p && ld != rows)
            rc = WIOT_EINVAL;
        o->blen[q] = p ? rows * BATCH : 0;
        o->batch[q] = p ? dup_array(p, o->blen[q]) : NULL;
    }
    /* an error on this context while the others compute: its own message */
    if (!rc) {
        wiot_schedule *bad = NULL;
        char name[64];
        snprintf(name, sizeof name, "no_such_scenario_%d", w);
        if (wiot_scenarios_schedule(ctx, sh->sc, name, &bad) != WIOT_ENOTFOUND || bad ||
            !strstr(wiot_errmsg(ctx), name))
            rc = -1;
    }
    o->rc = rc;
    if (rc)
        snprintf(o->msg, sizeof o->msg, "%s", wiot_errmsg(ctx));
    wiot_batch_free(b);
    wiot_result_free(r);
    for (int k = 0; k < BATCH; k++)
        wiot_schedule_free(s[k]);
    wiot_ctx_free(ctx);
}

static void *worker(void *arg)
{
    job *j = arg;
    run_one(j->sh, j->w, &j->out);
    return NULL;
}

static void same_bits(const outcome *ref, const outcome *got, int w, int rep)
{
    cr_assert_eq(got->rc, 0, "thread %d (round %d): status %d: %s", w, rep, got->rc, got->msg);
    for (size_t q = 0; q < NITEMS; q++) {
        cr_assert_eq(got->len[q], ref->len[q]);
        cr_assert_eq(got->blen[q], ref->blen[q]);
        cr_assert_eq(!got->single[q], !ref->single[q]);
        if (ref->single[q])
            cr_assert(memcmp(got->single[q], ref->single[q], ref->len[q] * sizeof(double)) == 0,
                      "thread %d (round %d): item %d of wiot_tariff differs from the serial run",
                      w, rep, items[q]);
        if (ref->batch[q])
            cr_assert(memcmp(got->batch[q], ref->batch[q], ref->blen[q] * sizeof(double)) == 0,
                      "thread %d (round %d): item %d of the batch differs from the serial run",
                      w, rep, items[q]);
    }
}

static void eight_threads(int threads)
{
    wiot_ctx *ctx = test_ctx();
    wiot_table *t = test_load(ctx, DATA("wiod2013/wiot_2011.csv.gz"));
    wiot_lu *lu = NULL;
    wiot_scenarios *sc = NULL;
    cr_assert_eq(wiot_lu_new(ctx, t, WIOT_LEONTIEF, &lu, NULL), WIOT_OK);
    cr_assert_eq(wiot_scenarios_new(ctx, t, &sc), WIOT_OK);
    const char *files[] = {"us301_china_2018_2020.csv", "china_retaliation_2018_2020.csv",
                           "us232_steel_aluminum.csv", "us_ieepa_2025.csv",
                           "china_countermeasures_2025.csv", "piie_average_uniform.csv"};
    for (size_t q = 0; q < sizeof files / sizeof *files; q++) {
        char path[256];
        snprintf(path, sizeof path, DATA("scenarios/wiod2013/%s"), files[q]);
        cr_assert_eq(wiot_scenarios_load(ctx, sc, path), WIOT_OK, "%s", wiot_errmsg(ctx));
    }
    shared sh = {t, lu, sc, {NULL}, threads};
    size_t m = wiot_scenarios_count(sc);
    cr_assert_geq(m, NWORK);
    for (int w = 0; w < NWORK; w++)   /* spread over the files: different imposer sets */
        sh.names[w] = wiot_scenarios_name(sc, (size_t)w * m / NWORK);

    outcome ref[NWORK];
    for (int w = 0; w < NWORK; w++) {
        run_one(&sh, w, &ref[w]);
        cr_assert_eq(ref[w].rc, 0, "serial run %d (%s): %s", w, sh.names[w], ref[w].msg);
    }
    for (int rep = 0; rep < REPEAT; rep++) {
        job jobs[NWORK];
        pthread_t tid[NWORK];
        for (int w = 0; w < NWORK; w++) {
            jobs[w].sh = &sh;
            jobs[w].w = w;
            cr_assert_eq(pthread_create(&tid[w], NULL, worker, &jobs[w]), 0);
        }
        for (int w = 0; w < NWORK; w++)
            cr_assert_eq(pthread_join(tid[w], NULL), 0);
        for (int w = 0; w < NWORK; w++) {
            same_bits(&ref[w], &jobs[w].out, w, rep);
            outcome_free(&jobs[w].out);
        }
    }
    for (int w = 0; w < NWORK; w++)
        outcome_free(&ref[w]);
    wiot_scenarios_free(sc);
    wiot_lu_free(lu);
    wiot_table_free(t);
    wiot_ctx_free(ctx);
}

Test(threads, shared_handles_one_blas_thread_each, .timeout = 600) { eight_threads(1); }

Test(threads, shared_handles_two_blas_threads_each, .timeout = 600) { eight_threads(2); }
