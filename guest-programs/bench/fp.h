/* Floating-point helpers shared by the float workloads (nbody.c, lu.c, mandel.c).
 * Built three ways: soft float through libgcc (rv32i, rv32imac), hard float with F and D
 * (rv32imafdc, built with -ffp-contract=off so that no fused multiply-add changes a
 * result), and the host's SSE arithmetic (tools/bench-host.sh). Addition, subtraction,
 * multiplication and division are correctly rounded in all three, so a computation made
 * of them gives the same bits everywhere; the square root below is made of them too, so
 * the checksums (taken over bit patterns) agree across builds. */
#ifndef FP_H
#define FP_H
#include "bench.h"

static inline u64 bits64(double d)
{
    union { double d; u64 u; } v = { .d = d };
    return v.u;
}

static inline u32 bits32(float f)
{
    union { float f; u32 u; } v = { .f = f };
    return v.u;
}

static inline double from_bits64(u64 u)
{
    union { u64 u; double d; } v = { .u = u };
    return v.d;
}

static inline double fabs_(double x) { return x < 0 ? -x : x; }

/* sqrt(x) for a positive normal x: a first guess from halving the exponent, then Newton's
 * iteration y <- (y + x / y) / 2, whose error squares each round (5 rounds from within a
 * factor of 1.5 reach the last bit or one either side of it). */
static inline double sqrt_newton(double x)
{
    double y = from_bits64(((bits64(x) - (1023ull << 52)) >> 1) + (1023ull << 52));
    for (int i = 0; i < 5; i++) y = 0.5 * (y + x / y);
    return y;
}

static inline u32 mix64(u32 h, u64 v) { return mix32(mix32(h, (u32)v), (u32)(v >> 32)); }
#endif
