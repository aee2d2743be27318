// Stream identity: device + inode + a CRC32C of the file's first bytes. A path can hold
// many streams over time (rotation, re-creation); this tells them apart, including an inode
// the filesystem reused for a new file.
#ifndef LIFEBOAT_SHIP_STREAM_IDENTITY_H_
#define LIFEBOAT_SHIP_STREAM_IDENTITY_H_

#include "common/env.h"
#include "ship/manifest.h"

namespace lifeboat {

inline constexpr uint64_t kIdentityHeadBytes = 1024;

// The identity of an open file whose size is `size` (head: its first min(size, 1 KiB) bytes).
Result<StreamIdentity> IdentifyStream(const RandomAccessFile& file, const FileInfo& info);

// Whether the open file is the recorded stream: same device and inode, and the same first
// `recorded.head_size` bytes. A file shorter than the recorded head is not.
Result<bool> IsSameStream(const RandomAccessFile& file, const FileInfo& info,
                          const StreamIdentity& recorded);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_STREAM_IDENTITY_H_
