#include "local/sqs/sqs_message.h"

#include <openssl/evp.h>

#include <cstdint>

#include "common/hash.h"
#include "local/sqs/sqs_errors.h"

namespace lifeboat {

namespace {

bool TypeIs(std::string_view data_type, std::string_view base) {
  return data_type.substr(0, base.size()) == base &&
         (data_type.size() == base.size() || data_type[base.size()] == '.');
}

void AppendLengthPrefixed(std::string* out, std::string_view bytes) {
  const auto n = static_cast<uint32_t>(bytes.size());
  out->push_back(static_cast<char>(n >> 24));
  out->push_back(static_cast<char>(n >> 16));
  out->push_back(static_cast<char>(n >> 8));
  out->push_back(static_cast<char>(n));
  out->append(bytes);
}

bool AllowedCodePoint(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

char HexDigit(uint32_t v) { return "0123456789ABCDEF"[v & 0xf]; }

bool ValidAttributeName(std::string_view name) {
  if (name.empty() || name.size() > 256 || name.front() == '.' || name.back() == '.') {
    return false;
  }
  if (name.find("..") != std::string_view::npos) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool SqsAttributeValue::binary() const { return TypeIs(data_type, "Binary"); }

std::string Md5Hex(std::string_view data) {
  unsigned char digest[16];
  EVP_Digest(data.data(), data.size(), digest, nullptr, EVP_md5(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string SqsAttributesMd5(const SqsMessageAttributes& attributes) {
  if (attributes.empty()) return "";
  std::string encoded;
  for (const auto& [name, value] : attributes) {  // std::map: sorted by name
    AppendLengthPrefixed(&encoded, name);
    AppendLengthPrefixed(&encoded, value.data_type);
    encoded.push_back(value.binary() ? 2 : 1);
    AppendLengthPrefixed(&encoded, value.value);
  }
  return Md5Hex(encoded);
}

Status ValidateSqsBody(std::string_view body) {
  size_t i = 0;
  while (i < body.size()) {
    const auto b0 = static_cast<unsigned char>(body[i]);
    uint32_t cp = 0;
    size_t len = 0;
    if (b0 < 0x80) {
      cp = b0, len = 1;
    } else if ((b0 & 0xE0) == 0xC0) {
      cp = b0 & 0x1F, len = 2;
    } else if ((b0 & 0xF0) == 0xE0) {
      cp = b0 & 0x0F, len = 3;
    } else if ((b0 & 0xF8) == 0xF0) {
      cp = b0 & 0x07, len = 4;
    }
    bool valid = len > 0 && i + len <= body.size();
    for (size_t k = 1; valid && k < len; ++k) {
      const auto b = static_cast<unsigned char>(body[i + k]);
      valid = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong forms are not UTF-8 either.
    if (valid &&
        ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))) {
      valid = false;
    }
    if (!valid) {
      return SqsError("InvalidMessageContents",
                      "Invalid binary character found in the message body: it is not UTF-8");
    }
    if (!AllowedCodePoint(cp)) {
      std::string hex;
      for (int shift = 20; shift >= 0; shift -= 4) {
        if (!hex.empty() || (cp >> shift) != 0 || shift == 0) hex.push_back(HexDigit(cp >> shift));
      }
      return SqsError("InvalidMessageContents",
                      "Invalid binary character '#x" + hex +
                          "' was found in the message body, the set of allowed characters is "
                          "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to "
                          "#x10FFFF");
    }
    i += len;
  }
  return Status::Ok();
}

Status ValidateSqsAttributes(const SqsMessageAttributes& attributes) {
  if (attributes.size() > 10) {
    return SqsError("InvalidParameterValue", "Number of message attributes [" +
                                                 std::to_string(attributes.size()) +
                                                 "] exceeds the allowed maximum [10].");
  }
  for (const auto& [name, value] : attributes) {
    if (!ValidAttributeName(name)) {
      return SqsError("InvalidParameterValue",
                      "Message (user) attribute name '" + name +
                          "' is invalid: use A-Z, a-z, 0-9, underscore, hyphen and period, "
                          "without leading, trailing or repeated periods.");
    }
    if (value.data_type.empty()) {
      return SqsError("InvalidParameterValue",
                      "The message attribute '" + name + "' must contain a non-empty DataType.");
    }
    if (!TypeIs(value.data_type, "String") && !TypeIs(value.data_type, "Number") &&
        !TypeIs(value.data_type, "Binary")) {
      return SqsError("InvalidParameterValue",
                      "The type of message (user) attribute '" + name +
                          "' is invalid. You must use only the following supported type "
                          "prefixes: Binary, Number, String.");
    }
    if (value.value.empty()) {
      return SqsError("InvalidParameterValue",
                      "The message attribute '" + name +
                          "' must contain non-empty message attribute value for message "
                          "attribute type '" +
                          value.data_type + "'.");
    }
    if (TypeIs(value.data_type, "Number")) {
      const std::string& v = value.value;
      size_t start = (v[0] == '-' || v[0] == '+') ? 1 : 0;
      bool digit = false;
      bool ok = start < v.size();
      for (size_t k = start; ok && k < v.size(); ++k) {
        if (v[k] >= '0' && v[k] <= '9') {
          digit = true;
        } else if (v[k] != '.' && v[k] != 'e' && v[k] != 'E' && v[k] != '-' && v[k] != '+') {
          ok = false;
        }
      }
      if (!ok || !digit) {
        return SqsError("InvalidParameterValue",
                        "Can't cast the value of message (user) "
                        "attribute '" +
                            name + "' to a number.");
      }
    }
    if (!value.binary()) {
      LIFEBOAT_RETURN_IF_ERROR(ValidateSqsBody(value.value));
    }
  }
  return Status::Ok();
}

size_t SqsMessageSize(std::string_view body, const SqsMessageAttributes& attributes) {
  size_t n = body.size();
  for (const auto& [name, value] : attributes) {
    n += name.size() + value.data_type.size() + value.value.size();
  }
  return n;
}

}  // namespace lifeboat
