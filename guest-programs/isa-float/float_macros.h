/* F/D test macros on top of the RV32I ones. Operands are loaded bit-exactly through memory
 * (fld/flw from a scratch doubleword), results are checked bit-exactly, and so are the flags.
 * Case numbers count 1..254 and wrap (the exit status names the failing case modulo 254). */
#include "test_macros.h"

#define TEST_BEGIN(n) li TESTNUM, n;

/* fN = the single `bits`, NaN-boxed (fmv.w.x boxes) */
#define LOAD_S(reg, bits) li t0, bits; fmv.w.x reg, t0
/* fN = the double hi:lo */
#define LOAD_D(reg, hi, lo) la t1, fp_scratch; li t0, lo; sw t0, 0(t1); li t0, hi; sw t0, 4(t1); fld reg, 0(t1)

#define FLAGS_CLEAR fsflags zero
#define SET_RM(m) fsrmi zero, m

#define CHECK_FLAGS(flags) frflags t2; li t6, flags; bne t2, t6, fail
/* the single in reg (and its NaN box) */
#define CHECK_S(reg, bits, flags) CHECK_FLAGS(flags); la t1, fp_scratch; fsd reg, 0(t1); lw t2, 0(t1); li t6, bits; bne t2, t6, fail; \
    lw t2, 4(t1); li t6, -1; bne t2, t6, fail
#define CHECK_D(reg, hi, lo, flags) CHECK_FLAGS(flags); la t1, fp_scratch; fsd reg, 0(t1); lw t2, 0(t1); li t6, lo; bne t2, t6, fail; \
    lw t2, 4(t1); li t6, hi; bne t2, t6, fail
#define CHECK_X(reg, value, flags) CHECK_FLAGS(flags); li t6, value; bne reg, t6, fail

#define FLOAT_DATA \
    .data; .balign 8; fp_scratch: .dword 0; .text

/* Zfh: fN = the half `bits`, NaN-boxed (fmv.h.x boxes); the half in reg, checked with its box
 * as the low word `boxed` (0xffff0000 | bits) and an all-ones high word */
#define LOAD_H(reg, bits) li t0, bits; fmv.h.x reg, t0
#define CHECK_H(reg, boxed, flags) CHECK_FLAGS(flags); la t1, fp_scratch; fsd reg, 0(t1); lw t2, 0(t1); li t6, boxed; bne t2, t6, fail; \
    lw t2, 4(t1); li t6, -1; bne t2, t6, fail
