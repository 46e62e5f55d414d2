/* SPDX-License-Identifier: MIT */
/*
 * fs.h - the file-system operations Masthead needs, with errors reported the
 * same way everywhere: whole-file reads under a ceiling, atomic writes
 * (temporary file, fsync, rename), and directory creation.  On failure these
 * log nothing: they fill ERRBUF (when given) with "cannot ... 'path': reason"
 * so the caller, who has the context, logs once.
 */
#ifndef MH_CORE_FS_H
#define MH_CORE_FS_H

#include "core/compat.h"
#include "core/str.h"

struct buf;

/* Append the whole file PATH to OUT.  MH_TOOBIG past OUT's ceiling,
 * MH_NOTFOUND when absent, MH_IO otherwise. */
MH_MUST_CHECK int fs_read_file(const char *path, struct buf *out, char *errbuf, size_t errlen);

/* Write DATA to PATH atomically: PATH.tmp.PID, fsync, rename.  A reader sees
 * the old file or the new one, never half. */
MH_MUST_CHECK int fs_write_atomic(const char *path, struct str data, char *errbuf, size_t errlen);

/* mkdir -p PATH with MODE.  MH_OK when it exists already as a directory. */
MH_MUST_CHECK int fs_mkdirs(const char *path, unsigned mode, char *errbuf, size_t errlen);

bool fs_is_dir(const char *path);
bool fs_exists(const char *path);
/* True when PATH is a directory with no entries. */
bool fs_dir_empty(const char *path);

#endif
