/* The DMA ordering barriers: RISC-V fences over both memory and device I/O,
 * out of line so services call them without containing any instruction of
 * their own. "o"/"i" cover MMIO (device output/input), "w"/"r" memory: a
 * ring filled with ordinary stores must be visible before the MMIO store
 * that tells the device to look. */
#include <frame/dma.h>

void dma_wmb(void)
{
	__asm__ volatile("fence ow, ow" ::: "memory");
}

void dma_rmb(void)
{
	__asm__ volatile("fence ir, ir" ::: "memory");
}

void dma_mb(void)
{
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}
