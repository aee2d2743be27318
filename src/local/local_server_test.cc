// LocalServer::Dispatch without sockets: the query string is decoded once, for every
// service, and one that does not decode is a 400 in the protocol of the service it was
// signed for, before any service sees it.
#include "local/local_server.h"

#include <gtest/gtest.h>

#include <cctype>
#include <pugixml.hpp>

#include "aws/sigv4.h"
#include "fakes/mem_env.h"
#include "http/percent_encoding.h"

namespace lifeboat {
namespace {

// The text of the first <name> element of an XML error body.
std::string XmlField(const std::string& body, const std::string& name) {
  pugi::xml_document doc;
  if (!doc.load_string(body.c_str())) return "<not XML>";
  return doc.select_node(("//" + name).c_str()).node().child_value();
}

class RecordingService : public LocalService {
 public:
  LocalResponse Handle(const LocalRequest& request) override {
    seen.push_back(request);
    return {200, {}, "handled"};
  }
  std::vector<LocalRequest> seen;
};

class LocalServerDispatchTest : public ::testing::Test {
 protected:
  LocalServerDispatchTest() {
    server_.AddService("s3", &s3_);
    server_.AddService("sqs", &sqs_);
    server_.SetControl(&control_);
  }

  // `url` signed by lifeboat's own signer, then taken apart as the server receives it.
  RawRequest Signed(const std::string& service, const std::string& url) {
    SigningConfig config;
    config.region = "us-east-1";
    config.service = service;
    config.time = env_.Now();
    config.credentials.access_key_id = "test";
    config.credentials.secret_access_key = "test";
    const bool s3 = service == "s3";
    config.double_uri_encode = !s3;
    config.normalize_path = !s3;
    config.add_content_sha256_header = s3;
    auto signed_request = SignRequest({"GET", url, {}, ""}, config);
    EXPECT_TRUE(signed_request.ok()) << signed_request.status().message();
    RawRequest raw;
    raw.method = "GET";
    const std::string target = url.substr(url.find('/', url.find("//") + 2));
    const size_t q = target.find('?');
    raw.path = target.substr(0, q);
    raw.query = q == std::string::npos ? "" : target.substr(q + 1);
    for (const auto& [k, v] : signed_request->headers) {
      std::string lower = k;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      raw.headers.Add(lower, v);
    }
    return raw;
  }

  MemEnv env_;
  LocalServer server_{&env_, LocalServerOptions{}};
  RecordingService s3_, sqs_, control_;
};

TEST_F(LocalServerDispatchTest, TheServiceGetsTheQueryDecodedInOrder) {
  LocalResponse r = server_.Dispatch(
      Signed("s3", "http://127.0.0.1:4566/bucket?list-type=2&prefix=a+b%2Bc&prefix=%C3%A9&fetch"));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(s3_.seen.size(), 1u);
  EXPECT_EQ(
      s3_.seen[0].params,
      (FormPairs{{"list-type", "2"}, {"prefix", "a b+c"}, {"prefix", "\xC3\xA9"}, {"fetch", ""}}));
}

TEST_F(LocalServerDispatchTest, AnS3QueryThatDoesNotDecodeIsAnInvalidUri) {
  RawRequest request = Signed("s3", "http://127.0.0.1:4566/bucket?list-type=2");
  // Added after signing, so the signature no longer matches either: the 400 comes first,
  // as a signature cannot be checked against a query that does not decode.
  request.query += "&prefix=100%";
  LocalResponse r = server_.Dispatch(request);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(XmlField(r.body, "Code"), "InvalidURI") << r.body;
  EXPECT_NE(XmlField(r.body, "Message").find("parameter 'prefix'"), std::string::npos) << r.body;
  EXPECT_TRUE(s3_.seen.empty());
}

TEST_F(LocalServerDispatchTest, AQueryServiceAnswersInvalidQueryParameter) {
  RawRequest request = Signed("sqs", "http://127.0.0.1:4566/?Action=ListQueues");
  request.query += "&QueueNamePrefix=a%zz";
  LocalResponse r = server_.Dispatch(request);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(XmlField(r.body, "ErrorResponse/Error/Code"), "InvalidQueryParameter") << r.body;
  EXPECT_NE(XmlField(r.body, "Message").find("parameter 'QueueNamePrefix'"), std::string::npos)
      << r.body;
  EXPECT_TRUE(sqs_.seen.empty());
}

TEST_F(LocalServerDispatchTest, TheControlPathsDecodeTheirQueryTheSameWay) {
  LocalResponse ok = server_.Dispatch({"POST", "/_lifeboat/instances", "count=2&note=a+b", {}, ""});
  ASSERT_EQ(ok.status, 200);
  ASSERT_EQ(control_.seen.size(), 1u);
  EXPECT_EQ(control_.seen[0].params, (FormPairs{{"count", "2"}, {"note", "a b"}}));

  LocalResponse bad = server_.Dispatch({"POST", "/_lifeboat/instances", "count=%2", {}, ""});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("parameter 'count'"), std::string::npos) << bad.body;
  EXPECT_EQ(control_.seen.size(), 1u);
}

}  // namespace
}  // namespace lifeboat
