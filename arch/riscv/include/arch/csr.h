/* Supervisor CSRs and their bits (RISC-V privileged spec, v1.12). */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define SSTATUS_SIE (_UL(1) << 1)
#define SSTATUS_SPIE (_UL(1) << 5)
#define SSTATUS_SPP (_UL(1) << 8)
#define SSTATUS_SUM (_UL(1) << 18)

#define SIE_SSIE (_UL(1) << 1)
#define SIE_STIE (_UL(1) << 5)
#define SIE_SEIE (_UL(1) << 9)

#define SCAUSE_INTERRUPT (_UL(1) << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9

#define SATP_MODE_SV39 (_UL(8) << 60)

#ifndef __ASSEMBLER__
#define csr_read(csr)                                                   \
	({                                                              \
		unsigned long __v;                                      \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory"); \
		__v;                                                    \
	})
#define csr_write(csr, val)                                                \
	({ __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory"); })
#define csr_set(csr, bits)                                                 \
	({ __asm__ volatile("csrs " #csr ", %0" ::"rK"(bits) : "memory"); })
#define csr_clear(csr, bits)                                               \
	({ __asm__ volatile("csrc " #csr ", %0" ::"rK"(bits) : "memory"); })

static inline void local_flush_tlb_all(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void cpu_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline unsigned long read_time(void)
{
	unsigned long t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}
#endif

#endif
