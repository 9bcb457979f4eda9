/* html.c -- report_build: the CSVs of a run into SVG files and one self-contained
 * report.html (inline SVG and CSS, a Content-Security-Policy that forbids every
 * request, no scripts, no fonts, no links out), with the run's provenance read
 * from run.json when the run left one. The page is XHTML-compatible HTML5: it parses
 * both as XML and as HTML. */
#define _GNU_SOURCE
#include "report.h"
#include "wiot.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ------------------------------------------------------------ run.json */
enum { PROV_MAX = 24 };
typedef struct prov_kv {
    char key[48];
    sbuf val;
} prov_kv;
typedef struct prov {
    prov_kv kv[PROV_MAX];
    size_t n;
    char problem[200];   /* run.json unreadable: why */
} prov;

static sbuf *prov_slot(prov *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->kv[i].key, key))
            return &p->kv[i].val;
    if (p->n == PROV_MAX)
        return NULL;
    prov_kv *kv = &p->kv[p->n++];
    snprintf(kv->key, sizeof kv->key, "%s", key);
    sb_init(&kv->val);
    return &kv->val;
}

static void prov_free(prov *p)
{
    for (size_t i = 0; i < p->n; i++)
        sb_free(&p->kv[i].val);
    p->n = 0;
}

typedef struct jp {
    const char *s, *e;
    int depth;
    const char *why;
} jp;

static void ws(jp *j)
{
    while (j->s < j->e && (*j->s == ' ' || *j->s == '\t' || *j->s == '\n' || *j->s == '\r'))
        j->s++;
}

/* a JSON string into out (escapes decoded; \u as '?' outside ASCII) */
static int jstr(jp *j, sbuf *out)
{
    if (j->s >= j->e || *j->s != '"')
        return j->why = "a string expected", 1;
    j->s++;
    while (j->s < j->e && *j->s != '"') {
        char c = *j->s++;
        if ((unsigned char)c < 0x20)
            return j->why = "a control character in a string", 1;
        if (c == '\\') {
            if (j->s >= j->e)
                break;
            char x = *j->s++;
            switch (x) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': case 'f': c = ' '; break;
            case 'u': {
                unsigned v = 0;
                for (int k = 0; k < 4; k++, j->s++) {
                    if (j->s >= j->e)
                        return j->why = "a bad \\u escape", 1;
                    char h = *j->s;
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                            : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 99);
                    if (v > 0xffff)
                        return j->why = "a bad \\u escape", 1;
                }
                c = v >= 0x20 && v < 0x7f ? (char)v : '?';
                break;
            }
            default: c = x;
            }
        }
        if (out)
            sb_put(out, &c, 1);
    }
    if (j->s >= j->e)
        return j->why = "an unterminated string", 1;
    j->s++;
    return 0;
}

/* a value; scalars under `path` are appended to the provenance (arrays joined) */
static int jval(jp *j, prov *p, const char *path)
{
    ws(j);
    if (j->s >= j->e)
        return j->why = "unexpected end", 1;
    if (++j->depth > 32)
        return j->why = "nested too deeply", 1;
    int rc = 0;
    if (*j->s == '{') {
        j->s++;
        ws(j);
        if (j->s < j->e && *j->s == '}')
            j->s++;
        else
            for (;;) {
                sbuf key;
                sb_init(&key);
                ws(j);
                if (jstr(j, &key)) {
                    sb_free(&key);
                    return 1;
                }
                ws(j);
                if (j->s >= j->e || *j->s != ':') {
                    sb_free(&key);
                    return j->why = "':' expected", 1;
                }
                j->s++;
                char sub[96];
                snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key.p ? key.p : "");
                sb_free(&key);
                if (jval(j, p, sub))
                    return 1;
                ws(j);
                if (j->s < j->e && *j->s == ',') {
                    j->s++;
                    continue;
                }
                if (j->s < j->e && *j->s == '}') {
                    j->s++;
                    break;
                }
                return j->why = "',' or '}' expected", 1;
            }
    } else if (*j->s == '[') {
        j->s++;
        ws(j);
        if (j->s < j->e && *j->s == ']')
            j->s++;
        else
            for (;;) {
                if (jval(j, p, path))
                    return 1;
                ws(j);
                if (j->s < j->e && *j->s == ',') {
                    j->s++;
                    continue;
                }
                if (j->s < j->e && *j->s == ']') {
                    j->s++;
                    break;
                }
                return j->why = "',' or ']' expected", 1;
            }
    } else {
        sbuf *slot = *path ? prov_slot(p, path) : NULL;
        sbuf v;
        sb_init(&v);
        if (*j->s == '"') {
            rc = jstr(j, &v);
        } else {
            const char *a = j->s;
            while (j->s < j->e && !strchr(",]} \t\r\n", *j->s))
                j->s++;
            if (j->s == a)
                rc = (j->why = "a value expected", 1);
            else
                sb_put(&v, a, (size_t)(j->s - a));
        }
        if (!rc && slot) {
            if (slot->len)
                sb_add(slot, " ");
            if (v.len)
                sb_put(slot, v.p, v.len);
        }
        sb_free(&v);
    }
    j->depth--;
    return rc;
}

