/* svpager's user program, position-independent, alone on its page (mapped at
 * 0x00400000, read and execute, user, in every process). Started with a0 =
 * process id. Its data is DATA_PAGES pages at 0x00500000 that the kernel pages
 * in on demand and takes away again (see kernel.c). Each round reads and
 * rewrites 64 words of every data page (one each 64 bytes), folds them into a
 * checksum, and yields; after ROUNDS rounds it exits with the checksum.
 * System calls: a7 = 2 yield, 3 exit(a0). */
    .file "user.S"
    .section .text.user, "ax"
    .option norelax
    .balign 4096
    .globl user_program
user_program:
    mv s0, a0                       /* pid */
    la t0, user_rounds
    lw s1, 0(t0)                    /* rounds left */
    li s3, 0                        /* checksum */
1:  li t0, 0x00500000               /* a round: every data page */
    li t1, DATA_PAGES
2:  li t2, 64                       /* 64 words of the page */
    mv t3, t0
3:  lw t4, 0(t3)                    /* word = word + round ^ pid */
    add t4, t4, s1
    xor t4, t4, s0
    sw t4, 0(t3)
    slli t5, s3, 3                  /* checksum = rotl(checksum, 3) + word */
    srli t6, s3, 29
    or s3, t5, t6
    add s3, s3, t4
    addi t3, t3, 64
    addi t2, t2, -1
    bnez t2, 3b
    li t5, 4096
    add t0, t0, t5
    addi t1, t1, -1
    bnez t1, 2b
    li a7, 2                        /* yield */
    ecall
    addi s1, s1, -1
    bnez s1, 1b
    mv a0, s3
    li a7, 3                        /* exit */
    ecall
    .balign 4
user_rounds:
    .word ROUNDS
    .balign 4096
