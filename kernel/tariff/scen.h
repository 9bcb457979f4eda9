/* scen.h -- what the files of the scenario language share (scenario.c: the set and
 * the file parser; select.c: countries, sectors, groups and ranges; expr.c: building
 * schedules from expressions). Private to kernel/tariff. The format and its rules are
 * described at the top of scenario.c. */
#ifndef WIOT_SCEN_H
#define WIOT_SCEN_H

#include "tariff/tariff.h"

#include <stdarg.h>
#include <stdint.h>

#define WI_HEADER "scenario,imposer,target,sector,rate"
#define WI_NFIELD 5
#define WI_LIST_MAX 600   /* bytes of "valid: ..." lists in messages */
#define WI_LEV_MAX 128    /* edit distance looks at this many characters */
#define WI_SUGGEST 5      /* close names listed for an unknown scenario */
#define WI_SCEN_FILE_MAX ((size_t)64 << 20)  /* longest scenario file read (README "Guarantees") */
#define WI_RATE_PLAUSIBLE 2.0  /* rates above this draw a warning: 25 meant as 25 %? */

/* ------------------------------------------------------------ scenario set */
/* One resolved line: index lists idx[off .. off+ni) importers, then nt targets, then
 * ns sectors, in the block's pool. */
struct wi_line {
    uint32_t off, ni, nt, ns;
    double rate;
    double thr;                 /* unless_content_of threshold X */
    uint32_t soff, snc, sns;    /* content SPEC: snc countries then sns sectors at idx[soff] */
    uint32_t lineno;            /* physical line in its file */
    uint32_t text;              /* offset in the block's text of the fields as written:
                                   "imposer\0target\0sector\0measure\0spec\0" */
    uint8_t measure;            /* enum wiot_line_measure */
};

/* One loaded file (one allocation). */
struct wi_block {
    const char *file;
    struct wi_line *lines;
    uint32_t *idx;
    char *text;                 /* names, then the file name */
};

struct wi_scen {
    const char *name;
    const struct wi_line *lines;   /* contiguous, in file order */
    size_t nlines;
    const uint32_t *idx;
    const char *file;
    const char *text;              /* the block's text (wi_line.text is relative to it) */
};

struct wiot_scenarios {
    wiot_allocator a;
    size_t C, S;
    char **country;             /* C codes (copies) */
    char **sector;              /* S codes */
    unsigned char *goods;       /* S flags: 1 = goods sector */
    int goods_defined;
    void *codes;                /* the one block holding country, sector, goods */
    struct wi_block **blk;
    size_t nblk, capblk;
    struct wi_scen *scen;
    size_t nscen, capscen;
};


/* A slice of the input. */
typedef struct wi_str {
    const char *p;
    size_t n;
} wi_str;

/* printf arguments for a slice, clipped to 200 bytes: "%.*s" */
#define WI_PR(s) ((s).n > 200 ? 200 : (int)(s).n), (s).p

/* ------------------------------------------------------------------ parser */
/* A growing array through the context's allocator (no realloc hook: copy). */
typedef struct wi_vec {
    void *p;
    size_t n, cap;
} wi_vec;


struct wi_pline {
    struct wi_line l;
    uint32_t scen;              /* index among the file's names */
};

typedef struct wi_parse {
    wiot_ctx *ctx;
    wiot_scenarios *sc;
    const char *file;
    size_t lineno;
    wi_vec lines;               /* struct wi_pline */
    wi_vec idx;                 /* uint32_t */
    wi_vec names;               /* size_t: offsets into pool */
    wi_vec pool;                /* char: NUL-terminated names */
    unsigned char *inc, *exc;   /* max(C, S) marks each */
    size_t last;                /* the previous line's scenario, or -1 */
    int comma;                  /* ',' also separates items (wi_spec_field) */
    int nhdr;                   /* fields of the header: 5, or 6 with 'measure' */
} wi_parse;

typedef int (*wi_item_fn)(wi_parse *P, const char *fname, wi_str item, unsigned char *mark);

/* select.c */
int wi_eq(wi_str s, const char *z);
int wi_ieq(wi_str s, const char *z);
size_t wi_find(char *const *codes, size_t count, wi_str s);
size_t wi_find_z(char *const *codes, size_t count, const char *z);
void wi_list_codes(char *buf, size_t cap, char *const *codes, size_t n);
int wi_goods(char *const *sector, size_t S, unsigned char *goods);
int wi_perr(wi_parse *P, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int wi_items(wi_parse *P, const char *fname, wi_str f, wi_item_fn fn);
int wi_field_countries(wi_parse *P, const char *fname, wi_str f, uint32_t *count);
int wi_field_sectors(wi_parse *P, const char *fname, wi_str f, uint32_t *count);
int wi_vec_reserve(wiot_ctx *ctx, wi_vec *v, size_t elem, size_t more);
/* scenario.c */
size_t wi_scen_find(const wiot_scenarios *sc, wi_str name);

#endif