static void read_run_json(const char *dir, prov *p)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/run.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char *buf = malloc(REPORT_MAX_JSON_BYTES + 1);
    size_t n = buf ? fread(buf, 1, REPORT_MAX_JSON_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf) {
        snprintf(p->problem, sizeof p->problem, "run.json: out of memory");
        return;
    }
    if (n > REPORT_MAX_JSON_BYTES) {
        snprintf(p->problem, sizeof p->problem, "run.json: larger than %zu bytes, not read", REPORT_MAX_JSON_BYTES);
        free(buf);
        return;
    }
    jp j = {buf, buf + n, 0, NULL};
    if (jval(&j, p, "") || (ws(&j), j.s != j.e)) {
        size_t line = 1;
        for (const char *q = buf; q < j.s; q++)
            line += *q == '\n';
        snprintf(p->problem, sizeof p->problem, "run.json:%zu: %s; the provenance below is incomplete", line,
                 j.why ? j.why : "trailing characters");
    }
    free(buf);
}

/* ---------------------------------------------------------------- page */
static const char CSS[] =
    "body{margin:0;background:#ffffff;color:#111111;font-family:'DejaVu Sans','Liberation Sans',Arial,"
    "Helvetica,sans-serif;font-size:14px}\n"
    "main{width:820px;margin:0 auto;padding:12px 10px 30px 10px}\n"
    "h1{font-size:22px;margin:8px 0 4px 0}h2{font-size:17px;margin:26px 0 6px 0;border-bottom:1px solid #cccccc}\n"
    "table.prov{border-collapse:collapse;font-size:12.5px;margin:6px 0 10px 0}\n"
    "table.prov th{text-align:left;padding:2px 12px 2px 0;color:#444444;font-weight:normal;vertical-align:top}\n"
    "table.prov td{padding:2px 0;font-family:'DejaVu Sans Mono',monospace;word-break:break-all}\n"
    "figure{margin:14px 0 22px 0}figcaption{font-size:11.5px;color:#555555}\n"
    "svg.chart{display:block;border:1px solid #e5e5e5;max-width:100%;height:auto}\n"
    "p.problem{color:#a00000}ul.toc{font-size:13px;margin:4px 0}\n";

static void row(sbuf *b, const char *k, const char *v)
{
    sb_add(b, "<tr><th>");
    sb_esc(b, k);
    sb_add(b, "</th><td>");
    sb_esc(b, v);
    sb_add(b, "</td></tr>\n");
}

static const char *kv(const prov *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->kv[i].key, key) && p->kv[i].val.p)
            return p->kv[i].val.p;
    return NULL;
}

