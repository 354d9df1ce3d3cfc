#ifndef FRAME_BUS_BIND_H
#define FRAME_BUS_BIND_H
#include "dt/bootinfo.h"

/* Matches every enabled device-tree node against the driver table and
 * probes the best match; returns how many devices were bound. */
unsigned bus_bind_all(const struct boot_info *bi);

#endif
