/* Registers saved on every trap. regs[n] is register xn; regs[0] (x0) holds
 * nothing. The layout is shared with trap_entry.S through the TF_* offsets. */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#define TF_SEPC (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE (34 * 8)
#define TF_STVAL (35 * 8)
#define TF_SIZE (36 * 8)

/* Per-hart block that tp points to in the kernel (see frame/smp/hart.h). */
#define HART_SCRATCH0 0
#define HART_SCRATCH1 8
#define HART_STACK_LO 16
#define HART_EMERGENCY_TOP 24
#define HART_KERNEL_SP 32 /* kernel sp saved by user_enter */
#define HART_UREGS 40     /* struct user_regs * of the user context running */
#define HART_UCAUSE 48    /* scause of the last trap from user mode */
#define HART_UTVAL 56     /* stval of the last trap from user mode */

#define CAUSE_ECALL_U 8

/* struct user_regs (frame/include/frame/user.h): x1..x31, pc, f0..f31, fcsr. */
#define UREGS_PC (32 * 8)
#define UREGS_F0 (33 * 8)
#define UREGS_FCSR (65 * 8)
#define UREGS_SIZE (66 * 8)

#define SSTATUS_FS_MASK (3 << 13)
#define SSTATUS_FS_CLEAN (2 << 13)
#define SSTATUS_FS_DIRTY (3 << 13)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
	uint64_t regs[32];
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
};

enum { REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4, REG_FP = 8, REG_A0 = 10 };

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");
_Static_assert(TF_SIZE % 16 == 0, "stack alignment");
#endif

#endif
