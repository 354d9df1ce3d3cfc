/* Load averages (see loadavg.h). Samples are taken by running processes
 * rather than by a timer, so the process list is only read in task
 * context; intervals in which no process came by were idle and count 0. */
#include "proc/loadavg.h"
#include "proc/process.h"

#define INTERVAL_NS 5000000000ull
#define MAX_CATCH_UP 2048 /* after that long idle, every average is 0 anyway */

/* e^(-5s/1min), e^(-5s/5min), e^(-5s/15min) in fixed point (Linux's). */
static const unsigned long exp_factor[3] = { 1884, 2014, 2037 };
static unsigned long avenrun[3];
static uint64_t next_sample = INTERVAL_NS;

static unsigned long fold(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long n = load * exp + active * (LOAD_FIXED_1 - exp);

	if (active >= load)
		n += LOAD_FIXED_1 - 1; /* round up while rising, as Linux */
	return n / LOAD_FIXED_1;
}

static unsigned long runnable(void)
{
	unsigned long n = 0;

	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->state != PROC_ZOMBIE && p->task && (p == current || !task_sleeping(p->task)))
			n++;
	return n;
}

static void sample(unsigned long active)
{
	for (int i = 0; i < 3; i++)
		avenrun[i] = fold(avenrun[i], exp_factor[i], active * LOAD_FIXED_1);
}

void loadavg_update(uint64_t now_ns)
{
	unsigned missed = 0;

	if (now_ns < next_sample)
		return;
	while (next_sample + INTERVAL_NS <= now_ns && missed < MAX_CATCH_UP) {
		sample(0); /* nobody ran then */
		next_sample += INTERVAL_NS;
		missed++;
	}
	sample(runnable());
	next_sample = now_ns - now_ns % INTERVAL_NS + INTERVAL_NS;
}

void loadavg_get(unsigned long avg[3])
{
	for (int i = 0; i < 3; i++)
		avg[i] = avenrun[i];
}
