/* svkernel's user program, position-independent, alone on its page: the
 * kernel maps this page at 0x00400000 in every process, read and execute,
 * user. Started with a0 = process id, sp = 0x00800000 (stack pages come by
 * demand paging). System calls: a7 = 1 write(a0 = buffer, a1 = length),
 * 2 yield, 3 exit(a0), 4 getpid.
 *
 * Each process fills `pages` stack pages with a pattern (process 1: 3 pages,
 * process 2: 2), folds them into a checksum `rounds` times (process 1 several
 * times more than process 2; the timer preempts both), prints one line
 * with write, and exits with the checksum. */
    .file "user.S"
    .section .text.user, "ax"
    .option norelax
    .balign 4096
    .globl user_program
user_program:
    mv s0, a0
    li s1, 3 * 1024                 /* words of stack to touch */
    li s2, 5                        /* rounds */
    li t0, 1
    beq s0, t0, 1f
    li s1, 2 * 1024
    li s2, 1
1:  mv t1, sp                       /* fill: word i = i ^ pid << 16 */
    mv t0, s1
    slli t2, s0, 16
2:  addi t1, t1, -4
    xor t3, t0, t2
    sw t3, 0(t1)
    addi t0, t0, -1
    bnez t0, 2b
    li s3, 0                        /* checksum */
3:  mv t1, sp                       /* a round: checksum = rotl(checksum, 5) ^ word */
    mv t0, s1
4:  addi t1, t1, -4
    lw t3, 0(t1)
    slli t4, s3, 5
    srli t5, s3, 27
    or s3, t4, t5
    xor s3, s3, t3
    addi t0, t0, -1
    bnez t0, 4b
    add s3, s3, s2                  /* (a round rotates by a multiple of 32: keep rounds apart) */
    addi s2, s2, -1
    bnez s2, 3b
    li a7, 4                        /* getpid: must still be s0 */
    ecall
    bne a0, s0, 9f
    li a7, 2                        /* yield once */
    ecall
    addi sp, sp, -16                /* "hello from N\n" */
    li t0, 0x6c6c6568               /* "hell" */
    sw t0, 0(sp)
    li t0, 0x7266206f               /* "o fr" */
    sw t0, 4(sp)
    li t0, 0x00206d6f               /* "om " */
    sw t0, 8(sp)
    addi t0, s0, '0'
    sb t0, 11(sp)
    li t0, '\n'
    sb t0, 12(sp)
    mv a0, sp
    li a1, 13
    li a7, 1
    ecall
    mv a0, s3
    li a7, 3
    ecall
9:  li a0, -1
    li a7, 3
    ecall
    .balign 4096
