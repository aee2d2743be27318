#include "local/s3/s3_checksum.h"

#include <isa-l/crc.h>
#include <openssl/evp.h>

#include <array>
#include <bit>
#include <cstring>

#include "common/hash.h"
#include "local/s3/s3_errors.h"

namespace lifeboat {
namespace {

constexpr ChecksumSpec kSpecs[] = {
    {ChecksumAlgorithm::kCrc32, "CRC32", "x-amz-checksum-crc32", "ChecksumCRC32", 4},
    {ChecksumAlgorithm::kCrc32c, "CRC32C", "x-amz-checksum-crc32c", "ChecksumCRC32C", 4},
    {ChecksumAlgorithm::kCrc64Nvme, "CRC64NVME", "x-amz-checksum-crc64nvme", "ChecksumCRC64NVME",
     8},
    {ChecksumAlgorithm::kSha1, "SHA1", "x-amz-checksum-sha1", "ChecksumSHA1", 20},
    {ChecksumAlgorithm::kSha256, "SHA256", "x-amz-checksum-sha256", "ChecksumSHA256", 32},
};

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), slicing by 8: ISA-L 2.30 lacks it.
struct Crc64Tables {
  std::array<std::array<uint64_t, 256>, 8> t;
  Crc64Tables() {
    constexpr uint64_t kPoly = 0x9a6c9329ac4bc9b5ULL;
    for (uint64_t i = 0; i < 256; ++i) {
      uint64_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
      t[0][i] = c;
    }
    for (size_t i = 0; i < 256; ++i) {
      for (size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
  }
};

std::string BigEndian(uint64_t v, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) out[bytes - 1 - i] = static_cast<char>(v >> (8 * i));
  return out;
}

const EVP_MD* DigestOf(ChecksumAlgorithm algorithm) {
  return algorithm == ChecksumAlgorithm::kSha1 ? EVP_sha1() : EVP_sha256();
}

bool IsCrc(ChecksumAlgorithm a) {
  return a == ChecksumAlgorithm::kCrc32 || a == ChecksumAlgorithm::kCrc32c ||
         a == ChecksumAlgorithm::kCrc64Nvme;
}

}  // namespace

const ChecksumSpec* FindChecksum(std::string_view name) {
  for (const auto& s : kSpecs) {
    if (EqualsIgnoreCase(s.name, name)) return &s;
  }
  return nullptr;
}

const ChecksumSpec& SpecOf(ChecksumAlgorithm algorithm) {
  for (const auto& s : kSpecs) {
    if (s.algorithm == algorithm) return s;
  }
  return kSpecs[0];
}

const ChecksumSpec* AllChecksums(size_t* count) {
  *count = std::size(kSpecs);
  return kSpecs;
}

uint32_t Crc32(std::string_view data, uint32_t crc) {
  // ISA-L's gzip CRC is zlib's crc32() (same polynomial, inversions inside), PCLMUL-fast.
  return crc32_gzip_refl(crc, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

uint64_t Crc64Nvme(std::string_view data, uint64_t crc) {
  static_assert(std::endian::native == std::endian::little, "the 8-byte loads assume it");
  static const Crc64Tables tables;
  const auto& t = tables.t;
  uint64_t c = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    const uint64_t v = c ^ word;
    c = t[7][v & 0xff] ^ t[6][(v >> 8) & 0xff] ^ t[5][(v >> 16) & 0xff] ^ t[4][(v >> 24) & 0xff] ^
        t[3][(v >> 32) & 0xff] ^ t[2][(v >> 40) & 0xff] ^ t[1][(v >> 48) & 0xff] ^ t[0][v >> 56];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = (c >> 8) ^ t[0][(c ^ *p++) & 0xff];
  return ~c;
}

std::string Md5Raw(std::string_view data) {
  std::string out(16, '\0');
  EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), nullptr,
             EVP_md5(), nullptr);
  return out;
}

struct ChecksumHasher::Impl {
  ChecksumAlgorithm algorithm;
  uint64_t crc = 0;
  EVP_MD_CTX* ctx = nullptr;
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

ChecksumHasher::ChecksumHasher(ChecksumAlgorithm algorithm) : impl_(std::make_unique<Impl>()) {
  impl_->algorithm = algorithm;
  if (!IsCrc(algorithm)) {
    impl_->ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(impl_->ctx, DigestOf(algorithm), nullptr);
  }
}

ChecksumHasher::~ChecksumHasher() = default;

void ChecksumHasher::Update(std::string_view data) {
  switch (impl_->algorithm) {
    case ChecksumAlgorithm::kCrc32:
      impl_->crc = Crc32(data, static_cast<uint32_t>(impl_->crc));
      break;
    case ChecksumAlgorithm::kCrc32c:
      impl_->crc = Crc32cExtend(static_cast<uint32_t>(impl_->crc), data);
      break;
    case ChecksumAlgorithm::kCrc64Nvme:
      impl_->crc = Crc64Nvme(data, impl_->crc);
      break;
    default:
      EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
  }
}

std::string ChecksumHasher::FinishRaw() {
  if (IsCrc(impl_->algorithm)) return BigEndian(impl_->crc, SpecOf(impl_->algorithm).digest_size);
  std::string out(EVP_MD_CTX_get_size(impl_->ctx), '\0');
  EVP_DigestFinal_ex(impl_->ctx, reinterpret_cast<unsigned char*>(out.data()), nullptr);
  return out;
}

std::string ChecksumRaw(ChecksumAlgorithm algorithm, std::string_view data) {
  ChecksumHasher h(algorithm);
  h.Update(data);
  return h.FinishRaw();
}

std::string ChecksumBase64(ChecksumAlgorithm algorithm, std::string_view data) {
  return Base64Encode(ChecksumRaw(algorithm, data));
}

ReceivedChecksum ChecksumHeader(const Headers& headers) {
  ReceivedChecksum out;
  for (const auto& spec : kSpecs) {
    if (auto v = headers.Get(spec.header)) {
      out.spec = &spec;
      out.value = *v;
      break;
    }
  }
  return out;
}

Result<ReceivedChecksum> ValidateUploadChecksums(const Headers& headers, std::string_view body,
                                                 std::string_view md5_raw) {
  if (auto md5 = headers.Get("content-md5")) {
    auto decoded = Base64Decode(*md5);
    if (!decoded || decoded->size() != 16) {
      return S3Error("InvalidDigest", "The Content-MD5 you specified was not valid.");
    }
    if (*decoded != md5_raw) {
      return S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
  }
  ReceivedChecksum out;
  constexpr std::string_view kPrefix = "x-amz-checksum-";
  for (const auto& [name, value] : headers) {
    if (name.size() <= kPrefix.size() ||
        !EqualsIgnoreCase(name.substr(0, kPrefix.size()), kPrefix)) {
      continue;
    }
    const std::string suffix = name.substr(kPrefix.size());
    if (EqualsIgnoreCase(suffix, "mode") || EqualsIgnoreCase(suffix, "type") ||
        EqualsIgnoreCase(suffix, "algorithm")) {
      continue;
    }
    const ChecksumSpec* spec = FindChecksum(suffix);
    if (spec == nullptr) {
      return S3Error("InvalidRequest", "The " + suffix + " checksum is not supported here.");
    }
    if (out.spec != nullptr && out.spec != spec) {
      return S3Error("InvalidRequest",
                     "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                     "allowed.");
    }
    auto decoded = Base64Decode(value);
    if (!decoded || decoded->size() != spec->digest_size) {
      return S3Error("InvalidRequest",
                     "Value for " + std::string(spec->header) + " header is invalid.");
    }
    if (ChecksumRaw(spec->algorithm, body) != *decoded) {
      return S3Error("BadDigest", "The " + std::string(spec->name) +
                                      " you specified did not match the calculated checksum.");
    }
    out.spec = spec;
    out.value = value;
  }
  const std::string sdk = headers.Get("x-amz-sdk-checksum-algorithm").value_or("");
  if (!sdk.empty() && (out.spec == nullptr || !EqualsIgnoreCase(out.spec->name, sdk))) {
    if (FindChecksum(sdk) == nullptr) {
      return S3Error("InvalidRequest", "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
    return S3Error("InvalidRequest",
                   "x-amz-sdk-checksum-algorithm specified, but no corresponding "
                   "x-amz-checksum-* or x-amz-trailer headers were found.");
  }
  return out;
}

}  // namespace lifeboat
