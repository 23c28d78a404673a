/* svkernel's M-mode firmware layer (an SBI in small). main() in kernel.c calls
 * firmware_start, which delegates to S-mode what an operating system handles
 * itself (ecalls from U, page faults, the supervisor timer and software
 * interrupts), installs the firmware's trap handler and enters the S-mode
 * kernel at kernel_main with MPP = S.
 *
 * The firmware serves two things:
 *   the machine timer: MTIP is forwarded to S-mode as STIP (and MTIE masked);
 *   ecall from S with a7 = 0 (set_timer): mtimecmp = mtime + a0, STIP cleared,
 *   MTIE unmasked. The kernel never touches the CLINT. */
    .file "firmware.S"
    .text
    .option norelax
    .globl firmware_start
    .balign 4
firmware_start:
    li t0, (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
    csrw medeleg, t0
    li t0, (1 << 1) | (1 << 5)
    csrw mideleg, t0
    li t0, 7
    csrw mcounteren, t0
    la t0, firmware_trap
    csrw mtvec, t0
    la t0, firmware_stack_top
    csrw mscratch, t0
    li t0, 3 << 11
    csrc mstatus, t0
    li t0, 1 << 11                  /* MPP = S */
    csrs mstatus, t0
    la t0, kernel_main
    csrw mepc, t0
    la sp, kernel_stack_top
    mret

    .balign 4
firmware_trap:
    csrrw sp, mscratch, sp
    addi sp, sp, -16
    sw t0, 0(sp)
    sw t1, 4(sp)
    sw t2, 8(sp)
    csrr t0, mcause
    bltz t0, 2f
    li t1, 9                        /* ecall from S */
    bne t0, t1, 3f
    bnez a7, 3f                     /* only set_timer */
    li t0, 0x0200bff8
1:  lw t2, 4(t0)                    /* mtime, high-low-high */
    lw t1, 0(t0)
    lw t0, 4(t0)
    bne t0, t2, 4f
    add a0, t1, a0                  /* deadline = mtime + a0 (64 bits) */
    sltu t1, a0, t1
    add t2, t2, t1
    li t0, 0x02004000
    li t1, -1
    sw t1, 4(t0)
    sw a0, 0(t0)
    sw t2, 4(t0)
    li t0, 1 << 5
    csrc mip, t0
    li t0, 1 << 7
    csrs mie, t0
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    j 5f
4:  li t0, 0x0200bff8
    j 1b
2:  li t0, 1 << 7                   /* the machine timer: forward it as STIP */
    csrc mie, t0
    li t0, 1 << 5
    csrs mip, t0
5:  lw t0, 0(sp)
    lw t1, 4(sp)
    lw t2, 8(sp)
    addi sp, sp, 16
    csrrw sp, mscratch, sp
    mret
3:  mv a1, t0                       /* anything else is fatal */
    csrr a2, mepc
    csrr a3, mtval
    la sp, firmware_stack_top
    mv a0, a1
    mv a1, a2
    mv a2, a3
    call bare_unexpected_trap

    .bss
    .balign 16
firmware_stack:
    .skip 1024
firmware_stack_top:
    .skip 16
    .globl kernel_stack_top
kernel_stack:
    .skip 8192
kernel_stack_top:
