// Test fixture for the S3 service: a real temporary directory, requests built the way the
// server hands them over (lower-case header names, the query decoded into params), and a
// Restart() that opens a new service over the same directory.
#ifndef LIFEBOAT_LOCAL_S3_S3_TEST_SUPPORT_H_
#define LIFEBOAT_LOCAL_S3_S3_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/env.h"
#include "fakes/temp_dir.h"
#include "http/http_types.h"
#include "http/percent_encoding.h"
#include "local/local_service.h"
#include "local/s3/s3_service.h"

namespace lifeboat {

inline LocalRequest MakeS3Request(std::string method, std::string target, std::string body = "",
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
  LocalRequest r;
  r.method = std::move(method);
  const size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  // As the server decodes it (local_server.cc).
  r.params = ParseFormPairs(r.query, PlusIsSpace::kYes).value();
  for (auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.Add(std::move(lower), std::move(value));
  }
  r.body = std::move(body);
  r.service = "s3";
  r.region = "us-east-1";
  r.access_key = "test";
  r.host = "127.0.0.1:4566";
  return r;
}

// The text of the first <name> element in an XML body ("" when absent).
inline std::string XmlText(const std::string& xml, const std::string& name) {
  const std::string open = "<" + name + ">";
  const size_t a = xml.find(open);
  if (a == std::string::npos) return "";
  const size_t b = xml.find("</" + name + ">", a);
  return xml.substr(a + open.size(), b - a - open.size());
}

// How many <name> elements an XML body has.
inline int XmlCount(const std::string& xml, const std::string& name) {
  int n = 0;
  for (size_t at = xml.find("<" + name + ">"); at != std::string::npos;
       at = xml.find("<" + name + ">", at + 1)) {
    ++n;
  }
  return n;
}

class S3ServiceTest : public ::testing::Test {
 protected:
  using HeaderList = std::vector<std::pair<std::string, std::string>>;

  std::string Root() const { return dir_.Join("s3"); }
  void Restart() {
    service_.reset();
    service_ = NewLocalS3Service(Env::Default(), Root());
  }

  LocalResponse Call(const std::string& method, const std::string& target,
                     const std::string& body = "", HeaderList headers = {}) {
    return service_->Handle(MakeS3Request(method, target, body, std::move(headers)));
  }
  LocalResponse Put(const std::string& target, const std::string& body = "",
                    HeaderList headers = {}) {
    return Call("PUT", target, body, std::move(headers));
  }
  LocalResponse Get(const std::string& target, HeaderList headers = {}) {
    return Call("GET", target, "", std::move(headers));
  }
  void MakeBucket(const std::string& bucket) { ASSERT_EQ(Put("/" + bucket).status, 200); }
  static std::string Code(const LocalResponse& r) { return XmlText(r.body, "Code"); }
  static std::string H(const LocalResponse& r, const std::string& name) {
    return r.headers.Get(name).value_or("");
  }

  TempDir dir_;
  std::unique_ptr<LocalService> service_ = NewLocalS3Service(Env::Default(), Root());
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_S3_S3_TEST_SUPPORT_H_
