/* Calls into the SBI firmware (RISC-V SBI spec v1.0/v2.0). Frame-private. */
#ifndef FRAME_SBI_H
#define FRAME_SBI_H

#include <frame/types.h>

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E
#define SBI_LEGACY_PUTCHAR 0x01
#define SBI_LEGACY_GETCHAR 0x02

#define SBI_HSM_STARTED 0
#define SBI_HSM_STOPPED 1

struct sbi_ret {
	long error;
	long value;
};

struct sbi_ret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2);

/* Probes the extensions; logs the firmware and what it offers. */
void sbi_init(void);
bool sbi_has(unsigned long ext);

void sbi_console_putchar(char c);
void sbi_set_timer(uint64_t when);
/* Sends a supervisor software interrupt to the harts in hart_mask << hart_base. */
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_base);
long sbi_hart_get_status(unsigned long hartid);
long sbi_hart_start(unsigned long hartid, paddr_t start, unsigned long opaque);
void sbi_shutdown(void) __noreturn;
void sbi_reboot(void) __noreturn;

#endif
