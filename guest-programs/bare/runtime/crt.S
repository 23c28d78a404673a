/* rvjit bare runtime entry: M-mode, all registers zero except pc.
 * Sets a stack, zeroes .bss, installs a default trap handler that reports the
 * trap and fails, calls main() and reports its return value through tohost. */
    .file "crt.S"
    .section .text.init, "ax", @progbits
    .option norelax
    .globl _start
    .type _start, @function
_start:
    la      sp, __stack_top
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:  la      t0, bare_default_trap
    csrw    mtvec, t0
    call    main
    call    exit
3:  j       3b
    .size _start, . - _start

/* A trap nobody expected: print what happened and exit with status 3. */
    .balign 4
    .globl bare_default_trap
    .type bare_default_trap, @function
bare_default_trap:
    la      sp, __stack_top
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    call    bare_unexpected_trap
4:  j       4b
    .size bare_default_trap, . - bare_default_trap
