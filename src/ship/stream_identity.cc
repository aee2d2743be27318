#include "ship/stream_identity.h"

#include <algorithm>
#include <string>

#include "common/hash.h"

namespace lifeboat {
namespace {

Result<uint32_t> HeadCrc(const RandomAccessFile& file, uint64_t n) {
  std::string buf(n, '\0');
  LIFEBOAT_ASSIGN_OR_RETURN(size_t got, file.ReadAt(0, buf.data(), buf.size()));
  if (got < n) return Status::DataLoss("file shrank while its head was read");
  return Crc32c(buf);
}

}  // namespace

Result<StreamIdentity> IdentifyStream(const RandomAccessFile& file, const FileInfo& info) {
  StreamIdentity id;
  id.device = info.device;
  id.inode = info.inode;
  id.head_size = std::min(info.size, kIdentityHeadBytes);
  LIFEBOAT_ASSIGN_OR_RETURN(id.head_crc32c, HeadCrc(file, id.head_size));
  return id;
}

Result<bool> IsSameStream(const RandomAccessFile& file, const FileInfo& info,
                          const StreamIdentity& recorded) {
  if (info.device != recorded.device || info.inode != recorded.inode) return false;
  if (info.size < recorded.head_size) return false;
  LIFEBOAT_ASSIGN_OR_RETURN(uint32_t crc, HeadCrc(file, recorded.head_size));
  return crc == recorded.head_crc32c;
}

}  // namespace lifeboat
