/* The boot hart's path through the frame: one init step per line.
 * entry.S calls frame_main with paging on, running at the link address. */
#include <frame/boot.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/time.h>
#include <arch/csr.h>
#include <string.h>
#include <arch/layout.h>
#include <libfdt.h>
#include "boot/cmdline.h"
#include "boot/memory.h"
#include "bus/bind.h"
#include "cap/cap_table.h"
#include "console/console_internal.h"
#include "dt/bootinfo.h"
#include "irq/plic.h"
#include "lib/stack_protector.h"
#include "mm/kmap.h"
#include "mm/vmarea.h"
#include "sbi/sbi.h"
#include "smp/bkl.h"
#include "smp/hart.h"
#include "smp/ipi.h"
#include "task/task_internal.h"
#include "time/timer.h"
#include "trap/trap.h"
#include <arch/early_map.h>

void frame_main(unsigned long hartid, paddr_t fdt_pa, paddr_t load_pa);
void stack_switch(uintptr_t top, void (*fn)(void)) __noreturn;

extern char boot_stack_bottom[], boot_stack_top[], _start[], _end[];

static struct boot_info bi;
static paddr_t image_load_pa;

static const char *banner = "Rivet framekernel (riscv64, Sv39)";

/* The part of the boot that runs on a guarded stack. */
static void __noreturn frame_main_guarded(void)
{
	cap_table_init(bi.rng_seed ^ read_time());      /* handle tags */
	if (plic_init(&bi))                                    /* interrupt controller */
		panic("no interrupt controller: cannot take device interrupts");
	timer_init(bi.timebase_hz);                            /* periodic tick */
	harts_init(&bi);                                       /* report harts */
	ipi_self_test();                                       /* SBI IPI path */
	bkl_acquire();                                         /* services from here on */
	unsigned n = bus_bind_all(&bi);                        /* drivers probe */
	pr_info("bind: %u devices bound\n", n);
	console_check_driver(bi.stdout_path);                 /* say if none */
	harts_start_secondaries(image_load_pa);                /* SMP: the others join */
	pr_info("frame: boot done at %lu ms, entering the kernel services\n",
		time_now_ns() / 1000000);
	csr_set(sstatus, SSTATUS_SIE);                        /* interrupts on */
	kern_main();
}

static void check_fdt(paddr_t fdt_pa, uint32_t hartid)
{
	const void *fdt = phys_to_virt(fdt_pa);
	const char *why;

	/* early_map mapped the tree only if its header looked sane. */
	if (early_fdt_size == 0)
		panic("device tree at 0x%lx: no valid header (or larger than %lu KiB)", fdt_pa,
		      EARLY_FDT_MAX >> 10);
	/* libfdt reads cells in place: misaligned blocks would make every read
	 * a misaligned load (fdt_check_full, in bootinfo_parse, included). */
	if ((fdt_pa & 7) || (fdt_off_mem_rsvmap(fdt) & 7) || (fdt_off_dt_struct(fdt) & 3))
		panic("device tree at 0x%lx: misaligned blocks", fdt_pa);
	if (bootinfo_parse(&bi, fdt, fdt_pa, hartid, &why))
		panic("device tree at 0x%lx is unusable: %s", fdt_pa, why);
}

void frame_main(unsigned long hartid, paddr_t fdt_pa, paddr_t load_pa)
{
	uint64_t entry_time = read_time();
	struct kstack stack;

	image_load_pa = load_pa;
	hart_boot_init((uint32_t)hartid, (uintptr_t)boot_stack_bottom,
		       (uintptr_t)boot_stack_top);                    /* tp, sscratch */
	trap_init();                                                  /* stvec */
	sbi_init();                                                   /* firmware */
	pr_info("%s\n", banner);
	pr_info("boot: hart %lu, image at 0x%lx (%lu KiB), device tree at 0x%lx\n", hartid,
		load_pa, (uint64_t)(_end - _start) >> 10, fdt_pa);
	check_fdt(fdt_pa, (uint32_t)hartid);                                           /* parse the DT */
	cmdline_init(bi.bootargs);                                    /* bootargs */
	boot_set_model(bi.model);
	pr_info("boot: kernel entered %lu ms after reset\n", entry_time * 1000 / bi.timebase_hz);
	pr_info("boot: machine \"%s\"\n", bi.model);
	pr_info("boot: command line \"%s\"\n", bi.bootargs);
	if (bi.initrd_end) {
		pr_info("boot: initramfs at 0x%lx, %lu KiB\n", bi.initrd_start,
			(bi.initrd_end - bi.initrd_start) >> 10);
		boot_set_initrd(phys_to_virt(bi.initrd_start), bi.initrd_end - bi.initrd_start);
	}
	if (bootinfo_reserve(&bi, load_pa, (uint64_t)(_end - _start), "kernel image"))
		panic("too many reserved ranges");
	memory_init(&bi, load_pa + (paddr_t)(_end - _start));        /* page allocator */
	kmap_init(&bi, load_pa);                                      /* final page table */
	memory_init_late(&bi);                                        /* free RAM */
	long leaves = kmap_check_wx();
	if (leaves < 0)
		panic("kernel mapping is writable and executable somewhere");
	pr_info("kmap: kernel mapped W^X (%ld leaf mappings checked)\n", leaves);
	stack_guard_seed(bi.rng_seed ^ read_time());
	if (vmarea_alloc_stack(&stack))                               /* guarded stack */
		panic("no memory for the boot stack");
	hart_set_stack(stack.bottom, stack.top);
	task_init_boot(stack.bottom, stack.top);                      /* boot flow = task 0 */
	stack_switch(stack.top, frame_main_guarded);
}
