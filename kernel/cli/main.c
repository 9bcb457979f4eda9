/* main.c -- the wiot command-line driver: the command table and main(). A thin
 * client of the public API (wiot.h); only the driver prints or chooses exit codes. */
#define _GNU_SOURCE
#include "wiot.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_data.h"


/* Start-up under an address-space limit (ulimit -v; README "Guarantees"). OpenBLAS
 * allocates its 128 MiB thread buffer in its constructor, before main, and retries a
 * failed allocation for ever; each OpenMP thread's malloc arena reserves 128 MiB more.
 * So this runs from .preinit_array, before any shared library's constructor: when the
 * soft RLIMIT_AS is below WIOT_AS_SMALL it re-executes the program once (marker
 * WIOT_LOWMEM=1) with OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1 and MALLOC_ARENA_MAX=1
 * added to its environment (the environment cannot be changed in place this early:
 * the C library has not set environ yet), and below WIOT_AS_MIN, where even that
 * cannot run a solve (OpenBLAS's buffer at start and one more at its first call, and
 * it spins rather than fail when they cannot be had), it exits at once with one line. */
#define WIOT_AS_SMALL ((rlim_t)1 << 30)
#define WIOT_AS_MIN ((rlim_t)384 << 20)   /* measured: 224 MiB to start, ~350 to run a solve */
static void cli_preinit(int argc, char **argv, char **envp)
{
    (void)argc;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= WIOT_AS_SMALL)
        return;
    if (rl.rlim_cur < WIOT_AS_MIN) {
        char line[200];
        int n = snprintf(line, sizeof line, "wiot: the address-space limit (ulimit -v) of %lu MiB "
                         "is below the %lu MiB wiot needs (OpenBLAS reserves 256 MiB of buffers)\n",
                         (unsigned long)(rl.rlim_cur >> 20), (unsigned long)(WIOT_AS_MIN >> 20));
        if (n > 0 && write(2, line, (size_t)n) < 0)
            _exit(1);
        _exit(1);
    }
    static const char *const add[] = {"WIOT_LOWMEM=1", "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1",
                                      "MALLOC_ARENA_MAX=1"};
    const size_t nadd = sizeof add / sizeof *add;
    size_t ne = 0;
    for (; envp && envp[ne]; ne++)
        if (!strncmp(envp[ne], "WIOT_LOWMEM=", 12))
            return;   /* already re-executed */
    char **env = malloc((ne + nadd + 1) * sizeof *env);
    if (!env)
        return;
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        int drop = 0;   /* replaced below */
        for (size_t j = 0; j < nadd; j++) {
            size_t l = (size_t)(strchr(add[j], '=') - add[j]) + 1;
            drop |= !strncmp(envp[i], add[j], l);
        }
        if (!drop)
            env[k++] = envp[i];
    }
    for (size_t j = 0; j < nadd; j++)
        env[k++] = (char *)(uintptr_t)add[j];
    env[k] = NULL;
    execve("/proc/self/exe", argv, env);
    free(env);   /* no /proc: start as is */
}
__attribute__((section(".preinit_array"), used))
static void (*const cli_preinit_entry)(int, char **, char **) = cli_preinit;

/* Campaign hooks: serial defaults; wiot-mpi replaces them. */
static int serial_agree(int status) { return status; }
cli_par g_par = {0, 1, wiot_batch_run, NULL, serial_agree, NULL};

/* the version this program was compiled with (the header's) */
#define CLI_STR2(x) #x
#define CLI_STR(x) CLI_STR2(x)
#define WIOT_VERSION_STRING \
    CLI_STR(WIOT_VERSION_MAJOR) "." CLI_STR(WIOT_VERSION_MINOR) "." CLI_STR(WIOT_VERSION_PATCH)

/* ------------------------------------------------------- the command table */
/* One row per command: name, function, one-line summary, full help text. `wiot
 * --help`, the manual page (`wiot man`) and the bash completion (`wiot completion`)
 * are generated from this table and the help texts, so they cannot drift apart. */
typedef struct cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const char *const *help;
    const char *const *opts;  /* the options it accepts (",t,o,threads,"), NULL: none */
} cli_cmd;

static int cmd_version(int argc, char **argv);
static int cmd_man(int argc, char **argv);
static int cmd_completion(int argc, char **argv);

const char *const VERSION_HELP =
    "usage: wiot version\n"
    "Print the version of the program and of the library it runs on; exit 1 when the\n"
    "two differ (a program built against another libwiot).\n";
const char *const MAN_HELP =
    "usage: wiot man\n"
    "Print the manual page wiot(1) in troff, generated from the command table and every\n"
    "command's --help (make install installs it; read it with 'wiot man | man -l -').\n";
const char *const COMPLETION_HELP =
    "usage: wiot completion\n"
    "Print a bash completion script for wiot: command names, then each command's options\n"
    "(make install installs it; or: source <(wiot completion)).\n";

