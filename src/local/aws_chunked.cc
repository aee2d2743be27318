#include "local/aws_chunked.h"

#include <openssl/crypto.h>

#include "common/hash.h"

namespace lifeboat {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string EmptyHash() { return HexEncode(Sha256("")); }

bool Same(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// "<hex>[;chunk-signature=<sig>]" -> size and signature.
Status ParseChunkHeader(std::string_view line, uint64_t& size, std::string& signature) {
  const auto semi = line.find(';');
  const std::string_view hex = line.substr(0, semi);
  if (hex.empty() || hex.size() > 15) return Status::InvalidArgument("aws-chunked: bad chunk size");
  size = 0;
  for (char c : hex) {
    const int v = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (v < 0) return Status::InvalidArgument("aws-chunked: bad chunk size");
    size = size * 16 + static_cast<uint64_t>(v);
  }
  signature.clear();
  if (semi != std::string_view::npos) {
    constexpr std::string_view kKey = "chunk-signature=";
    const std::string_view ext = line.substr(semi + 1);
    if (ext.rfind(kKey, 0) != 0) return Status::InvalidArgument("aws-chunked: bad chunk extension");
    signature = std::string(ext.substr(kKey.size()));
  }
  return Status::Ok();
}

std::string ChainedSignature(const ChunkSigning& s, std::string_view kind,
                             const std::string& previous, std::string_view hashed) {
  const std::string string_to_sign = std::string(kind) + "\n" + AmzDate(s.config.time) + "\n" +
                                     CredentialScope(s.config) + "\n" + previous + "\n" +
                                     std::string(hashed);
  return ComputeSignature(string_to_sign, s.config);
}

}  // namespace

bool IsAwsChunked(const Headers& headers) {
  const std::string sha = headers.Get("x-amz-content-sha256").value_or("");
  if (sha.rfind("STREAMING-", 0) == 0) return true;
  return headers.Get("content-encoding").value_or("").find("aws-chunked") != std::string::npos;
}

Result<DecodedChunkedBody> DecodeAwsChunked(std::string_view body, const ChunkSigning* signing) {
  DecodedChunkedBody out;
  std::string previous = signing ? signing->seed_signature : "";
  size_t pos = 0;
  auto next_line = [&](std::string_view& line) -> bool {
    const size_t end = body.find(kCrlf, pos);
    if (end == std::string_view::npos) return false;
    line = body.substr(pos, end - pos);
    pos = end + kCrlf.size();
    return true;
  };
  for (;;) {
    std::string_view line;
    if (!next_line(line)) return Status::InvalidArgument("aws-chunked: truncated body");
    uint64_t size = 0;
    std::string signature;
    LIFEBOAT_RETURN_IF_ERROR(ParseChunkHeader(line, size, signature));
    if (size > body.size() - pos) return Status::InvalidArgument("aws-chunked: truncated chunk");
    const std::string_view data = body.substr(pos, static_cast<size_t>(size));
    if (signing != nullptr && !signature.empty()) {
      const std::string expected = ChainedSignature(*signing, "AWS4-HMAC-SHA256-PAYLOAD", previous,
                                                    EmptyHash() + "\n" + HexEncode(Sha256(data)));
      if (!Same(expected, signature)) {
        return Status::Unauthenticated("aws-chunked: chunk signature does not match");
      }
      previous = signature;
    } else if (signing != nullptr && signature.empty()) {
      return Status::Unauthenticated("aws-chunked: a chunk has no signature");
    }
    out.data.append(data);
    pos += static_cast<size_t>(size);
    if (size == 0) break;
    if (body.substr(pos, kCrlf.size()) != kCrlf) return Status::InvalidArgument("aws-chunked: missing CRLF after chunk");
    pos += kCrlf.size();
  }
  // Trailers, one per line, until an empty line (or the end of the body).
  std::string trailer_text;
  std::string trailer_signature;
  for (std::string_view line; pos < body.size() && next_line(line) && !line.empty();) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return Status::InvalidArgument("aws-chunked: bad trailer");
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value(line.substr(colon + 1));
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "x-amz-trailer-signature") {
      trailer_signature = value;
      continue;
    }
    trailer_text += name + ":" + value + "\n";
    out.trailers.Add(std::move(name), std::move(value));
  }
  if (signing != nullptr && !trailer_signature.empty()) {
    const std::string expected = ChainedSignature(*signing, "AWS4-HMAC-SHA256-TRAILER", previous,
                                                  HexEncode(Sha256(trailer_text)));
    if (!Same(expected, trailer_signature)) {
      return Status::Unauthenticated("aws-chunked: trailer signature does not match");
    }
  }
  return out;
}

}  // namespace lifeboat
