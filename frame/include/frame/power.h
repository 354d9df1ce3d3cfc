/* Ending the machine. */
#ifndef FRAME_POWER_H
#define FRAME_POWER_H

#include <frame/types.h>

void power_off(void) __noreturn;
void power_reboot(void) __noreturn;

#endif
