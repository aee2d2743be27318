#include "ship/codec.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>

#include "common/hash.h"

namespace lifeboat {
namespace {

constexpr size_t kDecodeBufferSize = 256 * 1024;

class ZstdEncoder final : public Encoder {
 public:
  explicit ZstdEncoder(int level) : ctx_(ZSTD_createCCtx()), level_(level) {}
  ~ZstdEncoder() override { ZSTD_freeCCtx(ctx_); }
  ZstdEncoder(const ZstdEncoder&) = delete;
  ZstdEncoder& operator=(const ZstdEncoder&) = delete;

  Status Begin(uint64_t raw_size) override {
    ZSTD_CCtx_reset(ctx_, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level_);
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_checksumFlag, 1);  // zstd -t checks chunks alone
    ZSTD_CCtx_setPledgedSrcSize(ctx_, raw_size);
    return Status::Ok();
  }

  Status Update(std::string_view data, std::string* out) override {
    return Run(data, ZSTD_e_continue, out);
  }

  Status Finish(std::string* out) override { return Run({}, ZSTD_e_end, out); }

 private:
  Status Run(std::string_view data, ZSTD_EndDirective mode, std::string* out) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    for (;;) {
      const size_t old_size = out->size();
      const size_t room = std::max<size_t>(ZSTD_CStreamOutSize(), data.size() / 4);
      out->resize(old_size + room);
      ZSTD_outBuffer ob{out->data() + old_size, room, 0};
      const size_t left = ZSTD_compressStream2(ctx_, &ob, &in, mode);
      out->resize(old_size + ob.pos);
      if (ZSTD_isError(left)) return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(left));
      const bool done = mode == ZSTD_e_end ? left == 0 : in.pos == in.size;
      if (done) return Status::Ok();
    }
  }

  ZSTD_CCtx* ctx_;
  int level_;
};

class GzipEncoder final : public Encoder {
 public:
  explicit GzipEncoder(int level) : level_(level) {}
  ~GzipEncoder() override {
    if (active_) deflateEnd(&z_);
  }
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  Status Begin(uint64_t) override {
    if (active_) deflateEnd(&z_);
    z_ = {};
    // windowBits 15 + 16: a gzip member with header and trailer, readable by gunzip.
    if (deflateInit2(&z_, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::Internal("zlib: deflateInit2 failed");
    }
    active_ = true;
    return Status::Ok();
  }

  Status Update(std::string_view data, std::string* out) override {
    return Run(data, Z_NO_FLUSH, out);
  }

  Status Finish(std::string* out) override {
    Status s = Run({}, Z_FINISH, out);
    deflateEnd(&z_);
    active_ = false;
    return s;
  }

 private:
  Status Run(std::string_view data, int flush, std::string* out) {
    // zlib's avail_in is 32-bit; feed large inputs in pieces.
    do {
      const size_t piece = std::min<size_t>(data.size(), 1u << 30);
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      z_.avail_in = static_cast<uInt>(piece);
      const int mode = piece == data.size() ? flush : Z_NO_FLUSH;
      for (;;) {
        const size_t old_size = out->size();
        const size_t room = std::max<size_t>(64 * 1024, piece / 4);
        out->resize(old_size + room);
        z_.next_out = reinterpret_cast<Bytef*>(out->data() + old_size);
        z_.avail_out = static_cast<uInt>(room);
        const int rc = deflate(&z_, mode);
        out->resize(old_size + room - z_.avail_out);
        if (rc == Z_STREAM_ERROR) return Status::Internal("zlib: deflate failed");
        if (mode == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
      }
      data.remove_prefix(piece);
    } while (!data.empty());
    return Status::Ok();
  }

  z_stream z_{};
  bool active_ = false;
  int level_;
};

class IdentityEncoder final : public Encoder {
 public:
  Status Begin(uint64_t) override { return Status::Ok(); }
  Status Update(std::string_view data, std::string* out) override {
    out->append(data);
    return Status::Ok();
  }
  Status Finish(std::string*) override { return Status::Ok(); }
};

Status DecodeZstd(std::string_view frame, const ByteSink& sink) {
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::string buf(kDecodeBufferSize, '\0');
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  size_t hint = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer out{buf.data(), buf.size(), 0};
    hint = ZSTD_decompressStream(ctx.get(), &out, &in);
    if (ZSTD_isError(hint)) return Status::DataLoss(std::string("zstd: ") + ZSTD_getErrorName(hint));
    if (out.pos > 0) LIFEBOAT_RETURN_IF_ERROR(sink(std::string_view(buf.data(), out.pos)));
    if (hint == 0) break;  // frame complete
  }
  // Drain output the decoder still holds for a frame whose input is all consumed.
  while (hint != 0) {
    ZSTD_outBuffer out{buf.data(), buf.size(), 0};
    hint = ZSTD_decompressStream(ctx.get(), &out, &in);
    if (ZSTD_isError(hint)) return Status::DataLoss(std::string("zstd: ") + ZSTD_getErrorName(hint));
    if (out.pos > 0) LIFEBOAT_RETURN_IF_ERROR(sink(std::string_view(buf.data(), out.pos)));
    if (out.pos == 0 && hint != 0) return Status::DataLoss("zstd: truncated frame");
  }
  if (in.pos != in.size) return Status::DataLoss("zstd: unexpected bytes after the frame");
  return Status::Ok();
}

Status DecodeGzip(std::string_view frame, const ByteSink& sink) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return Status::Internal("zlib: inflateInit2 failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
  std::string buf(kDecodeBufferSize, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(frame.data()));
  z.avail_in = static_cast<uInt>(frame.size());
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    const size_t produced = buf.size() - z.avail_out;
    if (produced > 0) LIFEBOAT_RETURN_IF_ERROR(sink(std::string_view(buf.data(), produced)));
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) {
      return Status::DataLoss(std::string("gzip: ") + (z.msg != nullptr ? z.msg : "corrupt data"));
    }
    if (z.avail_in == 0 && produced == 0) return Status::DataLoss("gzip: truncated member");
  }
  if (z.avail_in != 0) return Status::DataLoss("gzip: unexpected bytes after the member");
  return Status::Ok();
}

}  // namespace

