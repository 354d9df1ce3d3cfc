/* A program that stores through NULL: the kernel must kill it with SIGSEGV
 * and carry on. */
int main(void)
{
	volatile int *volatile p = 0;

	*p = 1;
	return 0;
}