static void page(sbuf *b, const char *title, const prov *p, const report_prov *pv, const chart_list *L,
                 char (*files)[300], char (*kinds)[64], size_t nfiles)
{
    sb_add(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
              "'unsafe-inline'\"/>\n<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>wiot report: ");
    sb_esc(b, title);
    sb_add(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<h1>wiot report</h1>\n", CSS);
    sb_add(b, "<table class=\"prov\">\n");
    static const char *const keys[][2] = {{"command", "command"}, {"argv", "command line"},
                                          {"table.name", "table"}, {"table.sha256", "table sha256"},
                                          {"scenarios", "scenarios"}, {"pass_through", "pass-through"},
                                          {"method", "method"}, {"wiot_version", "wiot version"},
                                          {"date", "run at (UTC)"}};
    int have = 0;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = kv(p, keys[k][0]);
        if (v) {
            row(b, keys[k][1], v);
            have = 1;
        }
    }
    if (!have && pv && pv->argv) {   /* no run.json: the command line of this run */
        sbuf cl;
        sb_init(&cl);
        sb_add(&cl, "wiot");
        for (int i = 0; i < pv->argc; i++)
            sb_add(&cl, " %s", pv->argv[i]);
        row(b, "command line", cl.p ? cl.p : "");
        sb_free(&cl);
        row(b, "wiot version", wiot_version_string());
    }
    sbuf fl;
    sb_init(&fl);
    for (size_t i = 0; i < nfiles; i++)
        sb_add(&fl, "%s%s (%s)", i ? ", " : "", files[i], kinds[i]);
    row(b, "rendered from", fl.p ? fl.p : "");
    sb_free(&fl);
    /* SOURCE_DATE_EPOCH (reproducible builds' convention) fixes the time, so two
     * renderings of the same CSVs are byte-identical */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    char when[40] = "";
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    row(b, "rendered at (UTC)", when);
    char ren[64];
    snprintf(ren, sizeof ren, "wiot %s", wiot_version_string());
    row(b, "rendered by", ren);
    sb_add(b, "</table>\n");
    if (p->problem[0]) {
        sb_add(b, "<p class=\"problem\">");
        sb_esc(b, p->problem);
        sb_add(b, "</p>\n");
    } else if (!have && !(pv && pv->argv)) {
        sb_add(b, "<p class=\"problem\">no run.json beside the CSV files: the run's table, scenarios and options "
                  "were not recorded.</p>\n");
    }
    sb_add(b, "<ul class=\"toc\">\n");
    for (size_t i = 0; i < L->n; i++) {
        sb_add(b, "<li><a href=\"#chart-%s\">", L->ch[i].id);
        sb_esc(b, L->ch[i].title);
        sb_add(b, "</a></li>\n");
    }
    sb_add(b, "</ul>\n");
    const char *sect = NULL;
    for (size_t i = 0; i < L->n; i++) {
        if (!sect || strcmp(sect, L->file[i])) {
            sect = L->file[i];
            sb_add(b, "<h2>");
            sb_esc(b, sect);
            sb_add(b, "</h2>\n");
        }
        sb_add(b, "<figure>\n");
        chart_svg(b, &L->ch[i], 0);
        sb_add(b, "<figcaption>%s.svg</figcaption>\n</figure>\n", L->ch[i].id);
    }
    sb_add(b, "</main>\n</body>\n</html>\n");
}

static int csv_name(const struct dirent *d)
{
    size_t l = strlen(d->d_name);
    return l > 4 && !strcmp(d->d_name + l - 4, ".csv") && d->d_name[0] != '.';
}

