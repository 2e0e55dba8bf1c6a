/* Bit-sliced Life B3/S23 on a torus: the C reference of benchmarks/bench_life_c.py.
 *
 *   life_bitsliced IN OUT H W STEPS
 *
 * IN and OUT are raw files of H*W bytes, one per cell (0 dead, non-zero alive), row-major.
 * W must be a multiple of 64. The grid is packed 64 cells per uint64 word (cell x is bit x % 64
 * of word x / 64, bit 0 leftmost), each row with one halo word on either side that is refilled
 * from the opposite end before every step (the torus in x); rows wrap by index.
 *
 * Per word: the west and east neighbour words of the rows above, at and below (a shift with
 * the carry bit from the adjacent word, 3 ops each), the horizontal sums of the rows above and
 * below as 2-bit numbers (full adders, 5 ops each) and of west + east of the centre row (half
 * adder, 2 ops), their 2-bit sum by two full adders and two half adders (about 13 ops), and the
 * rule: alive next = count in {2, 3} and (count == 3 or alive) (4 ops): about 35 word operations
 * per 64 cells, 8 bytes read and 8 written per word once the three rows sit in cache. The inner
 * loop is plain C; -O3 -march=native vectorises it.
 *
 * Prints "wall_s=... cpu_s=... steps=... cells=..." for the stepping alone (packing excluded).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void step_row(const uint64_t *restrict up, const uint64_t *restrict mid,
                     const uint64_t *restrict down, uint64_t *restrict out, long nw) {
    for (long i = 1; i <= nw; i++) {
        uint64_t uc = up[i], uw = (uc << 1) | (up[i - 1] >> 63), ue = (uc >> 1) | (up[i + 1] << 63);
        uint64_t mc = mid[i], mw = (mc << 1) | (mid[i - 1] >> 63), me = (mc >> 1) | (mid[i + 1] << 63);
        uint64_t dc = down[i], dw = (dc << 1) | (down[i - 1] >> 63), de = (dc >> 1) | (down[i + 1] << 63);
        uint64_t ux = uw ^ uc, u0 = ux ^ ue, u1 = (uw & uc) | (ux & ue);   /* above: 2-bit sum */
        uint64_t dx = dw ^ dc, d0 = dx ^ de, d1 = (dw & dc) | (dx & de);   /* below */
        uint64_t m0 = mw ^ me, m1 = mw & me;                                 /* west + east */
        uint64_t x0 = u0 ^ d0, b0 = x0 ^ m0, c0 = (u0 & d0) | (x0 & m0);   /* bit 0, carry */
        uint64_t x1 = u1 ^ d1, t1 = x1 ^ m1, k1 = (u1 & d1) | (x1 & m1);   /* bit 1 (partial) */
        uint64_t b1 = t1 ^ c0, k2 = t1 & c0;                                 /* bit 1, carry */
        uint64_t four = k1 | k2;                                             /* count >= 4 */
        out[i] = b1 & ~four & (b0 | mc);                                     /* 2 or 3, B3/S23 */
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s IN OUT H W STEPS\n", argv[0]);
        return 2;
    }
    long h = atol(argv[3]), w = atol(argv[4]), steps = atol(argv[5]);
    if (h < 1 || w < 64 || w % 64 != 0 || steps < 0) {
        fprintf(stderr, "bad size %s x %s or steps %s (W a multiple of 64)\n", argv[3], argv[4],
                argv[5]);
        return 2;
    }
    long nw = w / 64, stride = nw + 2;
    unsigned char *cells = malloc((size_t)(h * w));
    uint64_t *a = aligned_alloc(64, (size_t)(h * stride) * 8 + 64);
    uint64_t *b = aligned_alloc(64, (size_t)(h * stride) * 8 + 64);
    if (!cells || !a || !b) { fprintf(stderr, "out of memory\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f || fread(cells, 1, (size_t)(h * w), f) != (size_t)(h * w)) {
        fprintf(stderr, "cannot read %ld bytes from %s\n", h * w, argv[1]);
        return 2;
    }
    fclose(f);
    for (long y = 0; y < h; y++)
        for (long i = 0; i < nw; i++) {
            uint64_t word = 0;
            for (int k = 0; k < 64; k++)
                if (cells[y * w + i * 64 + k]) word |= 1ull << k;
            a[y * stride + 1 + i] = word;
        }
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    for (long s = 0; s < steps; s++) {
        for (long y = 0; y < h; y++) { /* x wrap: halo words */
            uint64_t *row = a + y * stride;
            row[0] = row[nw];
            row[nw + 1] = row[1];
        }
        for (long y = 0; y < h; y++)
            step_row(a + ((y + h - 1) % h) * stride, a + y * stride,
                     a + ((y + 1) % h) * stride, b + y * stride, nw);
        uint64_t *t = a; a = b; b = t;
    }
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    for (long y = 0; y < h; y++)
        for (long x = 0; x < w; x++)
            cells[y * w + x] = (unsigned char)((a[y * stride + 1 + x / 64] >> (x % 64)) & 1);
    f = fopen(argv[2], "wb");
    if (!f || fwrite(cells, 1, (size_t)(h * w), f) != (size_t)(h * w)) {
        fprintf(stderr, "cannot write %s\n", argv[2]);
        return 2;
    }
    fclose(f);
    printf("wall_s=%.6f cpu_s=%.6f steps=%ld cells=%ld\n", wall, cpu, steps, h * w);
    free(cells); free(a); free(b);
    return 0;
}
