/* SPDX-License-Identifier: MIT */
/*
 * vips.c - load and start libvips on first use (media_vips.h says why):
 * dlopen() it, look up every function media/ calls, check the ABI as
 * VIPS_INIT() would, and set it up for a server (no operation cache, no
 * untrusted loaders, one thread per operation).  Once per process.
 */
#define MEDIA_VIPS_LOADER
#include "core/compat.h"

#include <dlfcn.h>
#include <pthread.h>

#include "core/err.h"
#include "media/media_vips.h"

struct media_vips media_vips;

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static char vips_why[256]; /* empty when libvips is ready */

static void vips_start(void)
{
    void *lib = dlopen(MEDIA_VIPS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(vips_why, sizeof(vips_why), "cannot load the image library: %s", dlerror());
        return;
    }
    void *fn;
#define MEDIA_VIPS_LOOKUP(name)                                                                \
    if ((fn = dlsym(lib, #name)) == NULL) {                                                    \
        snprintf(vips_why, sizeof(vips_why), "the image library lacks %s", #name);             \
        return;                                                                                \
    }                                                                                          \
    memcpy(&media_vips.name, &fn, sizeof(fn));
    MEDIA_VIPS_FUNCTIONS(MEDIA_VIPS_LOOKUP)
#undef MEDIA_VIPS_LOOKUP
    /* what VIPS_INIT() checks: the ABI this file was compiled against */
    if (media_vips.vips_version(3) - media_vips.vips_version(5) !=
            VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE ||
        media_vips.vips_init("masthead") != 0) {
        snprintf(vips_why, sizeof(vips_why), "cannot start the image library (libvips %d.%d)",
                 media_vips.vips_version(0), media_vips.vips_version(1));
        return;
    }
    /* no operation cache: a server must not keep decoded images around */
    media_vips.vips_cache_set_max(0);
    media_vips.vips_cache_set_max_mem(0);
    media_vips.vips_cache_set_max_files(0);
    /* only the loaders we asked for, never ImageMagick, PDF or SVG */
    media_vips.vips_block_untrusted_set(TRUE);
    media_vips.vips_concurrency_set(1);
}

int media_vips_init(char *errbuf, size_t errlen)
{
    pthread_once(&vips_once, vips_start);
    if (vips_why[0]) {
        snprintf(errbuf, errlen, "%s", vips_why);
        return MH_IO;
    }
    return MH_OK;
}
