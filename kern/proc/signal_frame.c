/* The Linux riscv64 signal frame (arch/riscv/kernel/signal.c):
 *   struct rt_sigframe { siginfo_t info; struct ucontext uc; }
 * with uc_mcontext = struct sigcontext { user_regs_struct (pc, x1..x31);
 * union __riscv_fp_state (D: f[32], fcsr; then zeroed reserved words) }.
 * The handler gets a0 = sig, a1 = &info, a2 = &uc and returns to ra, the
 * trampoline, which calls rt_sigreturn with sp still at the frame. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <stddef.h>
#include <string.h>
#include <kern/syscall_nr.h>
#include "proc/process.h"
#include "mm/mm.h"
#include "proc/signal.h"
#include "proc/signal_frame.h"

/* union __riscv_fp_state: sized by its Q member (f[64], fcsr, reserved[3]). */
struct user_fpstate {
	uint64_t f[32];
	uint32_t fcsr;
	uint32_t q_rest[64];  /* the upper Q halves: unused by D */
	uint32_t reserved[3]; /* must be zero (no extension state follows) */
} __attribute__((aligned(16)));

struct user_sigcontext {
	uint64_t regs[32]; /* regs[0] = pc, regs[n] = xn */
	struct user_fpstate fp;
};

struct user_ucontext {
	uint64_t flags;
	uint64_t link;
	struct k_stack stack;
	uint64_t sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct user_sigcontext mcontext;
};

struct rt_sigframe {
	struct k_siginfo info;
	struct user_ucontext uc;
};

_Static_assert(sizeof(struct user_fpstate) == 528, "union __riscv_fp_state");
_Static_assert(offsetof(struct user_ucontext, mcontext) == 176, "uc_mcontext offset");
_Static_assert(sizeof(struct user_ucontext) == 960, "struct ucontext");
_Static_assert(sizeof(struct rt_sigframe) == 1088, "struct rt_sigframe");
_Static_assert(offsetof(struct user_ucontext, unused) == 48 &&
	       offsetof(struct signal_frame_head, uc) == offsetof(struct rt_sigframe, uc) &&
	       sizeof(struct signal_frame_head) == 192, "the frame's head");

/* The frame is moved in pieces straight between the user stack and
 * p->regs, as Linux's setup_rt_frame does, rather than built in a local
 * copy of all 1088 bytes (zeroed on entry, then filled, then copied).
 * Every piece is a multiple of 32 bytes at a 16-byte boundary, which is
 * what uaccess_copy moves fastest (a shorter tail goes byte by byte). The
 * pieces reach a little into the unused areas next to the fields (the
 * ucontext's unused tail, the upper Q halves): those are written as zero
 * and never read back. Every byte touched lies in the frame, whose first
 * and last bytes Linux touches too, so no other page is ever touched. */
#define FRAME_OFF(field) offsetof(struct rt_sigframe, field)
#define REGS_OFF FRAME_OFF(uc.mcontext.regs)
#define FP_OFF FRAME_OFF(uc.mcontext.fp.f)
#define FCSR_OFF FRAME_OFF(uc.mcontext.fp.fcsr)
#define FP_END_OFF (sizeof(struct rt_sigframe) - 32) /* reserved[3] and the Q halves before */
#define UC_STACK_OFF FRAME_OFF(uc.stack)

/* regs[0..3] = pc, x1, x2, x3: a 32-byte piece of its own, as user_regs
 * keeps the pc apart; x4..x31 move straight. */
struct regs_head {
	uint64_t r[4];
};
#define REGS_HEAD_N 4

/* 32 bytes of the FP state: fcsr and what follows it, or the reserved
 * words and what precedes them. */
struct fp_piece {
	uint32_t w[8];
};
#define RESERVED_W 5 /* reserved[0] in the last piece */

_Static_assert(sizeof(((struct user_regs *)0)->x) == 256 &&
	       sizeof(((struct user_regs *)0)->f) == sizeof(((struct user_fpstate *)0)->f),
	       "user_regs holds x0..x31 and f0..f31 as the frame does");
_Static_assert(REGS_OFF % 16 == 0 && FP_OFF % 16 == 0 &&
	       FCSR_OFF % 16 == 0 && FP_END_OFF % 16 == 0, "frame pieces at 16-byte boundaries");
_Static_assert(FRAME_OFF(uc.mcontext.fp.reserved) == FP_END_OFF + 4 * RESERVED_W,
	       "reserved[] in the last piece");
_Static_assert(FRAME_OFF(uc.sigmask) + 8 - UC_STACK_OFF == 32 && UC_STACK_OFF % 16 == 0,
	       "uc_stack and uc_sigmask: one 32-byte piece");

/* li a7, __NR_rt_sigreturn; ecall */
static const uint32_t tramp_code[] = { 0x00000893u | (NR_rt_sigreturn << 20), 0x00000073u };

int signal_tramp_map(struct mm *mm)
{
	int err = mm_map_fixed_anon(mm, SIGTRAMP_VA, 4096, PROT_READ | PROT_EXEC, 0);

	/* aspace_write: the page is filled before anyone can read it. */
	return err ? err : aspace_write(mm->as, SIGTRAMP_VA, tramp_code, sizeof(tramp_code));
}

static bool on_altstack(const struct k_stack *ss, uint64_t sp)
{
	return ss->size && sp > ss->sp && sp - ss->sp <= ss->size;
}

/* sas_ss_flags(): how sigaltstack and uc_stack describe the state. */
int signal_altstack_flags(const struct k_stack *ss, uint64_t sp)
{
	if (!ss->size)
		return SS_DISABLE;
	return on_altstack(ss, sp) ? SS_ONSTACK : 0;
}