static const cli_cmd commands[] = {
    {"info", cmd_info, "dimensions and checks of a table", &INFO_HELP, &INFO_OPTS},
    {"leontief", cmd_leontief, "Leontief (or Ghosh) inverse with residual, flops and GFLOP/s", &LEONTIEF_HELP, &LEONTIEF_OPTS},
    {"multipliers", cmd_multipliers, "output multipliers and linkages as CSV", &MULT_HELP, &MULTIPLIERS_OPTS},
    {"tariff", cmd_tariff, "tariff scenarios: prices, consumer prices, costs and revenue", &TARIFF_HELP, &TARIFF_OPTS},
    {"sweep", cmd_sweep, "one scenario at many scales or Monte Carlo draws (batched)", &SWEEP_HELP, &SWEEP_OPTS},
    {"aggregate", cmd_aggregate, "sum a table into region and sector groups (mapping files)", &AGGREGATE_HELP, &AGGREGATE_OPTS},
    {"convert", cmd_convert, "rewrite a table as binary .wiot (fast to load), CSV or gzip CSV", &CONVERT_HELP, &CONVERT_OPTS},
    {"content", cmd_content, "a source's value-added (or gross) content in every product; thresholds", &CONTENT_HELP, &CONTENT_OPTS},
    {"tiva", cmd_tiva, "trade in value added per country: DVA, FVA, participation, VAX", &TIVA_HELP, &TIVA_OPTS},
    {"extract", cmd_extract, "hypothetical extraction of a source's supply: output lost", &EXTRACT_HELP, &EXTRACT_OPTS},
    {"gvc", cmd_gvc, "value chains: KWW, WWZ, Borin-Mancini, positions, bilateral trade", &GVC_HELP, &GVC_OPTS},
    {"ge", cmd_ge, "general-equilibrium counterfactuals (Caliendo-Parro 2015): welfare, wages, diversion", &GE_HELP, &GE_OPTS},
    {"footprint", cmd_footprint, "satellite accounts: footprints D_cba, D_pba, D_imp, D_exp of jobs, CO2, ...", &FOOT_HELP, &FOOT_OPTS},
    {"scenarios", cmd_scenarios, "the built-in (or -s) scenarios; one scenario's rates and content shares", &SCENARIOS_HELP, &SCENARIOS_OPTS},
    {"report", cmd_report, "re-render the SVG charts and report.html of an earlier -o output", &REPORT_HELP, &REPORT_OPTS},
    {"version", cmd_version, "program and library version", &VERSION_HELP, NULL},
    {"man", cmd_man, "print the manual page (troff)", &MAN_HELP, NULL},
    {"completion", cmd_completion, "print a bash completion script", &COMPLETION_HELP, NULL},
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static void print_main_help(FILE *f)
{
    fputs("usage: wiot COMMAND [options]    (wiot COMMAND --help for each)\n"
          "World input-output analysis: Leontief and Ghosh inverses, multipliers, tariff\n"
          "pass-through and supply-chain exposure on world input-output tables. With no -t,\n"
          "the embedded WIOD 2013 world table for 2011 is used.\n"
          "commands:\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fputs("every command that computes also takes --threads N and --max-memory SIZE (e.g. 4G):\n"
          "refuse work that needs more memory than SIZE\n"
          "tariff, sweep, ge, content, tiva, extract and gvc kww|position -o also write SVG charts\n"
          "and a self-contained report.html beside the CSV files; --no-report turns that off\n", f);
}

/* "-h" / "--help" as the only argument after the command name */
static int wants_help(int argc, char **argv)
{
    return argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
}

static int cmd_version(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(VERSION_HELP, stdout);
        return 0;
    }
    if (argc > 1)
        return usage_error("version", "takes no arguments, got '%s'", argv[1]);
    printf("wiot %s (library %s)\n", WIOT_VERSION_STRING, wiot_version_string());
    return wiot_version_number() == WIOT_VERSION_NUMBER ? 0 : 1;
}

/* troff text: a leading '.' or '\'' is escaped, and every backslash */
static void man_text(FILE *f, const char *s)
{
    int bol = 1;
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", f);
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
        bol = *s == '\n';
    }
}

