/* Self-checking RV32I test macros (riscv-tests style, written for rvjit).
 * gp (x3) holds the current test number; on failure the program exits with
 * that number as its status (1..255), on success it prints "ok" and exits 0.
 * x31 (t6) is reserved for the expected value. No runtime, no stack needed.
 * Linker relaxation is disabled so `la` never becomes gp-relative. */

#define TESTNUM gp

#define RVTEST_BEGIN            \
    .file __FILE__;             \
    .option norelax;            \
    .text;                      \
    .globl _start;              \
    .type _start, @function;    \
_start:                         \
    li TESTNUM, 0;

/* success: write(1, "ok\n", 3); exit(0). failure: exit(TESTNUM). */
#define RVTEST_END              \
pass:                           \
    li a0, 1;                   \
    la a1, rvtest_ok_msg;       \
    li a2, 3;                   \
    li a7, 64;                  \
    ecall;                      \
    li a0, 0;                   \
    li a7, 93;                  \
    ecall;                      \
fail:                           \
    mv a0, TESTNUM;             \
    li a7, 93;                  \
    ecall;                      \
    .section .rodata;           \
rvtest_ok_msg:                  \
    .ascii "ok\n";              \
    .text

#define CHECK(reg, expected)    \
    li t6, expected;            \
    bne reg, t6, fail;

#define TEST_CASE(n, reg, expected, code...) \
    li TESTNUM, n;              \
    code;                       \
    CHECK(reg, expected)

/* register-register ops */
#define TEST_RR_OP(n, inst, result, v1, v2) \
    TEST_CASE(n, x14, result, li x1, v1; li x2, v2; inst x14, x1, x2)
#define TEST_RR_SRC1_EQ_DEST(n, inst, result, v1, v2) \
    TEST_CASE(n, x1, result, li x1, v1; li x2, v2; inst x1, x1, x2)
#define TEST_RR_SRC2_EQ_DEST(n, inst, result, v1, v2) \
    TEST_CASE(n, x2, result, li x1, v1; li x2, v2; inst x2, x1, x2)
#define TEST_RR_SRC12_EQ_DEST(n, inst, result, v1) \
    TEST_CASE(n, x1, result, li x1, v1; inst x1, x1, x1)
#define TEST_RR_ZEROSRC1(n, inst, result, v) \
    TEST_CASE(n, x2, result, li x1, v; inst x2, x0, x1)
#define TEST_RR_ZEROSRC2(n, inst, result, v) \
    TEST_CASE(n, x2, result, li x1, v; inst x2, x1, x0)
#define TEST_RR_ZERODEST(n, inst, v1, v2) \
    TEST_CASE(n, x0, 0, li x1, v1; li x2, v2; inst x0, x1, x2)

/* register-immediate ops */
#define TEST_IMM_OP(n, inst, result, v1, imm) \
    TEST_CASE(n, x14, result, li x1, v1; inst x14, x1, imm)
#define TEST_IMM_SRC1_EQ_DEST(n, inst, result, v1, imm) \
    TEST_CASE(n, x1, result, li x1, v1; inst x1, x1, imm)
#define TEST_IMM_ZEROSRC1(n, inst, result, imm) \
    TEST_CASE(n, x1, result, inst x1, x0, imm)
#define TEST_IMM_ZERODEST(n, inst, v1, imm) \
    TEST_CASE(n, x0, 0, li x1, v1; inst x0, x1, imm)

/* branches: taken forward and backward */
#define TEST_BR2_TAKEN(n, inst, v1, v2) \
    li TESTNUM, n;              \
    li x1, v1;                  \
    li x2, v2;                  \
    inst x1, x2, 2f;            \
    j fail;                     \
1:  j 3f;                       \
2:  inst x1, x2, 1b;            \
    j fail;                     \
3:

/* branches: not taken forward and backward */
#define TEST_BR2_NOTTAKEN(n, inst, v1, v2) \
    li TESTNUM, n;              \
    li x1, v1;                  \
    li x2, v2;                  \
    inst x1, x2, 1f;            \
    j 2f;                       \
1:  j fail;                     \
2:  inst x1, x2, 1b;            \
3:

/* loads from labelled data */
#define TEST_LD(n, inst, result, offset, base) \
    TEST_CASE(n, x14, result, la x1, base; inst x14, offset(x1))
#define TEST_LD_DEST_EQ_BASE(n, inst, result, offset, base) \
    TEST_CASE(n, x1, result, la x1, base; inst x1, offset(x1))

/* store then load back */
#define TEST_ST(n, load, store, result, offset, base) \
    TEST_CASE(n, x14, result, la x1, base; li x2, result; store x2, offset(x1); load x14, offset(x1))