/* Where the frame goes: Linux's get_sigframe. 0 if nowhere (overflow). */
static uint64_t frame_address(struct process *p, const struct k_sigaction *a)
{
	struct k_stack *ss = &p->sig.altstack;
	uint64_t sp = p->regs.x[UREG_SP];

	if (on_altstack(ss, sp) && !on_altstack(ss, sp - sizeof(struct rt_sigframe)))
		return 0;
	if ((a->flags & SA_ONSTACK) && signal_altstack_flags(ss, sp) == 0)
		sp = ss->sp + ss->size;
	return (sp - sizeof(struct rt_sigframe)) & ~0xfUL;
}

/* Any piece that faults fails the delivery (the caller kills, as Linux's
 * force_sigsegv). */
static int put(uint64_t uf, size_t off, const void *src, size_t len)
{
	return copy_to_user(uf + off, src, len);
}

int signal_frame_push(struct process *p, struct signal_frame_head *head,
		      const struct k_sigaction *a, uint64_t saved_mask)
{
	struct k_stack *ss = &p->sig.altstack;
	uint64_t sp = p->regs.x[UREG_SP], uf = frame_address(p, a);
	const struct user_regs *r = &p->regs;
	struct regs_head regs = { { r->pc, r->x[1], r->x[2], r->x[3] } };
	struct fp_piece fcsr = { { (uint32_t)r->fcsr } }, end = { { 0 } };

	if (!uf)
		return -EFAULT;
	head->uc = (struct signal_uc_head){
		.stack = { ss->sp, signal_altstack_flags(ss, sp) | (ss->flags & (int32_t)SS_AUTODISARM),
			   0, ss->size },
		.sigmask = saved_mask,
	};
	if (put(uf, 0, head, sizeof(*head)) || put(uf, REGS_OFF, &regs, sizeof(regs)) ||
	    put(uf, REGS_OFF + 8 * REGS_HEAD_N, &r->x[REGS_HEAD_N], 8 * (32 - REGS_HEAD_N)) ||
	    put(uf, FP_OFF, r->f, sizeof(r->f)) || put(uf, FCSR_OFF, &fcsr, sizeof(fcsr)) ||
	    put(uf, FP_END_OFF, &end, sizeof(end)))
		return -EFAULT;
	if ((a->flags & SA_ONSTACK) && (ss->flags & (int32_t)SS_AUTODISARM))
		*ss = (struct k_stack){ 0 };
	p->regs.pc = a->handler;
	p->regs.x[UREG_RA] = SIGTRAMP_VA;
	p->regs.x[UREG_SP] = uf;
	p->regs.x[UREG_A0] = (uint64_t)head->info.signo;
	p->regs.x[UREG_A0 + 1] = uf + offsetof(struct rt_sigframe, info);
	p->regs.x[UREG_A0 + 2] = uf + offsetof(struct rt_sigframe, uc);
	return 0;
}

int signal_altstack_set(struct process *p, const struct k_stack *ss)
{
	int32_t mode = ss->flags & ~(int32_t)SS_AUTODISARM;

	if (on_altstack(&p->sig.altstack, p->regs.x[UREG_SP]))
		return -EPERM; /* not while running on it */
	if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		p->sig.altstack = (struct k_stack){ 0 };
		return 0;
	}
	if (ss->size < MINSIGSTKSZ)
		return -ENOMEM;
	p->sig.altstack = (struct k_stack){ ss->sp, ss->flags & (int32_t)SS_AUTODISARM, 0, ss->size };
	return 0;
}

/* rt_sigreturn reads what Linux's restore_sigcontext reads, in pieces
 * (see above): the small ones first, so that a malformed frame changes
 * nothing, then the registers straight into p->regs. */
static int get(void *dst, uint64_t uf, size_t off, size_t len)
{
	return copy_from_user(dst, uf + off, len);
}

int signal_frame_pop(struct process *p)
{
	uint64_t uf = p->regs.x[UREG_SP];
	struct {
		struct k_stack stack;
		uint64_t sigmask;
	} tail;
	struct regs_head regs;
	struct fp_piece fcsr, end;

	if (get(&tail, uf, UC_STACK_OFF, sizeof(tail)) || get(&end, uf, FP_END_OFF, sizeof(end)) ||
	    get(&fcsr, uf, FCSR_OFF, sizeof(fcsr)) || get(&regs, uf, REGS_OFF, sizeof(regs)))
		return -EFAULT;
	if (end.w[RESERVED_W] || end.w[RESERVED_W + 1] || end.w[RESERVED_W + 2])
		return -EFAULT; /* extension state we do not know */
	/* All pages of the frame were readable just now; only another
	 * thread's munmap can fail these, leaving the registers half
	 * restored, as on Linux (the SIGSEGV follows). */
	if (get(&p->regs.x[REGS_HEAD_N], uf, REGS_OFF + 8 * REGS_HEAD_N, 8 * (32 - REGS_HEAD_N)) ||
	    get(p->regs.f, uf, FP_OFF, sizeof(p->regs.f)))
		return -EFAULT;
	p->regs.pc = regs.r[0];
	for (int i = 1; i < REGS_HEAD_N; i++)
		p->regs.x[i] = regs.r[i];
	p->regs.fcsr = fcsr.w[0] & 0xff; /* frm and fflags: the rest is reserved */
	user_regs_fpu_changed(&p->regs); /* loaded again on the way out */
	p->sig.blocked = tail.sigmask & ~SIG_UNBLOCKABLE;
	(void)signal_altstack_set(p, &tail.stack); /* errors squashed, as Linux */
	return 0;
}
