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
#include "mm/mm.h"
#include "proc/signal_frame.h"

/* union __riscv_fp_state: sized by its Q member (f[64], fcsr, reserved[3]). */
struct user_fpstate {
	uint64_t f[32];
	uint32_t fcsr;
	uint32_t q_rest[64];  /* the upper Q halves: unused by D, written as zero */
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

static void save_regs(const struct user_regs *r, struct user_sigcontext *sc)
{
	sc->regs[0] = r->pc;
	for (int i = 1; i < 32; i++)
		sc->regs[i] = r->x[i];
	memcpy(sc->fp.f, r->f, sizeof(sc->fp.f));
	sc->fp.fcsr = (uint32_t)r->fcsr;
}

int signal_frame_push(struct process *p, int sig, const struct k_siginfo *info,
		      const struct k_sigaction *a, uint64_t saved_mask)
{
	struct rt_sigframe f;
	struct k_stack *ss = &p->sig.altstack;
	uint64_t sp = p->regs.x[UREG_SP], uf = frame_address(p, a);

	if (!uf)
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	f.info = *info;
	f.uc.stack = (struct k_stack){ ss->sp, signal_altstack_flags(ss, sp) | (ss->flags & (int32_t)SS_AUTODISARM), 0, ss->size };
	f.uc.sigmask = saved_mask;
	save_regs(&p->regs, &f.uc.mcontext);
	if (copy_to_user(uf, &f, sizeof(f)))
		return -EFAULT;
	if ((a->flags & SA_ONSTACK) && (ss->flags & (int32_t)SS_AUTODISARM))
		*ss = (struct k_stack){ 0 };
	p->regs.pc = a->handler;
	p->regs.x[UREG_RA] = SIGTRAMP_VA;
	p->regs.x[UREG_SP] = uf;
	p->regs.x[UREG_A0] = (uint64_t)sig;
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

int signal_frame_pop(struct process *p)
{
	struct rt_sigframe f;
	const struct user_sigcontext *sc = &f.uc.mcontext;

	if (copy_from_user(&f, p->regs.x[UREG_SP], sizeof(f)))
		return -EFAULT;
	if (sc->fp.reserved[0] || sc->fp.reserved[1] || sc->fp.reserved[2])
		return -EFAULT; /* extension state we do not know */
	p->regs.pc = sc->regs[0];
	for (int i = 1; i < 32; i++)
		p->regs.x[i] = sc->regs[i];
	memcpy(p->regs.f, sc->fp.f, sizeof(p->regs.f));
	p->regs.fcsr = sc->fp.fcsr & 0xff; /* frm and fflags: the rest is reserved */
	user_regs_fpu_changed(&p->regs); /* loaded again on the way out */
	p->sig.blocked = f.uc.sigmask & ~SIG_UNBLOCKABLE;
	(void)signal_altstack_set(p, &f.uc.stack); /* errors squashed, as Linux */
	return 0;
}
