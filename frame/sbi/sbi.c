/* SBI: the firmware interface below the kernel. Only the base probe and the
 * extensions the frame needs; everything goes through one ecall helper. */
#include <frame/log.h>
#include <arch/csr.h>
#include "sbi/sbi.h"

static bool has_time, has_ipi, has_hsm, has_srst, has_dbcn;

struct sbi_ret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbi_ret){ .error = (long)r_a0, .value = (long)r_a1 };
}

static long sbi_probe(unsigned long ext)
{
	struct sbi_ret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);
	return r.error ? 0 : r.value;
}

bool sbi_has(unsigned long ext)
{
	switch (ext) {
	case SBI_EXT_TIME: return has_time;
	case SBI_EXT_IPI: return has_ipi;
	case SBI_EXT_HSM: return has_hsm;
	case SBI_EXT_SRST: return has_srst;
	case SBI_EXT_DBCN: return has_dbcn;
	default: return sbi_probe(ext) != 0;
	}
}

void sbi_init(void)
{
	long spec = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
	long impl = sbi_call(SBI_EXT_BASE, 1, 0, 0, 0).value;
	long impl_ver = sbi_call(SBI_EXT_BASE, 2, 0, 0, 0).value;

	has_time = sbi_probe(SBI_EXT_TIME);
	has_ipi = sbi_probe(SBI_EXT_IPI);
	has_hsm = sbi_probe(SBI_EXT_HSM);
	has_srst = sbi_probe(SBI_EXT_SRST);
	has_dbcn = sbi_probe(SBI_EXT_DBCN);
	pr_info("sbi: spec %ld.%ld, implementation %ld (%s) version 0x%lx\n",
		(spec >> 24) & 0x7f, spec & 0xffffff, impl, impl == 1 ? "OpenSBI" : "other",
		impl_ver);
	pr_info("sbi: extensions:%s%s%s%s%s%s\n", has_time ? " TIME" : "",
		has_ipi ? " IPI" : "", sbi_probe(SBI_EXT_RFENCE) ? " RFENCE" : "",
		has_hsm ? " HSM" : "", has_srst ? " SRST" : "",
		has_dbcn ? " DBCN" : " (no DBCN: legacy console)");
}

void sbi_console_putchar(char c)
{
	/* DBCN needs a physical buffer address; a single byte is simpler through
	 * its write_byte call. Without DBCN use the legacy extension. */
	if (has_dbcn)
		sbi_call(SBI_EXT_DBCN, 2, (unsigned char)c, 0, 0);
	else
		sbi_call(SBI_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

void sbi_set_timer(uint64_t when)
{
	if (has_time)
		sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
	else
		sbi_call(0x00, 0, when, 0, 0); /* legacy set_timer */
}

long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_base)
{
	if (has_ipi)
		return sbi_call(SBI_EXT_IPI, 0, hart_mask, hart_base, 0).error;
	return -1; /* the legacy call wants a mask in memory: not worth it */
}

long sbi_hart_get_status(unsigned long hartid)
{
	struct sbi_ret r;

	if (!has_hsm)
		return -1;
	r = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);
	return r.error ? -1 : r.value;
}

long sbi_hart_start(unsigned long hartid, paddr_t start, unsigned long opaque)
{
	if (!has_hsm)
		return -1;
	return sbi_call(SBI_EXT_HSM, 0, hartid, start, opaque).error;
}

static void __noreturn sbi_reset(unsigned long type)
{
	if (has_srst)
		sbi_call(SBI_EXT_SRST, 0, type, 0, 0);
	if (type == 0)
		sbi_call(0x08, 0, 0, 0, 0); /* legacy shutdown */
	pr_err("sbi: firmware did not reset the machine; halting\n");
	for (;;)
		cpu_wait_for_interrupt();
}

void sbi_shutdown(void)
{
	sbi_reset(0);
}

void sbi_reboot(void)
{
	sbi_reset(1); /* cold reboot */
}
