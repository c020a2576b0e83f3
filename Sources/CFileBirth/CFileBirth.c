#define _GNU_SOURCE
#include "CFileBirth.h"

#include <fcntl.h>
#include <sys/stat.h>

int nextsoft_file_birth(const char *path, int64_t *nanoseconds) {
#if defined(__linux__) && defined(STATX_BTIME)
    struct statx status;
    if (statx(AT_FDCWD, path, 0, STATX_BTIME, &status) != 0) return -1;
    if ((status.stx_mask & STATX_BTIME) == 0) return -1;
    *nanoseconds = (int64_t)status.stx_btime.tv_sec * 1000000000 + status.stx_btime.tv_nsec;
    return 0;
#elif defined(__APPLE__)
    struct stat status;
    if (stat(path, &status) != 0) return -1;
    *nanoseconds = (int64_t)status.st_birthtimespec.tv_sec * 1000000000 + status.st_birthtimespec.tv_nsec;
    return 0;
#else
    (void)path;
    (void)nanoseconds;
    return -1;
#endif
}
