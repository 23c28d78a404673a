/* sieve: sieve of Eratosthenes. Usage: sieve [N [repeat]]   (defaults 20000, 4) */
#include "rt.h"

#define MAXN (1 << 22)
static unsigned char composite[MAXN + 1];

static int sieve(int n)
{
    int count = 0;
    memset(composite, 0, (size_t)n + 1);
    for (int i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        if (i <= n / i)
            for (int j = i * i; j <= n; j += i) composite[j] = 1;
    }
    return count;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    int rep = argc > 2 ? atoi(argv[2]) : 4;
    if (n < 2 || n > MAXN || rep < 1) {
        puts("sieve: bad arguments");
        return 2;
    }
    int count = 0;
    for (int r = 0; r < rep; r++) {
        int c = sieve(n);
        if (r > 0 && c != count) {
            puts("sieve: inconsistent result");
            return 1;
        }
        count = c;
    }
    printf("primes up to %d: %d (repeated %d times)\n", n, count, rep);
    return 0;
}
