/* fuzz_cli.c -- fuzz target for the command-line driver: the input is split at
 * newlines into arguments (at most 24) for wiot's main, compiled into this target as
 * wiot_cli_main (-Dmain=wiot_cli_main), so argument parsing and every subcommand's
 * option handling run in-process.
 *
 * Sandbox: each run happens in a private directory holding a small table (t.csv,
 * the decompr "leather" example: ARG, TUR, DEU x 3 sectors), a scenario file
 * (s.csv) and, as WIOT_DATA, no WIOD tables; arguments containing '/' are refused
 * so nothing outside the directory is read or written, and the directory is emptied
 * and the fixtures rewritten after every run. Table commands get "-t t.csv" first (a later -t wins),
 * so runs do not load the embedded WIOD table; numbers of five or more digits and
 * the argument 'default' are refused to keep runs short. Run with OMP_THREAD_LIMIT=2
 * (make fuzz does) so --threads cannot start thousands of threads.
 *
 * Checked: the exit status is 0, 1 or 2; a failure prints at least one line on
 * stderr and every stderr line starts with "wiot" (one-line messages; warnings
 * are "wiot: warning: ..."). The CLI's stderr is captured in a temporary file
 * during the run (make fuzz passes -close_fd_mask=3 so libFuzzer's own output
 * survives; sanitizer reports go to the saved stderr). */
#define _GNU_SOURCE
#include "fuzz.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int wiot_cli_main(int argc, char **argv);
/* sanitizer reports go to the real stderr while the CLI's stderr is captured */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

static const char fz_table[] =
    "country,sector,ARG_Agriculture,ARG_Textile_and_Leather,ARG_Transport_Equipment,"
    "TUR_Agriculture,TUR_Textile_and_Leather,TUR_Transport_Equipment,DEU_Agriculture,"
    "DEU_Textile_and_Leather,DEU_Transport_Equipment,ARG_F1,TUR_F1,DEU_F1,GO\n"
    "ARG,Agriculture,16.1,5.1,1.8,3.2,4.3,0.4,3.1,2.8,4.9,21.5,6.1,8.4,77.7\n"
    "ARG,Textile_and_Leather,2.4,8,3.2,0.1,3.2,1.6,1.2,3.9,11.5,16.2,1.9,5.1,58.3\n"
    "ARG,Transport_Equipment,0.9,0.5,4,0,0.1,0.3,0,0.4,0.5,11,0.5,0.8,19\n"
    "TUR,Agriculture,1.1,1.9,0.2,18,13.2,6.1,9,3.1,8.9,7.5,29.5,14.2,112.7\n"
    "TUR,Textile_and_Leather,0.3,2.8,0.1,6.1,28.1,6.3,2.1,2.5,25.6,8.9,24.9,16.9,124.6\n"
    "TUR,Transport_Equipment,0,0.1,0.3,4.1,3.2,8.9,0.2,0,1.8,1.2,18.5,4.9,43.2\n"
    "DEU,Agriculture,1.2,4.2,0.3,4.1,1.2,0.6,29,19.5,17.9,9.2,17.9,51.2,156.3\n"
    "DEU,Textile_and_Leather,1.3,1.1,0,3.2,4.8,2.6,5.1,29.1,24.1,7.9,10.1,38.5,127.8\n"
    "DEU,Transport_Equipment,2.1,1.4,3,4.1,3.1,3.9,11.3,8.1,51.3,25.1,35.2,68.4,217\n"
    "TOT,VA,52.3,33.2,6.1,69.8,63.4,12.5,95.3,58.4,70.5,0,0,0,0\n"
    "TOT,GO,77.7,58.3,19,112.7,124.6,43.2,156.3,127.8,217,108.5,144.6,208.4,936.6\n";
static const char fz_scen[] =
    "scenario,imposer,target,sector,rate\n"
    "a,DEU,ARG;TUR,*,0.2\n"
    "b,*;!TUR,TUR,Agriculture..Textile_and_Leather,0.1\n"
    "c,ARG,DEU,Transport_Equipment,-0.5\n";

static char fz_dir[64];
static int fz_home = -1, fz_err = -1;

