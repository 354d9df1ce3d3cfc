/* Time: the `time` CSR counts at the DT's timebase-frequency; each hart has
 * its own tick, an SBI timer programmed one period ahead on each interrupt,
 * or earlier when a one-shot timer (ktimer.c) is due first. The tick count
 * (timer_ticks) is read off the time CSR, not counted by one hart's
 * interrupts: a hart waiting for the BKL with interrupts masked takes no
 * ticks, and a count kept by the boot hart then stood still for every hart
 * (the soft-lockup watchdog of a BKL holder elsewhere never fired). */
#include <frame/log.h>
#include <frame/time.h>
#include <arch/csr.h>
#include "sbi/sbi.h"
#include "smp/bkl.h"
#include "smp/hart.h"
#include "time/timer.h"
#include "task/task_internal.h"
#include "time/watchdog.h"

static uint64_t tb_hz;
uint64_t timer_period; /* time CSR counts per tick (0 before timer_init) */

uint64_t timebase_hz(void)
{
	return tb_hz;
}

unsigned timer_hz(void)
{
	return TIMER_HZ;
}

/* Whole periods since the time CSR started (reset), the same on every hart. */
uint64_t timer_ticks(void)
{
	return timer_ticks_inline();
}

uint64_t time_now_ns(void)
{
	uint64_t t = read_time();

	/* Split to avoid overflowing t * 1e9 after ~30 minutes at 10 MHz. */
	return t / tb_hz * 1000000000ULL + t % tb_hz * 1000000000ULL / tb_hz;
}

/* The time CSR value at or after ns since boot (rounded up: never early). */
static uint64_t ns_to_time(uint64_t ns)
{
	return ns / 1000000000ULL * tb_hz + (ns % 1000000000ULL * tb_hz + 999999999ULL) / 1000000000ULL;
}

void timer_reprogram(void)
{
	uint64_t first = ktimer_first_deadline();
	uint64_t when = this_hart()->next_tick;

	if (first != UINT64_MAX && ns_to_time(first) < when)
		when = ns_to_time(first);
	sbi_set_timer(when);
}

void timer_hart_init(void)
{
	struct hart *h = this_hart();

	h->next_tick = read_time() + timer_period;
	sbi_set_timer(h->next_tick);
	csr_set(sie, SIE_STIE);
}

void timer_init(uint64_t timebase)
{
	tb_hz = timebase;
	timer_period = timebase / TIMER_HZ;
	timer_hart_init();
	pr_info("timer: timebase %lu Hz, tick %u Hz\n", timebase, TIMER_HZ);
}

void timer_interrupt(void)
{
	struct hart *h = this_hart();
	uint64_t now = read_time();
	bool ticked = false;

	/* Count every period that elapsed, even if interrupts were held off. */
	while (h->next_tick <= now) {
		h->next_tick += timer_period;
		ticked = true;
	}
	/* Expired timers call into services: under the BKL. */
	if (ktimer_first_deadline() <= time_now_ns()) {
		bool mine = bkl_held_here();
		if (!mine)
			bkl_acquire();
		ktimer_run_expired(time_now_ns());
		if (!mine)
			bkl_release();
	}
	if (ticked) { /* not just an early interrupt for a ktimer */
		task_tick();
		watchdog_timer_tick();
	}
	timer_reprogram();
}
