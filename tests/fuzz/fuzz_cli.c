/* fuzz_cli.c - libFuzzer harness: the csmetrics command on a company
 * directory made from the input, through the CLI's own code (cli/ built
 * with main renamed csm_cli_main, tests/fuzz/meson.build).
 *
 * The input is the files of the directory, in the order of FILES,
 * separated by lines "%%" (an empty piece: the file is absent); its first
 * byte picks the command line (report, movements, retention, renewals,
 * health, survival, import-subscriptions; --format, --by, --detail,
 * --skip-bad-rows, --strict, --encoding; --scorecard scorecard.json and
 * import-subscriptions' --rates rates.csv when those files are there).
 *
 * The CLI exits on bad data (65 with file:line) and on internal errors
 * (70).  exit is wrapped (-Wl,--wrap=exit) to jump back here, and every
 * allocation made while the command runs is tracked (--wrap=malloc,
 * calloc, realloc, free, strdup, strndup, and jansson's allocator) so that
 * an exit frees what the process would have dropped; the harness then
 * checks no file stays open.
 * Properties: no sanitizer report; exit codes are 0 (a report), 64
 * (usage: only for a --by dimension the files lack), 65 (bad data) or 66,
 * never 70 (an internal error is a bug: bad data must be 65 naming its
 * row).  Run with -close_fd_mask=3: the report and the messages are not
 * needed. */
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

int csm_cli_main(int argc, char **argv);

/* ---- exit and allocations, while the command runs ----------------------- */
static int running;
static jmp_buf back;
static int exit_code;

_Noreturn void __real_exit(int code);
_Noreturn void __wrap_exit(int code);
_Noreturn void __wrap_exit(int code) {
    if (running) {
        exit_code = code;
        longjmp(back, 1);
    }
    __real_exit(code);
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* Live allocations: an open-addressing set of pointers (NULL = empty,
 * TOMB = deleted). */
#define TOMB ((void *)1)
static void **live;
static size_t live_cap, live_used;

static size_t slot_of(void *p) {
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 7) & (live_cap - 1);
}

static void live_add(void *p);
static void live_grow(void) {
    void **old = live;
    size_t oc = live_cap;
    live_cap = oc ? oc * 2 : 4096;
    live = __real_calloc(live_cap, sizeof *live);
    if (!live)
        abort();
    live_used = 0;
    for (size_t i = 0; i < oc; i++)
        if (old[i] && old[i] != TOMB)
            live_add(old[i]);
    __real_free(old);
}

static void live_add(void *p) {
    if (!p || !running)
        return;
    if ((live_used + 1) * 2 > live_cap)
        live_grow();
    size_t i = slot_of(p);
    while (live[i] && live[i] != TOMB)
        i = (i + 1) & (live_cap - 1);
    if (!live[i])
        live_used++;
    live[i] = p;
}

static void live_del(void *p) {
    if (!p || !live_cap)
        return;
    size_t i = slot_of(p);
    while (live[i]) {
        if (live[i] == p) {
            live[i] = TOMB;
            return;
        }
        i = (i + 1) & (live_cap - 1);
    }
}

/* Free every allocation still live (after an exit) and empty the set. */
static void live_release(void) {
    for (size_t i = 0; i < live_cap; i++) {
        if (live[i] && live[i] != TOMB)
            __real_free(live[i]);
        live[i] = NULL;
    }
    live_used = 0;
}

void *__wrap_malloc(size_t n) {
    void *p = __real_malloc(n);
    live_add(p);
    return p;
}
void *__wrap_calloc(size_t n, size_t m) {
    void *p = __real_calloc(n, m);
    live_add(p);
    return p;
}
void *__wrap_realloc(void *p, size_t n) {
    void *q = __real_realloc(p, n);
    if (q || n == 0)
        live_del(p);
    live_add(q);
    return q;
}
void __wrap_free(void *p) {
    live_del(p);
    __real_free(p);
}
char *__wrap_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = __wrap_malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}
char *__wrap_strndup(const char *s, size_t n) {
    size_t l = strnlen(s, n);
    char *p = __wrap_malloc(l + 1);
    if (p) {
        memcpy(p, s, l);
        p[l] = '\0';
    }
    return p;
}