int report_build(const char *path, const report_prov *pv, int *written, char *err, size_t errsz)
{
    enum { MAXF = 32 };
    char dir[4096], html[4608], stems[MAXF][300], files[MAXF][300], kinds[MAXF][64];
    size_t nfiles = 0, nk = 0;
    struct stat st;
    *written = 0;
    if (stat(path, &st) != 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return 1;
    }
    if (strlen(path) >= sizeof dir - 300) {
        snprintf(err, errsz, "%s: path too long", path);
        return 1;
    }
    int single = !S_ISDIR(st.st_mode);
    if (single) {
        const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
        size_t bl = strlen(base);
        if (!bl || bl >= sizeof stems[0]) {
            snprintf(err, errsz, "%s: not a directory or a CSV file", path);
            return 1;
        }
        /* F.csv -> F.html, F_ID.svg; another name keeps its extension: x.out -> x.out.html */
        size_t sl = bl > 4 && !strcmp(base + bl - 4, ".csv") ? bl - 4 : bl;
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
        if (slash == path)
            snprintf(dir, sizeof dir, "/");
        snprintf(files[0], sizeof files[0], "%s", base);
        snprintf(stems[0], sizeof stems[0], "%.*s", (int)sl, base);
        snprintf(html, sizeof html, "%s/%s.html", dir, stems[0]);
        nfiles = 1;
    } else {
        snprintf(dir, sizeof dir, "%s", path);
        snprintf(html, sizeof html, "%s/report.html", dir);
        struct dirent **list;
        int n = scandir(dir, &list, csv_name, alphasort);
        if (n < 0) {
            snprintf(err, errsz, "%s: cannot list: %s", dir, strerror(errno));
            return 1;
        }
        for (int i = 0; i < n; i++) {
            size_t l = strlen(list[i]->d_name);
            char fp[4608];
            struct stat fs;
            snprintf(fp, sizeof fp, "%s/%s", dir, list[i]->d_name);
            /* regular files only (a directory called x.csv is not a CSV) */
            if (nfiles < MAXF && l < sizeof files[0] && stat(fp, &fs) == 0 && S_ISREG(fs.st_mode)) {
                snprintf(files[nfiles], sizeof files[0], "%s", list[i]->d_name);
                snprintf(stems[nfiles], sizeof stems[0], "%.*s", (int)(l - 4), list[i]->d_name);
                nfiles++;
            }
            free(list[i]);
        }
        free(list);
    }
    chart_list *L = calloc(1, sizeof *L);
    prov p;
    memset(&p, 0, sizeof p);
    sbuf b;
    sb_init(&b);
    int rc = 1;
    if (!L) {
        snprintf(err, errsz, "%s: out of memory", path);
        return 1;
    }
    /* the provenance first: run.json's argv may name content's --source */
    read_run_json(dir, &p);
    /* a command's own report: a run.json another command left in the directory (gvc and
     * content write none) is not this run's provenance */
    const char *rjc = kv(&p, "command");
    if (pv && pv->command && strcmp(pv->command, "report") && rjc && strcmp(rjc, pv->command)) {
        prov_free(&p);
        memset(&p, 0, sizeof p);
    }
    report_prov pv2 = {NULL, 0, NULL, NULL, NULL};
    if (pv)
        pv2 = *pv;
    char source[256] = "";
    const char *av = kv(&p, "argv");
    if (!pv2.source && av) {
        const char *q = strstr(av, "--source ");
        if (q && sscanf(q + 9, "%255s", source) == 1)
            pv2.source = source;
    }
    pv = &pv2;
    size_t keep = 0;
    for (size_t i = 0; i < nfiles; i++) {
        char fp[4608];
        snprintf(fp, sizeof fp, "%s/%s", dir, files[i]);
        rcsv c;
        const char *kind = NULL;
        if (rcsv_load(fp, &c, err, errsz))
            goto out;
        if (L->n + 8 > REPORT_MAX_CHARTS) {
            rcsv_free(&c);
            break;
        }
        int bad = report_csv_charts(&c, stems[i], pv, L, &kind, err, errsz);
        if (!bad && !kind && single) {
            snprintf(err, errsz, "%s: not a wiot output the report knows (columns %s%s%s...)", fp, c.head[0],
                     c.ncol > 1 ? "," : "", c.ncol > 1 ? c.head[1] : "");
            bad = 1;
        }
        rcsv_free(&c);
        if (bad)
            goto out;
        if (kind) {
            memmove(files[keep], files[i], sizeof files[0]);
            snprintf(kinds[keep], sizeof kinds[0], "%s", kind);
            keep++;
            nk++;
        }
    }
    if (!nk) {
        snprintf(err, errsz, "%s: no wiot CSV output found (tariff, sweep, ge, content, tiva, extract or gvc files)", path);
        goto out;
    }
    for (size_t i = 0; i < L->n; i++) {
        char sp[4608];
        snprintf(sp, sizeof sp, "%s/%s.svg", dir, L->ch[i].id);
        sb_free(&b);
        if (chart_svg(&b, &L->ch[i], 1) || b.oom) {
            snprintf(err, errsz, "%s: out of memory", sp);
            goto out;
        }
        if (report_write_file(sp, b.p, b.len, err, errsz))
            goto out;
        (*written)++;
    }
    sb_free(&b);
    page(&b, path, &p, pv, L, files, kinds, keep);
    if (b.oom) {
        snprintf(err, errsz, "%s: out of memory", html);
        goto out;
    }
    if (report_write_file(html, b.p, b.len, err, errsz))
        goto out;
    (*written)++;
    rc = 0;
out:
    sb_free(&b);
    prov_free(&p);
    chart_list_free(L);
    free(L);
    return rc;
}
