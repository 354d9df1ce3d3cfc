/* Time: the `time` CSR counts at the DT's timebase-frequency; the tick is an
 * SBI timer programmed one period ahead on each interrupt. */
#include <frame/log.h>
#include <frame/time.h>
#include <arch/csr.h>
#include "sbi/sbi.h"
#include "time/timer.h"
#include "task/task_internal.h"

static uint64_t tb_hz;
static uint64_t period;
static uint64_t next_deadline;
static volatile uint64_t ticks;

uint64_t timebase_hz(void)
{
	return tb_hz;
}

unsigned timer_hz(void)
{
	return TIMER_HZ;
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t time_now_ns(void)
{
	uint64_t t = read_time();

	/* Split to avoid overflowing t * 1e9 after ~30 minutes at 10 MHz. */
	return t / tb_hz * 1000000000ULL + t % tb_hz * 1000000000ULL / tb_hz;
}

void timer_init(uint64_t timebase)
{
	tb_hz = timebase;
	period = timebase / TIMER_HZ;
	next_deadline = read_time() + period;
	sbi_set_timer(next_deadline);
	csr_set(sie, SIE_STIE);
	pr_info("timer: timebase %lu Hz, tick %u Hz\n", timebase, TIMER_HZ);
}

void timer_interrupt(void)
{
	uint64_t now = read_time();

	/* Count every period that elapsed, even if interrupts were held off. */
	while (next_deadline <= now) {
		next_deadline += period;
		ticks++;
	}
	task_tick();
	sbi_set_timer(next_deadline);
}
