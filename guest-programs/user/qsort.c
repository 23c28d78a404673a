/* qsort: quicksort of an LCG-generated array, checksum and sortedness check.
 * Usage: qsort [n [repeat]]   (defaults 3000, 1) */
#include "rt.h"

#define MAXN (1 << 18)
static int data[MAXN];

static u32 lcg_state;
static u32 lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

static void quicksort(int *a, int lo, int hi)
{
    while (lo < hi) {
        int pivot = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                int t = a[i]; a[i] = a[j]; a[j] = t;
                i++; j--;
            }
        }
        /* recurse on the smaller half, loop on the larger */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    int rep = argc > 2 ? atoi(argv[2]) : 1;
    if (n < 1 || n > MAXN || rep < 1) {
        puts("qsort: bad arguments");
        return 2;
    }
    u32 sum = 0;
    for (int r = 0; r < rep; r++) {
        lcg_state = 12345u + (u32)r;
        for (int i = 0; i < n; i++) data[i] = (int)lcg() >> 4;
        quicksort(data, 0, n - 1);
        for (int i = 1; i < n; i++) {
            if (data[i - 1] > data[i]) {
                printf("qsort: NOT sorted at index %d\n", i);
                return 1;
            }
        }
        for (int i = 0; i < n; i++) sum = sum * 31u + (u32)data[i];
    }
    printf("sorted %d elements x %d: min %d max %d checksum %08x\n",
           n, rep, data[0], data[n - 1], sum);
    return 0;
}
