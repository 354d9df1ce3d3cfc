/* Ending the machine.
 *
 * A driver service bound to the board's power controller (a syscon
 * poweroff/reboot node, ...) registers a handler per action; power_off and
 * power_reboot run it and fall back to SBI SRST if it returns (the device
 * did not act) or none is registered. The frame knows no power register. */
#ifndef FRAME_POWER_H
#define FRAME_POWER_H

#include <frame/types.h>

enum power_action { POWER_ACTION_OFF, POWER_ACTION_REBOOT };

typedef void (*power_handler_fn)(void *ctx);

/* One handler per action: a second registration gets -EBUSY. */
int power_register(enum power_action action, power_handler_fn fn, void *ctx, const char *name);

void power_off(void) __noreturn;
void power_reboot(void) __noreturn;

#endif