Result<Codec> ParseCodec(std::string_view name) {
  if (name == "zstd") return Codec::kZstd;
  if (name == "gzip") return Codec::kGzip;
  if (name == "none") return Codec::kNone;
  return Status::InvalidArgument("unknown compression '" + std::string(name) +
                                 "': expected zstd, gzip or none");
}

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kZstd: return "zstd";
    case Codec::kGzip: return "gzip";
    case Codec::kNone: return "none";
  }
  return "none";
}

std::string_view CodecExtension(Codec codec) {
  switch (codec) {
    case Codec::kZstd: return ".zst";
    case Codec::kGzip: return ".gz";
    case Codec::kNone: return "";
  }
  return "";
}

std::string_view CodecContentType(Codec codec) {
  switch (codec) {
    case Codec::kZstd: return "application/zstd";
    case Codec::kGzip: return "application/gzip";
    case Codec::kNone: return "application/octet-stream";
  }
  return "application/octet-stream";
}

Codec CodecFromObjectName(std::string_view name) {
  if (name.ends_with(".zst")) return Codec::kZstd;
  if (name.ends_with(".gz")) return Codec::kGzip;
  return Codec::kNone;
}

int CodecMinLevel(Codec codec) {
  if (codec == Codec::kZstd) return ZSTD_minCLevel() < 1 ? 1 : ZSTD_minCLevel();
  return codec == Codec::kGzip ? 1 : 0;
}

int CodecMaxLevel(Codec codec) {
  if (codec == Codec::kZstd) return ZSTD_maxCLevel();
  return codec == Codec::kGzip ? 9 : 0;
}

int CodecDefaultLevel(Codec codec) {
  if (codec == Codec::kZstd) return 3;
  return codec == Codec::kGzip ? 6 : 0;
}

Result<std::unique_ptr<Encoder>> Encoder::Create(Codec codec, int level) {
  if (level < CodecMinLevel(codec) || level > CodecMaxLevel(codec)) {
    return Status::InvalidArgument(
        "compression level " + std::to_string(level) + " is out of range for " +
        std::string(CodecName(codec)) + " (" + std::to_string(CodecMinLevel(codec)) + ".." +
        std::to_string(CodecMaxLevel(codec)) + ")");
  }
  switch (codec) {
    case Codec::kZstd: return std::unique_ptr<Encoder>(std::make_unique<ZstdEncoder>(level));
    case Codec::kGzip: return std::unique_ptr<Encoder>(std::make_unique<GzipEncoder>(level));
    case Codec::kNone: return std::unique_ptr<Encoder>(std::make_unique<IdentityEncoder>());
  }
  return Status::Internal("unknown codec");
}

Result<RawDigest> DigestFrame(Codec codec, std::string_view frame) {
  RawDigest digest;
  LIFEBOAT_RETURN_IF_ERROR(DecodeFrame(codec, frame, [&](std::string_view raw) {
    digest.size += raw.size();
    digest.crc32c = Crc32cExtend(digest.crc32c, raw);
    return Status::Ok();
  }));
  return digest;
}

Status DecodeFrame(Codec codec, std::string_view frame, const ByteSink& sink) {
  switch (codec) {
    case Codec::kZstd: return DecodeZstd(frame, sink);
    case Codec::kGzip: return DecodeGzip(frame, sink);
    case Codec::kNone: return frame.empty() ? Status::Ok() : sink(frame);
  }
  return Status::Internal("unknown codec");
}

}  // namespace lifeboat
