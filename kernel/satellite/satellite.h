/* satellite.h -- private pieces of the satellite-account module (kernel/satellite/):
 * the extension handle, shared by the readers (extension.c, read_sat.c) and the
 * accounts (accounts.c). Not installed. */
#ifndef WIOT_SATELLITE_H
#define WIOT_SATELLITE_H

#include "model/model.h"

struct wiot_extension {
    wiot_allocator a;
    size_t p, n, C, S, K;     /* stressors; the table's shape */
    char **name, **unit;      /* p strings each (own blocks) */
    double *F;                /* p x n, ld p */
    double *FY;               /* p x C*K, ld p, or NULL */
    char *source;             /* for messages */
};

/* An empty handle for t's shape with p stressors: names, units NULL, F zeroed, FY
 * zeroed when fy != 0. */
int wi_ext_alloc(wiot_ctx *ctx, const wiot_table *t, size_t p, int fy, wiot_extension **out);
/* Set name/unit k (copies [s, s+n)). */
int wi_ext_set(wiot_ctx *ctx, wiot_extension *e, size_t k, const char *name, size_t nlen,
               const char *unit, size_t ulen);
int wi_ext_set_source(wiot_ctx *ctx, wiot_extension *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The EXIOBASE 3 satellite/ or impacts/ block at path (read_sat.c). */
int wi_ext_load_exio(wiot_ctx *ctx, const wiot_table *t, const char *path, wiot_extension **out);

#endif
