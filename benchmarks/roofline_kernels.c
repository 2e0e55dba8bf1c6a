/* Roofline probe kernels for benchmarks/roofline_probe.py.
 *
 *   roofline_kernels ops  ITERS THREADS   peak 64-bit bitwise word operations per second
 *   roofline_kernels mem  MIB   THREADS   stream-like copy and triad bandwidth
 *   roofline_kernels flops ITERS THREADS  peak float32 multiply-add rate (2 flops each)
 *
 * ops: each thread keeps four 512-word uint64 arrays (16 KiB, inside L1) and applies 32
 * dependent-free bitwise operations (and, or, xor) per word and pass, so the compiler's
 * vector code (AVX2/AVX-512 with -march=native) runs at the core's logic-op throughput;
 * loads and stores are not counted.
 * mem: each thread owns arrays of MIB MiB each (far larger than the caches); copy b = a counts
 * 16 bytes per element (read + write), triad a = b + s * c counts 24 (write-allocate traffic is
 * not counted, as STREAM does).
 * flops: like ops, on float32 arrays: 16 fused multiply-adds per element and pass over 8
 * independent arrays (so the FMA latency is hidden), counted as 2 flops each.
 * Output: one line "key=value ..." with wall seconds, process CPU seconds and the rates.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORDS 512
#define OPS_PER_WORD 32

static double clock_s(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
    long iters;
    size_t elems;
    double sink;
    double copy_s, triad_s;
} job_t;

static void *ops_worker(void *arg) {
    job_t *job = (job_t *)arg;
    uint64_t a[WORDS], b[WORDS], c[WORDS], d[WORDS];
    for (int i = 0; i < WORDS; i++) {
        a[i] = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
        b[i] = a[i] ^ (a[i] >> 17);
        c[i] = b[i] * 0xBF58476D1CE4E5B9ull;
        d[i] = c[i] ^ (c[i] >> 31);
    }
    for (long r = 0; r < job->iters; r++) {
        for (int i = 0; i < WORDS; i++) {
            uint64_t x = a[i], y = b[i], z = c[i], w = d[i];
            for (int k = 0; k < OPS_PER_WORD / 8; k++) { /* 8 ops a round */
                x ^= y & z;
                y |= w ^ x;
                z ^= x | w;
                w ^= y & z;
            }
            a[i] = x; b[i] = y; c[i] = z; d[i] = w;
        }
    }
    uint64_t acc = 0;
    for (int i = 0; i < WORDS; i++) acc ^= a[i] ^ b[i] ^ c[i] ^ d[i];
    job->sink = (double)(acc & 0xFF);
    return NULL;
}

static void *flops_worker(void *arg) {
    job_t *job = (job_t *)arg;
    float v[8][WORDS];
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < WORDS; i++) v[k][i] = 0.5f + 1e-3f * (float)(i + k);
    const float m = 0.999f, c = 1e-4f;
    for (long r = 0; r < job->iters; r++)
        for (int i = 0; i < WORDS; i++)
            for (int k = 0; k < 8; k++) {
                float x = v[k][i];
                x = x * m + c; x = x * m + c;
                v[k][i] = x;
            }
    double acc = 0;
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < WORDS; i++) acc += v[k][i];
    job->sink = acc;
    return NULL;
}

static void *mem_worker(void *arg) {
    job_t *job = (job_t *)arg;
    size_t n = job->elems;
    double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double)),
           *c = malloc(n * sizeof(double));
    if (!a || !b || !c) { fprintf(stderr, "out of memory\n"); exit(2); }
    for (size_t i = 0; i < n; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.5; }
    double best_copy = 1e30, best_triad = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = clock_s(CLOCK_MONOTONIC);
        memcpy(b, a, n * sizeof(double));
        double t1 = clock_s(CLOCK_MONOTONIC);
        for (size_t i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
        double t2 = clock_s(CLOCK_MONOTONIC);
        if (t1 - t0 < best_copy) best_copy = t1 - t0;
        if (t2 - t1 < best_triad) best_triad = t2 - t1;
    }
    job->sink = a[n / 2] + b[n / 3];
    job->copy_s = best_copy;
    job->triad_s = best_triad;
    free(a); free(b); free(c);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s ops|flops ITERS THREADS | mem MIB THREADS\n", argv[0]);
        return 2;
    }
    long amount = atol(argv[2]);
    int threads = atoi(argv[3]);
    if (amount <= 0 || threads < 1 || threads > 64) {
        fprintf(stderr, "bad amount %s or threads %s\n", argv[2], argv[3]);
        return 2;
    }
    int ops = strcmp(argv[1], "ops") == 0, flops = strcmp(argv[1], "flops") == 0;
    if (!ops && !flops && strcmp(argv[1], "mem") != 0) {
        fprintf(stderr, "unknown mode %s (expected ops, flops or mem)\n", argv[1]);
        return 2;
    }
    pthread_t tid[64];
    job_t jobs[64];
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int t = 0; t < threads; t++) {
        memset(&jobs[t], 0, sizeof(job_t));
        jobs[t].iters = amount;
        jobs[t].elems = (size_t)amount * 1024 * 1024 / sizeof(double);
        pthread_create(&tid[t], NULL, ops ? ops_worker : flops ? flops_worker : mem_worker,
                       &jobs[t]);
    }
    double sink = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        sink += jobs[t].sink;
    }
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (ops) {
        double total = (double)amount * WORDS * OPS_PER_WORD * threads;
        printf("mode=ops threads=%d wall_s=%.6f cpu_s=%.6f word_ops=%.6e sink=%g\n",
               threads, wall, cpu, total, sink);
    } else if (flops) {
        double total = (double)amount * WORDS * 8 * 2 * 2 * threads;
        printf("mode=flops threads=%d wall_s=%.6f cpu_s=%.6f flops=%.6e sink=%g\n",
               threads, wall, cpu, total, sink);
    } else {
        /* bandwidth summed over threads from each thread's best repetition */
        double copy = 0, triad = 0, n = (double)jobs[0].elems;
        for (int t = 0; t < threads; t++) {
            copy += 16.0 * n / jobs[t].copy_s;
            triad += 24.0 * n / jobs[t].triad_s;
        }
        printf("mode=mem threads=%d wall_s=%.6f cpu_s=%.6f copy_Bps=%.6e triad_Bps=%.6e sink=%g\n",
               threads, wall, cpu, copy, triad, sink);
    }
    return 0;
}
