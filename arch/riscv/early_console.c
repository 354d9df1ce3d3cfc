/* Messages before paging: when the boot cannot even reach the frame (the
 * Image misaligned, a trap while reading the device tree the firmware
 * named), say so on the firmware console instead of hanging silently.
 * Same rules as early_map.c: MMU off, PC-relative code only. SBI DBCN's
 * write_byte if the firmware has it, else the legacy putchar. */
#include <arch/csr.h>
#include <arch/early_console.h>

#define BOOT_SECTION __attribute__((section(".boot.text")))
#define SBI_EXT_DBCN 0x4442434E
#define SBI_LEGACY_PUTCHAR 0x01

BOOT_SECTION static void early_putc(char c)
{
	register unsigned long a0 __asm__("a0") = (unsigned char)c;
	register unsigned long a6 __asm__("a6") = 2; /* write_byte */
	register unsigned long a7 __asm__("a7") = SBI_EXT_DBCN;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a6), "r"(a7) : "a1", "memory");
	if (a0 == 0)
		return;
	a0 = (unsigned char)c;
	a7 = SBI_LEGACY_PUTCHAR;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "memory");
}

BOOT_SECTION void early_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			early_putc('\r');
		early_putc(*s);
	}
}

BOOT_SECTION void early_puthex(uint64_t v)
{
	early_putc('0');
	early_putc('x');
	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (v >> shift) & 0xf;
		early_putc((char)(d < 10 ? '0' + d : 'a' + d - 10));
	}
}

BOOT_SECTION __attribute__((noreturn)) void early_halt(void)
{
	early_puts("rivet: cannot boot; halted\n");
	for (;;)
		cpu_wait_for_interrupt();
}

/* stvec until paging is on (entry.S). Never returns: nothing before
 * paging expects a trap. */
BOOT_SECTION __attribute__((noreturn, aligned(4))) void early_trap(void)
{
	early_puts("\nrivet: trap before paging: scause ");
	early_puthex(csr_read(scause));
	early_puts(" sepc ");
	early_puthex(csr_read(sepc));
	early_puts(" stval ");
	early_puthex(csr_read(stval));
	early_puts("\n(a load fault here: a1, the device tree address the firmware passed, "
		   "names no memory)\n");
	early_halt();
}
