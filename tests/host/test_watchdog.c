/* Host tests of the soft-lockup watchdog's rule (frame/time/watchdog_rule.c),
 * driven tick by tick: a stall is reported once, at the threshold and not
 * before; scheduling, idling or a return to user mode is progress and
 * re-arms it; 0 turns it off. The hard-lockup half: a hart that ticked,
 * was busy, then went silent for the threshold is reported once. */
#include "test.h"
#include "time/watchdog.h"

static int A, B; /* two tasks */

/* Ticks [from, to) in the kernel with task t; the ticks that reported. */
static unsigned run(struct watchdog_hart *w, uint64_t from, uint64_t to, const void *t,
		    bool idle, uint64_t limit, uint64_t *first)
{
	unsigned n = 0;

	for (uint64_t now = from; now < to; now++)
		if (watchdog_rule_tick(w, now, t, idle, limit) && n++ == 0 && first)
			*first = now;
	return n;
}

static void test_stall_reported_once(void)
{
	struct watchdog_hart w = { 0 };
	uint64_t first = 0;

	CHECK_EQ(run(&w, 1, 1000, &A, false, 200, &first), 1);
	CHECK_EQ(first, 201); /* progress seen at tick 1 (task A appeared) */
}

static void test_progress_rearms(void)
{
	struct watchdog_hart w = { 0 };

	CHECK_EQ(run(&w, 1, 150, &A, false, 200, NULL), 0);
	watchdog_rule_progress(&w, 150);     /* a return to user mode */
	CHECK_EQ(run(&w, 150, 349, &A, false, 200, NULL), 0);
	CHECK_EQ(run(&w, 349, 351, &A, false, 200, NULL), 1);
	CHECK_EQ(run(&w, 351, 360, &B, false, 200, NULL), 0); /* scheduled */
	CHECK(!w.reported);
	CHECK_EQ(run(&w, 360, 700, &B, false, 200, NULL), 1); /* a new stall: again */
}

static void test_idle_is_progress(void)
{
	struct watchdog_hart w = { 0 };

	CHECK_EQ(run(&w, 1, 10000, &A, true, 200, NULL), 0);
	/* Alternating tasks every tick never stalls either. */
	for (uint64_t now = 1; now < 1000; now++)
		CHECK(!watchdog_rule_tick(&w, now, now & 1 ? &A : &B, false, 200));
}

static void test_off(void)
{
	struct watchdog_hart w = { 0 };

	CHECK_EQ(run(&w, 1, 100000, &A, false, 0, NULL), 0);
}

#define S 1000000000ULL

static void test_silent_hart(void)
{
	struct watchdog_stamp st = { 0 };

	/* Never ticked (parked): never reported. */
	CHECK(!watchdog_rule_silent(&st, 100 * S, 20 * S));
	watchdog_rule_stamp(&st, 10 * S, false);
	CHECK(!watchdog_rule_silent(&st, 29 * S, 20 * S));
	CHECK(watchdog_rule_silent(&st, 30 * S, 20 * S));
	CHECK(!watchdog_rule_silent(&st, 31 * S, 20 * S)); /* once */
	watchdog_rule_stamp(&st, 40 * S, false);           /* it ticks again */
	CHECK(!watchdog_rule_silent(&st, 45 * S, 20 * S));
	CHECK(watchdog_rule_silent(&st, 61 * S, 20 * S));  /* a new silence */
	/* Idle at its last tick (a tickless idle): never a lockup. */
	watchdog_rule_stamp(&st, 70 * S, true);
	CHECK(!watchdog_rule_silent(&st, 1000 * S, 20 * S));
	/* Off, and a clock read before the stamp (another hart's skew). */
	watchdog_rule_stamp(&st, 70 * S, false);
	CHECK(!watchdog_rule_silent(&st, 1000 * S, 0));
	CHECK(!watchdog_rule_silent(&st, 69 * S, 20 * S));
}

int main(void)
{
	test_silent_hart();
	test_stall_reported_once();
	test_progress_rearms();
	test_idle_is_progress();
	test_off();
	return test_done("watchdog");
}
