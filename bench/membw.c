/* membw.c - single-core memory read bandwidth probe: sums a 1 GiB array of
 * doubles (far larger than any cache) several times and reports the best
 * GB/s.  The benchmark compares libcsmetrics' input throughput with it. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    size_t mb = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1024;
    size_t n = mb * 1024 * 1024 / sizeof(double);
    double *a = malloc(n * sizeof *a);
    if (!a)
        return 1;
    for (size_t i = 0; i < n; i++)
        a[i] = (double)(i & 1023);
    double best = 0, sink = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        /* four accumulators so the adds are not latency-bound */
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (size_t i = 0; i + 3 < n; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        double dt = now() - t0;
        sink += s0 + s1 + s2 + s3;
        double gbs = (double)(n * sizeof *a) / dt / 1e9;
        if (gbs > best)
            best = gbs;
    }
    printf("{\"read_gb_s\": %.2f, \"checksum\": %.0f}\n", best, sink);
    free(a);
    return 0;
}
