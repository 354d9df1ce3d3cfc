/* The smallest user program: no libc, two raw system calls. Proves user
 * mode, ecall and the syscall return path before any libc is involved. */
static long syscall3(long nr, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
	return r_a0;
}

void _start(void)
{
	static const char msg[] = "hello from user mode\n";

	syscall3(64, 1, (long)msg, sizeof(msg) - 1); /* write */
	syscall3(94, 7, 0, 0);                      /* exit_group(7) */
	for (;;)
		;
}
