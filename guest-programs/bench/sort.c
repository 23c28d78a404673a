/* sort: quicksort (median of three, insertion sort below 16 elements) and a top-down
 * merge sort of the same pseudo-random integers; both results must be sorted, equal
 * to each other and a permutation of the input (sum and xor kept).
 * Usage: sort [n [rounds]]   (defaults 240000 12; n <= 1048576) */
#include "bench.h"

#define MAXN (1 << 20)
#define DEF_N 240000
#define DEF_ROUNDS 12
#define EXPECT 0x2a093c7du

static s32 data[MAXN], qa[MAXN], ma[MAXN], tmp[MAXN];

static void insertion(s32 *a, int n)
{
    for (int i = 1; i < n; i++) {
        s32 v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quicksort(s32 *a, int n)
{
    while (n > 16) {
        int mid = n / 2;
        /* order a[0], a[mid], a[n-1]; the median becomes the pivot */
        if (a[mid] < a[0]) { s32 t = a[mid]; a[mid] = a[0]; a[0] = t; }
        if (a[n - 1] < a[0]) { s32 t = a[n - 1]; a[n - 1] = a[0]; a[0] = t; }
        if (a[n - 1] < a[mid]) { s32 t = a[n - 1]; a[n - 1] = a[mid]; a[mid] = t; }
        s32 p = a[mid];
        int i = 0, j = n - 1;
        for (;;) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i >= j) break;
            s32 t = a[i]; a[i] = a[j]; a[j] = t;
            i++; j--;
        }
        /* recurse into the smaller part, loop on the larger */
        int left = j + 1;
        if (left < n - left) { quicksort(a, left); a += left; n -= left; }
        else { quicksort(a + left, n - left); n = left; }
    }
    insertion(a, n);
}

static void mergesort(s32 *a, s32 *t, int n)
{
    if (n < 2) return;
    int h = n / 2;
    mergesort(a, t, h);
    mergesort(a + h, t, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) t[k++] = a[j] < a[i] ? a[j++] : a[i++];
    while (i < h) t[k++] = a[i++];
    while (j < n) t[k++] = a[j++];
    for (k = 0; k < n; k++) a[k] = t[k];
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXN || rounds < 1) {
        puts("usage: sort [n (1..1048576) [rounds]]");
        return 2;
    }
    u32 seed = 0x2545f491u, sum = CHECKSUM_INIT;
    for (int r = 0; r < rounds; r++) {
        u32 in_sum = 0, in_xor = 0;
        for (int i = 0; i < n; i++) {
            /* values in a range smaller than n for some rounds, so duplicates occur */
            u32 v = rng_next(&seed);
            if (r & 1) v &= 0xfff;
            data[i] = (s32)v;
            qa[i] = ma[i] = (s32)v;
            in_sum += v;
            in_xor ^= v;
        }
        quicksort(qa, n);
        mergesort(ma, tmp, n);
        u32 q_sum = 0, q_xor = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && qa[i - 1] > qa[i]) FAIL("sort", "quicksort: not sorted at %d", i);
            if (qa[i] != ma[i]) FAIL("sort", "quicksort and merge sort differ at %d", i);
            q_sum += (u32)qa[i];
            q_xor ^= (u32)qa[i];
        }
        if (q_sum != in_sum || q_xor != in_xor) FAIL("sort", "result is not a permutation of the input");
        for (int i = 0; i < n; i += 97) sum = mix32(sum, (u32)qa[i]);
        sum = mix32(sum, (u32)qa[n - 1]);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("sort", "checksum %08x, expected %08x", sum, EXPECT);
    printf("sort: %d integers x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
