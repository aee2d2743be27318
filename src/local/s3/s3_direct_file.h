// A WritableFile that bypasses the page cache (O_DIRECT), for the S3 store's object data.
//
// Why: on the VMs lifeboat is benchmarked on, buffered writes of freshly allocated page
// cache top out near 200 MiB/s once fsync'd, while direct writes of the same bytes reach
// 1-2 GiB/s; the local S3 store must sustain 400 MiB/s of durable PUTs. Data is copied
// into a pooled, 4 KiB-aligned buffer and written in whole blocks; the last block is
// padded and the file truncated to its real length before fdatasync.
//
// It calls open/pwrite directly, bypassing Env, because Env has no direct-I/O file (a
// candidate for Env::NewWritableFile options); the emulator's process plumbing (instance
// init and exec, the Lambda host) does so too, for descriptors Env does not model. It is
// used only when the store runs on Env::Default(); wrapped or fake Envs keep their own files.
#ifndef LIFEBOAT_LOCAL_S3_S3_DIRECT_FILE_H_
#define LIFEBOAT_LOCAL_S3_S3_DIRECT_FILE_H_

#include <memory>
#include <string>

#include "common/env.h"
#include "common/status.h"

namespace lifeboat {

// Creates or truncates `path` for direct writes. Falls back to env->NewWritableFile when
// the filesystem refuses O_DIRECT (tmpfs, some FUSE mounts). Appending after Sync() fails.
Result<std::unique_ptr<WritableFile>> NewDirectWritableFile(Env* env, const std::string& path);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_DIRECT_FILE_H_
