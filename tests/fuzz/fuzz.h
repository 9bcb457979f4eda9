/* fuzz.h -- shared pieces of the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput (and optionally LLVMFuzzerInitialize).
 * Built with clang -fsanitize=fuzzer,address,undefined by `make fuzz`; built with
 * any compiler plus replay.c (a main that feeds files to the target) by
 * `make fuzz-regress`, which replays the saved corpus and every past crash.
 *
 * Besides the sanitizers' checks, the targets assert the library's promises:
 * every failure has a one-line message naming the input, outputs are finite,
 * nothing is left allocated through the context's allocator, and a failed call
 * leaves no object behind. A broken promise aborts (the harness may; the library
 * never does). */
#ifndef WIOT_FUZZ_H
#define WIOT_FUZZ_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wiot.h"

#define FZ_FAIL(...)                                                              \
    do {                                                                          \
        fprintf(stderr, "fuzz: %s:%d: ", __FILE__, __LINE__);                     \
        fprintf(stderr, __VA_ARGS__);                                             \
        fputc('\n', stderr);                                                      \
        abort();                                                                  \
    } while (0)

/* A counting allocator: live blocks must be 0 once everything is freed. */
typedef struct fz_alloc {
    long calls, live;
} fz_alloc;

static inline void *fz_alloc_fn(void *ud, size_t size)
{
    fz_alloc *a = ud;
    a->calls++;
    void *p = malloc(size);
    if (p)
        a->live++;
    return p;
}

static inline void fz_release_fn(void *ud, void *p)
{
    fz_alloc *a = ud;
    if (p) {
        a->live--;
        free(p);
    }
}

/* A context for one input: counting allocator, one thread, a memory cap well below
 * libFuzzer's -malloc_limit_mb so the library's own refusal is what is tested. */
#define FZ_MAX_MEMORY (256.0 * 1024 * 1024)
static inline wiot_ctx *fz_ctx(fz_alloc *a)
{
    wiot_allocator al = {fz_alloc_fn, fz_release_fn, a};
    wiot_ctx *ctx = NULL;
    memset(a, 0, sizeof *a);
    if (wiot_ctx_new_custom(&al, &ctx) != WIOT_OK)
        FZ_FAIL("wiot_ctx_new_custom failed");
    if (wiot_ctx_set(ctx, WIOT_OPT_THREADS, 1) || wiot_ctx_set(ctx, WIOT_OPT_HUGEPAGES, 0) ||
        wiot_ctx_set(ctx, WIOT_OPT_MAX_MEMORY, FZ_MAX_MEMORY))
        FZ_FAIL("wiot_ctx_set: %s", wiot_errmsg(ctx));
    return ctx;
}

static inline void fz_ctx_free(wiot_ctx *ctx, fz_alloc *a)
{
    wiot_ctx_free(ctx);
    if (a->live != 0)
        FZ_FAIL("%ld blocks still allocated through the context's allocator", a->live);
}

/* A failure: a known status, and one non-empty line of message; load errors about
 * the input (EFORMAT, EDATA, EIO, ENOTFOUND) name it first. */
static inline void fz_check_error(const wiot_ctx *ctx, int rc, const char *name)
{
    const char *m = wiot_errmsg(ctx);
    if (rc <= 0 || rc >= WIOT_NSTATUS)
        FZ_FAIL("status %d out of range", rc);
    if (!m[0])
        FZ_FAIL("status %d (%s) without a message", rc, wiot_strerror(rc));
    if (strchr(m, '\n') || strchr(m, '\r'))
        FZ_FAIL("message has more than one line: %s", m);
    if (name && (rc == WIOT_EFORMAT || rc == WIOT_EDATA || rc == WIOT_EIO) &&
        strncmp(m, name, strlen(name)) != 0)
        FZ_FAIL("message does not name the input '%s': %s", name, m);
}

static inline void fz_check_finite(const char *what, const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (!isfinite(v[i]))
            FZ_FAIL("%s[%zu] = %g without an error", what, i, v[i]);
}

/* ---- XXH64 (seed 0), to give mutated .wiot files valid checksums, so the fuzzer
 * reaches the reader's checks behind them instead of stopping at the checksum. */
#define FZ_P1 0x9E3779B185EBCA87ULL
#define FZ_P2 0xC2B2AE3D27D4EB4FULL
#define FZ_P3 0x165667B19E3779F9ULL
#define FZ_P4 0x85EBCA77C2B2AE63ULL
#define FZ_P5 0x27D4EB2F165667C5ULL
static inline uint64_t fz_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t fz_rd64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t fz_rd32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t fz_round(uint64_t acc, uint64_t in)
{
    acc += in * FZ_P2;
    acc = fz_rotl(acc, 31);
    return acc * FZ_P1;
}
static inline uint64_t fz_merge(uint64_t h, uint64_t v)
{
    h ^= fz_round(0, v);
    return h * FZ_P1 + FZ_P4;
}
static inline uint64_t fz_xxh64(const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = FZ_P1 + FZ_P2, v2 = FZ_P2, v3 = 0, v4 = 0 - FZ_P1;
        while (end - p >= 32) {
            v1 = fz_round(v1, fz_rd64(p));
            v2 = fz_round(v2, fz_rd64(p + 8));
            v3 = fz_round(v3, fz_rd64(p + 16));
            v4 = fz_round(v4, fz_rd64(p + 24));
            p += 32;
        }
        h = fz_rotl(v1, 1) + fz_rotl(v2, 7) + fz_rotl(v3, 12) + fz_rotl(v4, 18);
        h = fz_merge(h, v1);
        h = fz_merge(h, v2);
        h = fz_merge(h, v3);
        h = fz_merge(h, v4);
    } else {
        h = FZ_P5;
    }
    h += (uint64_t)len;
    while (end - p >= 8) {
        h ^= fz_round(0, fz_rd64(p));
        h = fz_rotl(h, 27) * FZ_P1 + FZ_P4;
        p += 8;
    }
    if (end - p >= 4) {
        h ^= (uint64_t)fz_rd32(p) * FZ_P1;
        h = fz_rotl(h, 23) * FZ_P2 + FZ_P3;
        p += 4;
    }
    while (p < end) {
        h ^= (*p) * FZ_P5;
        h = fz_rotl(h, 11) * FZ_P1;
        p++;
    }
    h ^= h >> 33;
    h *= FZ_P2;
    h ^= h >> 29;
    h *= FZ_P3;
    h ^= h >> 32;
    return h;
}

/* .wiot layout (wiot.h, wiot_table_save_binary): magic at 0, data checksum at 152
 * over [168, end), header checksum at 160 over [0, 160). */
static inline void fz_fix_wiot(unsigned char *b, size_t size)
{
    if (size < 168 || memcmp(b, "WIOT\0BIN", 8) != 0)
        return;
    uint64_t d = fz_xxh64(b + 168, size - 168);
    memcpy(b + 152, &d, 8);
    uint64_t h = fz_xxh64(b, 160);
    memcpy(b + 160, &h, 8);
}

#endif