/* ---- the directory -------------------------------------------------------- */
static const char *const FILES[] = {
    "mrr.csv",   "accounts.csv", "contracts.csv", "nps.csv",
    "usage.csv", "spend.csv",    "touches.csv",   "referrals.csv",
    "owners.csv", "subscriptions.csv", "scorecard.json", "rates.csv"};
#define N_FILES (sizeof FILES / sizeof *FILES)

static char dir[64], outdir[80];

/* import-subscriptions writes these into outdir */
static void remove_outputs(void) {
    char path[128];
    snprintf(path, sizeof path, "%s/mrr.csv", outdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/contracts.csv", outdir);
    unlink(path);
}

static void remove_dir(void) {
    char path[128];
    for (size_t i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        unlink(path);
    }
    remove_outputs();
    rmdir(outdir);
    rmdir(dir);
}

static int open_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/csm-fuzz-cli-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    if (mkdir(outdir, 0700) != 0)
        abort();
    atexit(remove_dir);
    json_set_alloc_funcs(__wrap_malloc, __wrap_free);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 64 * 1024)
        return 0;
    uint8_t mode = data[0];
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    char path[128];
    for (size_t i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i]);
        unlink(path);
        if (end - p >= 3 && memcmp(p, "%%\n", 3) == 0) { /* an empty piece */
            p += 3;
            continue;
        }
        const char *sep = p < end ? memmem(p, (size_t)(end - p), "\n%%\n", 4) : NULL;
        const char *stop = sep ? sep + 1 : end; /* the file keeps its '\n' */
        if (p < stop) {
            FILE *f = fopen(path, "wb");
            if (!f)
                abort();
            fwrite(p, 1, (size_t)(stop - p), f);
            fclose(f);
        }
        p = sep ? sep + 4 : end;
    }

    static const char *const cmds[] = {"report", "report", "import-subscriptions",
                                       "movements", "retention", "renewals",
                                       "health", "survival"};
    static const char *const formats[] = {"json", "text", "csv", "json"};
    char *argv[20];
    int argc = 0;
    char sc_path[128], subs_path[128], rates_path[128];
    snprintf(sc_path, sizeof sc_path, "%s/scorecard.json", dir);
    snprintf(subs_path, sizeof subs_path, "%s/subscriptions.csv", dir);
    snprintf(rates_path, sizeof rates_path, "%s/rates.csv", dir);
    argv[argc++] = "csmetrics";
    argv[argc++] = (char *)cmds[mode & 7];
    if ((mode & 7) == 2) { /* import-subscriptions FILE --out DIR */
        remove_outputs();
        argv[argc++] = subs_path;
        argv[argc++] = "--out";
        argv[argc++] = outdir;
        if (access(rates_path, F_OK) == 0) {
            argv[argc++] = "--rates";
            argv[argc++] = rates_path;
        }
        if (mode & 0x40)
            argv[argc++] = "--until=2024-06";
        if (mode & 0x20)
            argv[argc++] = "--currency=usd";
    } else {
        argv[argc++] = dir;
        argv[argc++] = "--format";
        argv[argc++] = (char *)formats[(mode >> 3) & 3];
        if (mode & 0x20) {
            argv[argc++] = "--by";
            argv[argc++] = (mode & 0x80) ? "owner" : "segment";
        }
        if (mode & 0x40)
            argv[argc++] = "--detail";
        if ((mode & 0x90) == 0x90)
            argv[argc++] = "--skip-bad-rows";
        if ((mode & 0xa0) == 0x80)
            argv[argc++] = "--strict";
        if ((mode & 0x18) == 0x18)
            argv[argc++] = "--encoding=latin1";
        if (access(sc_path, F_OK) == 0) {
            argv[argc++] = "--scorecard";
            argv[argc++] = sc_path;
        }
    }
    argv[argc] = NULL;

    int fds = open_fds();
    optind = 0; /* glibc: a full getopt reinitialization */
    running = 1;
    int rc;
    if (setjmp(back) == 0)
        rc = csm_cli_main(argc, argv);
    else
        rc = exit_code;
    running = 0;
    live_release();
    fflush(stdout);
    FUZZ_CHECK(open_fds() == fds, "%d files open before, %d after (exit %d)",
               fds, open_fds(), rc);
    FUZZ_CHECK(rc == 0 || rc == 64 || rc == 65 || rc == 66,
               "exit %d (%s): an internal error on this input", rc, argv[1]);
    return 0;
}
