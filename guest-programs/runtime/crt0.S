/* rvjit guest runtime entry point.
 * Linux initial stack at sp: argc, argv[0..argc-1], NULL, envp..., NULL, auxv.
 * Calls main(argc, argv, envp) and exits with its return value (ecall 93). */
    .file "crt0.S"   /* a fixed name keeps builds reproducible (else the temp object name lands in the symbol table) */
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    lw      a0, 0(sp)           /* argc */
    addi    a1, sp, 4           /* argv */
    slli    t0, a0, 2
    add     a2, a1, t0
    addi    a2, a2, 4           /* envp = argv + argc + 1 */
    andi    sp, sp, -16
    call    main
    li      a7, 93              /* exit(ret) */
    ecall
1:  j       1b
    .size _start, . - _start
