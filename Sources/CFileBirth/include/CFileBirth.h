#ifndef CFILEBIRTH_H
#define CFILEBIRTH_H

#include <stdint.h>

/// The birth time of the file at `path` (statx STATX_BTIME), in nanoseconds since 1970, in
/// `*nanoseconds`. Returns 0 on success, -1 when the call failed or the file system does not
/// keep birth times.
int nextsoft_file_birth(const char *path, int64_t *nanoseconds);

#endif
