/* SPDX-License-Identifier: MIT */
/* fs.c - POSIX file helpers. */
#include "core/compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"

static int fail(char *errbuf, size_t errlen, int rc, const char *what, const char *path)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "cannot %s '%s': %s", what, path, strerror(errno));
    return rc;
}

int fs_read_file(const char *path, struct buf *out, char *errbuf, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(errbuf, errlen, errno == ENOENT ? MH_NOTFOUND : MH_IO, "open", path);
    int rc = MH_OK;
    /* room for the whole file and the last (empty) read at once: no regrowth */
    struct stat st;
    if (!out->err && fstat(fd, &st) == 0 && st.st_size > 0 &&
        (uint64_t)st.st_size + 64 * 1024 < out->max - out->len)
        buf_reserve(out, (size_t)st.st_size + 64 * 1024);
    for (;;) {
        size_t room = out->err ? 0 : out->max - out->len;
        if (room > 64 * 1024)
            room = 64 * 1024;
        if (room == 0) { /* at the ceiling: fine only if the file ends here */
            char probe;
            ssize_t n = read(fd, &probe, 1);
            if (n == 0)
                break;
            errno = EFBIG;
            rc = fail(errbuf, errlen, MH_TOOBIG, "read", path);
            out->err = MH_TOOBIG;
            break;
        }
        char *dst = buf_reserve(out, room);
        if (dst == NULL) {
            rc = out->err;
            break;
        }
        ssize_t n = read(fd, dst, room);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = fail(errbuf, errlen, MH_IO, "read", path);
            break;
        }
        if (n == 0)
            break;
        buf_commit(out, (size_t)n);
    }
    close(fd);
    return rc;
}

int fs_write_atomic(const char *path, struct str data, char *errbuf, size_t errlen)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return fail(errbuf, errlen, MH_TOOBIG, "write", path);
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(errbuf, errlen, MH_IO, "create", tmp);
    size_t off = 0;
    while (off < data.len) {
        ssize_t w = write(fd, data.ptr + off, data.len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int rc = fail(errbuf, errlen, MH_IO, "write", tmp);
            close(fd);
            unlink(tmp);
            return rc;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int rc = fail(errbuf, errlen, MH_IO, "write", tmp);
        unlink(tmp);
        return rc;
    }
    if (rename(tmp, path) != 0) {
        int rc = fail(errbuf, errlen, MH_IO, "rename into", path);
        unlink(tmp);
        return rc;
    }
    return MH_OK;
}

int fs_mkdirs(const char *path, unsigned mode, char *errbuf, size_t errlen)
{
    char tmp[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return fail(errbuf, errlen, MH_INVAL, "create directory", path);
    }
    memcpy(tmp, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        char saved = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
            return fail(errbuf, errlen, MH_IO, "create directory", tmp);
        tmp[i] = saved;
    }
    if (!fs_is_dir(path)) {
        errno = ENOTDIR;
        return fail(errbuf, errlen, MH_IO, "create directory", path);
    }
    return MH_OK;
}

bool fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

bool fs_dir_empty(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    bool empty = true;
    if (d == NULL)
        return false;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            empty = false;
            break;
        }
    }
    closedir(d);
    return empty;
}
