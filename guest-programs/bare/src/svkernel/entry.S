/* svkernel's S-mode trap entry and process resume. While a process runs,
 * sscratch points at its frame (struct frame in kernel.c: x0..x31 at 4*n, pc
 * at 128). The kernel runs with sstatus.SIE = 0 and does not trap, so every
 * trap here comes from U-mode. */
    .file "entry.S"
    .text
    .option norelax
    .globl trap_entry
    .balign 4
trap_entry:
    csrrw sp, sscratch, sp          /* sp = frame, sscratch = the process's sp */
    sw x1, 4(sp)
    sw x3, 12(sp)
    sw x4, 16(sp)
    sw x5, 20(sp)
    sw x6, 24(sp)
    sw x7, 28(sp)
    sw x8, 32(sp)
    sw x9, 36(sp)
    sw x10, 40(sp)
    sw x11, 44(sp)
    sw x12, 48(sp)
    sw x13, 52(sp)
    sw x14, 56(sp)
    sw x15, 60(sp)
    sw x16, 64(sp)
    sw x17, 68(sp)
    sw x18, 72(sp)
    sw x19, 76(sp)
    sw x20, 80(sp)
    sw x21, 84(sp)
    sw x22, 88(sp)
    sw x23, 92(sp)
    sw x24, 96(sp)
    sw x25, 100(sp)
    sw x26, 104(sp)
    sw x27, 108(sp)
    sw x28, 112(sp)
    sw x29, 116(sp)
    sw x30, 120(sp)
    sw x31, 124(sp)
    csrr t0, sscratch
    sw t0, 8(sp)
    csrr t0, sepc
    sw t0, 128(sp)
    mv a0, sp
    la sp, kernel_stack_top
    call kernel_trap                /* returns the frame to run next */

    .globl resume_process
resume_process:                     /* a0 = frame; never returns */
    csrw sscratch, a0
    lw t0, 128(a0)
    csrw sepc, t0
    lw x1, 4(a0)
    lw x3, 12(a0)
    lw x4, 16(a0)
    lw x5, 20(a0)
    lw x6, 24(a0)
    lw x7, 28(a0)
    lw x8, 32(a0)
    lw x9, 36(a0)
    lw x11, 44(a0)
    lw x12, 48(a0)
    lw x13, 52(a0)
    lw x14, 56(a0)
    lw x15, 60(a0)
    lw x16, 64(a0)
    lw x17, 68(a0)
    lw x18, 72(a0)
    lw x19, 76(a0)
    lw x20, 80(a0)
    lw x21, 84(a0)
    lw x22, 88(a0)
    lw x23, 92(a0)
    lw x24, 96(a0)
    lw x25, 100(a0)
    lw x26, 104(a0)
    lw x27, 108(a0)
    lw x28, 112(a0)
    lw x29, 116(a0)
    lw x30, 120(a0)
    lw x31, 124(a0)
    lw x2, 8(a0)
    lw x10, 40(a0)
    sret