static int cmd_man(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(MAN_HELP, stdout);
        return 0;
    }
    if (argc > 1)
        return usage_error("man", "takes no arguments, got '%s'", argv[1]);
    printf(".TH WIOT 1 \"\" \"wiot %s\" \"User Commands\"\n", WIOT_VERSION_STRING);
    puts(".SH NAME\nwiot \\- world input\\-output analysis: Leontief inverses, tariffs, value added");
    puts(".SH SYNOPSIS\n.B wiot\n.I COMMAND\n[\\fIoptions\\fR]");
    puts(".SH DESCRIPTION");
    man_text(stdout, "Leontief and Ghosh inverses, multipliers, tariff pass-through (first-order and the "
                     "exact cascading price model), batches of scenarios, and supply-chain exposure on "
                     "world input-output tables (WIOD, OECD ICIO, EXIOBASE 3, Eora26). With no -t, the "
                     "embedded WIOD 2013 world table for 2011 is used. Results are changes as fractions "
                     "(0.01 = 1 %) and money in the table's units (millions of USD for WIOD).\n");
    puts(".SH COMMANDS");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        printf(".SS %s\n", commands[i].name);
        man_text(stdout, commands[i].summary);
        puts("\n.PP\n.nf");
        char *full = NULL;
        size_t flen = 0;
        FILE *m = open_memstream(&full, &flen);
        if (!m)
            return 1;
        print_help(m, *commands[i].help, commands[i].opts ? *commands[i].opts : NULL);
        fclose(m);
        man_text(stdout, full);
        free(full);
        puts(".fi");
    }
    puts(".SH ENVIRONMENT\n.TP\n.B WIOT_DATA\nthe data directory (mapping files, shipped tables); "
         "default: data/ beside the program, then ../share/wiot.");
    puts(".SH EXIT STATUS\n0 success, 1 a failure of the work (the message names the input), "
         "2 a usage error.");
    puts(".SH SEE ALSO\nREADME.md and kernel/METHODS.md of the wiot sources.");
    return ferror(stdout) ? 1 : 0;
}

/* "-t -o --threads ... " from an accepted-options string (",t,o,threads,"), plus the
 * options every command that reads a table takes. */
static void print_options(FILE *f, const char *opts)
{
    if (!opts)
        return;
    for (const char *p = opts; *p;) {
        const char *e = strchr(p, ',');
        if (!e)
            e = p + strlen(p);
        if (e > p)
            fprintf(f, "%s%.*s ", e - p == 1 ? "-" : "--", (int)(e - p), p);
        p = *e ? e + 1 : e;
    }
    if (strstr(opts, ",t,"))
        fputs("--format --keep-splits --max-memory ", f);
}

/* wiot help-check: every option a command accepts is named in its --help (a test
 * runs it; an undocumented option fails the build's tests). */
static int help_check(void)
{
    int bad = 0;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (!commands[i].opts)
            continue;
        char buf[4096], help[16384];
        FILE *m = fmemopen(buf, sizeof buf, "w");
        FILE *hm = fmemopen(help, sizeof help, "w");
        if (!m || !hm)
            return 1;
        print_options(m, *commands[i].opts);
        print_help(hm, *commands[i].help, *commands[i].opts);
        fclose(m);
        fclose(hm);
        for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
            const char *q = help;
            size_t tl = strlen(tok);
            int found = 0;
            while ((q = strstr(q, tok)) != NULL) {
                char nx = q[tl];
                if (!(nx == '-' || (nx >= 'a' && nx <= 'z'))) {
                    found = 1;
                    break;
                }
                q += tl;
            }
            if (!found) {
                fprintf(stderr, "wiot %s --help does not mention %s\n", commands[i].name, tok);
                bad = 1;
            }
        }
    }
    return bad;
}

static int cmd_completion(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(COMPLETION_HELP, stdout);
        return 0;
    }
    if (argc > 1)
        return usage_error("completion", "takes no arguments, got '%s'", argv[1]);
    puts("# bash completion for wiot (generated by 'wiot completion')");
    puts("_wiot() {\n    local cur=${COMP_WORDS[COMP_CWORD]} opts");
    puts("    if [ \"$COMP_CWORD\" -eq 1 ]; then");
    fputs("        COMPREPLY=($(compgen -W \"", stdout);
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("%s%s", i ? " " : "", commands[i].name);
    puts(" --help\" -- \"$cur\"))\n        return\n    fi");
    puts("    case ${COMP_WORDS[1]} in");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        printf("    %s) opts=\"", commands[i].name);
        print_options(stdout, commands[i].opts ? *commands[i].opts : NULL);
        puts("--help\" ;;");
    }
    puts("    *) opts= ;;\n    esac");
    puts("    case $cur in\n    -*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;");
    puts("    *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n    esac\n}");
    puts("complete -F _wiot wiot");
    return ferror(stdout) ? 1 : 0;
}

/* ------------------------------------------------------------------- main */
static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    int rc = dispatch(argc, argv);
    flush_warnings(rc == 0);   /* collected warnings, once each, after a success */
    return rc;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_main_help(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version"))
        cmd = "version";
    if (!strcmp(cmd, "help-check"))   /* a test of the help texts, not listed */
        return help_check();
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "wiot: unknown command '%s' (see 'wiot --help')\n", cmd);
    return EXIT_USAGE;
}