static void fz_write(const char *name, const char *text)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", fz_dir, name);
    FILE *f = fopen(p, "w");
    if (!f || fputs(text, f) == EOF || fclose(f))
        FZ_FAIL("cannot write %s", p);
}

/* remove everything under dir */
static void fz_clean(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(p, 0700);
            fz_clean(p);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
}

static void fz_fixtures(void)
{
    fz_write("t.csv", fz_table);
    fz_write("s.csv", fz_scen);
    char p[128];
    snprintf(p, sizeof p, "%s/wiod2013", fz_dir);
    mkdir(p, 0700);
}

static void fz_cleanup(void)
{
    if (fz_dir[0]) {
        fz_clean(fz_dir);
        rmdir(fz_dir);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(fz_dir, sizeof fz_dir, "/tmp/wiot-fuzz-cli.XXXXXX");
    if (!mkdtemp(fz_dir))
        FZ_FAIL("mkdtemp");
    atexit(fz_cleanup);
    fz_fixtures();
    setenv("WIOT_DATA", fz_dir, 1);
    fz_home = open(".", O_RDONLY | O_DIRECTORY);
    fz_err = dup(2);
    int null = open("/dev/null", O_WRONLY);
    if (fz_home < 0 || fz_err < 0 || null < 0)
        FZ_FAIL("setup");
    dup2(null, 1);   /* the CLI's reports */
    close(null);
    if (__sanitizer_set_report_fd)
        __sanitizer_set_report_fd((void *)(intptr_t)fz_err);
    return 0;
}

static int fz_table_cmd(const char *c)
{
    static const char *const cmds[] = {"info", "leontief", "multipliers", "tariff", "sweep",
                                       "content", "tiva", "extract"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (!strcmp(c, cmds[i]))
            return 1;
    return 0;
}

#define FZ_MAXARG 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[FZ_MAXARG + 4];
    int argc = 0;
    argv[argc++] = "wiot";
    char *p = buf;
    int ok = 1;
    while (ok && argc < FZ_MAXARG) {
        char *nl = memchr(p, '\n', (size_t)(buf + size - p));
        if (nl)
            *nl = '\0';
        if (strlen(p) != (size_t)((nl ? nl : buf + size) - p))
            ok = 0;   /* an embedded NUL */
        argv[argc++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    for (int i = 1; ok && i < argc; i++) {
        if (strchr(argv[i], '/') || !strcmp(argv[i], "default"))
            ok = 0;
        for (const char *q = argv[i], *run = NULL; ok && *q; q++) {
            if (!isdigit((unsigned char)*q))
                run = NULL;
            else if (!run)
                run = q;
            else if (q - run >= 4)
                ok = 0;
        }
    }
    if (!ok) {
        free(buf);
        return 0;
    }
    if (argc >= 2 && fz_table_cmd(argv[1])) {
        memmove(argv + 4, argv + 2, (size_t)(argc - 2) * sizeof *argv);
        argv[2] = "-t";
        argv[3] = "t.csv";
        argc += 2;
    }
    argv[argc] = NULL;

    FILE *err = tmpfile();
    if (!err)
        FZ_FAIL("tmpfile");
    fflush(stderr);
    dup2(fileno(err), 2);
    if (chdir(fz_dir))
        FZ_FAIL("chdir");
    int rc = wiot_cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    if (fchdir(fz_home))
        FZ_FAIL("fchdir");
    dup2(fz_err, 2);
    fz_clean(fz_dir);   /* a run may have overwritten the fixtures: start afresh */
    fz_fixtures();

    char line[4096];
    int lines = 0;
    rewind(err);
    while (fgets(line, sizeof line, err)) {
        if (strncmp(line, "wiot", 4) != 0) {
            fprintf(stderr, "args:");
            for (int i = 1; i < argc; i++)
                fprintf(stderr, " '%s'", argv[i]);
            FZ_FAIL("stderr line not from wiot: %s", line);
        }
        lines++;
    }
    fclose(err);
    if (rc < 0 || rc > 2)
        FZ_FAIL("exit status %d", rc);
    if (rc != 0 && lines == 0 && !(argc >= 2 && !strcmp(argv[1], "version")))
        FZ_FAIL("exit status %d without a message", rc);
    free(buf);
    return 0;
}
