/* Shared helpers for the workload suite (guest-programs/bench/).
 * Each benchmark is one C file: it takes its size from argv (with a default), does
 * its work, checks the result (known answers, round trips, invariants, and at the
 * default size a checksum recorded from a host build), prints one line
 * "NAME: ... checksum XXXXXXXX" and exits 0, or prints "NAME: FAILED ..." and exits 1.
 * Built with the guest runtime (runtime/rt.h); with -DHOST it builds for the host
 * C library instead (tools/bench-host.sh), to cross-check the checksums. */
#ifndef BENCH_H
#define BENCH_H

#ifdef HOST
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
#else
#include "rt.h"
#endif

typedef signed char s8;
typedef short s16;
typedef int s32;

/* argv[i] as a positive int, or def when absent; 0 when malformed */
static inline int arg_int(int argc, char **argv, int i, int def)
{
    if (argc <= i) return def;
    int v = atoi(argv[i]);
    return v > 0 ? v : 0;
}

/* xorshift32: a deterministic pseudo-random stream (state must not be 0) */
static inline u32 rng_next(u32 *s)
{
    u32 x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* FNV-1a style mixing of a 32-bit value into a running checksum */
static inline u32 mix32(u32 h, u32 v)
{
    for (int i = 0; i < 4; i++) {
        h ^= v & 0xff;
        h *= 0x01000193u;
        v >>= 8;
    }
    return h;
}
#define CHECKSUM_INIT 0x811c9dc5u

/* the default-size checksum check: `got` must equal `want` when the size arguments
 * are the defaults (want was recorded from a host build, see tools/bench-host.sh) */
#define FAIL(name, ...) do { printf(name ": FAILED "); printf(__VA_ARGS__); printf("\n"); return 1; } while (0)

#endif
