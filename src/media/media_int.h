/* SPDX-License-Identifier: MIT */
/*
 * media_int.h - inside media/ only: starting libvips once for the process
 * (vips.c; media_vips.h has its functions).
 */
#ifndef MH_MEDIA_MEDIA_INT_H
#define MH_MEDIA_MEDIA_INT_H

#include "core/compat.h"

/* Start libvips (once; later calls are free).  MH_IO when it cannot start. */
MH_MUST_CHECK int media_vips_init(char *errbuf, size_t errlen);

#endif
