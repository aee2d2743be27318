#include "aws/sigv4.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "common/hash.h"
#include "fakes/aws4_suite.h"

namespace lifeboat {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

// The suite's files, as AWS publishes them: 34 cases, two of them under post-sts-token/
// and eight under normalize-path/. Checked so the parameterised test cannot pass by
// finding nothing.
constexpr size_t kAws4SuiteCaseCount = 34;

std::string TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Header fields as an HTTP peer sees them: lower-cased names, values without surrounding
// whitespace, in a stable order, so two requests compare as sets of fields.
std::vector<std::pair<std::string, std::string>> FieldSet(const Headers& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    out.emplace_back(lower, TrimOws(value));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::string RequestTarget(const std::string& url_text) {
  auto url = ParseUrl(url_text);
  if (!url) return "<bad url>";
  return url->path + (url->query.empty() ? "" : "?" + url->query);
}

class Aws4SuiteTest : public testing::TestWithParam<Aws4SuiteCase> {};

TEST(Aws4SuiteDiscoveryTest, FindsTheWholeSuite) {
  auto cases = DiscoverAws4SuiteCases(LIFEBOAT_AWS4_TESTSUITE_DIR);
  EXPECT_EQ(cases.size(), kAws4SuiteCaseCount);
  auto has = [&](std::string_view dir) {
    return std::any_of(cases.begin(), cases.end(),
                       [&](const auto& c) { return c.relative_dir == dir; });
  };
  EXPECT_TRUE(has("get-vanilla"));
  EXPECT_TRUE(has("normalize-path/get-space"));
  EXPECT_TRUE(has("post-sts-token/post-sts-header-after"));
  for (const auto& c : cases) {
    EXPECT_FALSE(c.creq.empty() || c.sts.empty() || c.authz.empty() || c.sreq.empty())
        << c.relative_dir;
  }
}

TEST_P(Aws4SuiteTest, EveryStageMatchesTheSuiteFiles) {
  const Aws4SuiteCase& c = GetParam();
  auto req = ParseRawHttpRequest(c.req);
  auto sreq = ParseRawHttpRequest(c.sreq);
  ASSERT_TRUE(req && sreq) << c.relative_dir;

  SigningConfig config;
  config.region = "us-east-1";
  config.service = "service";
  config.time = sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;
  config.credentials.access_key_id = "AKIDEXAMPLE";
  config.credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  // The token the case expects the signer to have (get-vanilla-with-session-token and the
  // post-sts-token cases); per post-sts-token/readme.txt, "after" adds it after signing.
  config.credentials.session_token = sreq->headers.Get("X-Amz-Security-Token").value_or("");
  config.sign_session_token = c.name != "post-sts-header-after";

  HttpRequest request;
  request.method = req->method;
  request.url = "https://" + TrimOws(req->headers.Get("Host").value_or("")) + req->target;
  request.headers = req->headers;
  request.body = req->body;

  auto signed_request = SignRequest(request, config);
  ASSERT_TRUE(signed_request.ok()) << signed_request.status().ToString();

  // Stage by stage, each fed the suite's own output of the stage before.
  auto canonical = BuildCanonicalRequest(*signed_request, config);
  ASSERT_TRUE(canonical.ok()) << canonical.status().ToString();
  EXPECT_EQ(canonical->text, c.creq);
  EXPECT_EQ(BuildStringToSign(c.creq, config), c.sts);
  std::string signature = ComputeSignature(c.sts, config);
  EXPECT_EQ("Signature=" + signature, c.authz.substr(c.authz.rfind("Signature=")));
  EXPECT_EQ(signed_request->headers.Get("Authorization").value_or(""), c.authz);

  // The signed request as it would go out.
  EXPECT_EQ(signed_request->method, sreq->method);
  EXPECT_EQ(RequestTarget(signed_request->url), sreq->target);
  EXPECT_EQ(signed_request->body, sreq->body);
  Headers expected = sreq->headers;
  Headers actual = signed_request->headers;
  if (c.name == "get-vanilla-with-session-token") {
    // Erratum in AWS's suite: this .sreq carries get-vanilla's Authorization line, which
    // contradicts its own .authz (checked above) and .sts.
    expected.Remove("Authorization");
    actual.Remove("Authorization");
  }
  EXPECT_EQ(FieldSet(actual), FieldSet(expected));
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, Aws4SuiteTest,
                         testing::ValuesIn(DiscoverAws4SuiteCases(LIFEBOAT_AWS4_TESTSUITE_DIR)),
                         [](const testing::TestParamInfo<Aws4SuiteCase>& info) {
                           return info.param.TestName();
                         });

struct S3DocExample {
  std::string name;
  std::string method;
  std::string url;
  Headers headers;
  std::string body;
  std::string canonical_request;
  std::string canonical_request_hash;
  std::string signature;
};

constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::vector<S3DocExample> S3DocExamples() {
  const std::string empty = kEmptyHash;
  const std::string put_hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
  return {
      {"GetObject",
       "GET",
       "https://examplebucket.s3.amazonaws.com/test.txt",
       {{"Range", "bytes=0-9"}},
       "",
       "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
       "x-amz-content-sha256:" +
           empty +
           "\nx-amz-date:20130524T000000Z\n\n"
           "host;range;x-amz-content-sha256;x-amz-date\n" +
           empty,
       "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
      // The key "test$file.text" goes on the wire encoded, and S3 signs it as sent.
      {"PutObject",
       "PUT",
       "https://examplebucket.s3.amazonaws.com/test%24file.text",
       {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
       "Welcome to Amazon S3.",
       "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"
       "host:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
           put_hash +
           "\n"
           "x-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
           "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
           put_hash,
       "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
       "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
      {"GetBucketLifecycle",
       "GET",
       "https://examplebucket.s3.amazonaws.com/?lifecycle",
       {},
       "",
       "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" + empty +
           "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" + empty,
       "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
       "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
      {"ListObjects",
       "GET",
       "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
       {},
       "",
       "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
           empty + "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" +
           empty,
       "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
  };
}

void PrintTo(const S3DocExample& example, std::ostream* os) { *os << example.name; }

class S3DocExampleTest : public testing::TestWithParam<S3DocExample> {};

TEST_P(S3DocExampleTest, MatchesThePublishedCanonicalRequestAndSignature) {
  const S3DocExample& example = GetParam();
  SigningConfig config = S3ExampleSigningConfig();
  HttpRequest request{example.method, example.url, example.headers, example.body};

  auto signed_request = SignRequest(request, config);
  ASSERT_TRUE(signed_request.ok()) << signed_request.status().ToString();
  auto canonical = BuildCanonicalRequest(*signed_request, config);
  ASSERT_TRUE(canonical.ok()) << canonical.status().ToString();
  EXPECT_EQ(canonical->text, example.canonical_request);
  std::string sts = BuildStringToSign(canonical->text, config);
  EXPECT_EQ(sts, "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" +
                     example.canonical_request_hash);
  EXPECT_EQ(ComputeSignature(sts, config), example.signature);
  EXPECT_EQ(signed_request->headers.Get("Authorization").value_or(""),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=" +
                canonical->signed_headers + ", Signature=" + example.signature);
  EXPECT_EQ(signed_request->headers.Get("x-amz-content-sha256"), Sha256Hex(example.body));
  EXPECT_EQ(signed_request->headers.Get("Host"), "examplebucket.s3.amazonaws.com");
}

INSTANTIATE_TEST_SUITE_P(S3Reference, S3DocExampleTest, testing::ValuesIn(S3DocExamples()),
                         [](const testing::TestParamInfo<S3DocExample>& info) {
                           return info.param.name;
                         });

// Edge cases beyond the suite. A small config for a service other than S3.
SigningConfig ServiceConfig() {
  SigningConfig config;
  config.region = "eu-west-1";
  config.service = "autoscaling";
  config.time = sys_days{std::chrono::year{2024} / 2 / 29} + 23h + 59min + 58s;
  config.credentials.access_key_id = "AKID";
  config.credentials.secret_access_key = "SECRET";
  return config;
}

HttpRequest Get(std::string url, Headers headers = {}) {
  HttpRequest request;
  request.url = std::move(url);
  request.headers = std::move(headers);
  if (!request.headers.Has("Host")) request.headers.Add("Host", ParseUrl(request.url)->Authority());
  return request;
}

// Line `index` (0-based) of a canonical request: 1 is the path, 2 the query.
std::string Line(const std::string& text, int index) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) start = text.find('\n', start) + 1;
  return text.substr(start, text.find('\n', start) - start);
}

std::string CanonicalPathOf(const std::string& url, const SigningConfig& config) {
  auto canonical = BuildCanonicalRequest(Get(url), config);
  return canonical.ok() ? Line(canonical->text, 1) : "<" + canonical.status().ToString() + ">";
}

std::string CanonicalQueryOf(const std::string& url) {
  auto canonical = BuildCanonicalRequest(Get(url), ServiceConfig());
  return canonical.ok() ? Line(canonical->text, 2) : "<" + canonical.status().ToString() + ">";
}

TEST(SigV4Test, AmzDateAndScopeUseUtcCalendarFields) {
  SigningConfig config = ServiceConfig();
  EXPECT_EQ(AmzDate(config.time), "20240229T235958Z");
  EXPECT_EQ(CredentialScope(config), "20240229/eu-west-1/autoscaling/aws4_request");
  // Sub-second parts are dropped, not rounded into the next second.
  EXPECT_EQ(AmzDate(config.time + 1999ms), "20240229T235959Z");
}

TEST(SigV4Test, S3KeysAreSignedExactlyAsSent) {
  // A key with a space, '+', '=', '~', UTF-8 and doubled or dotted segments, encoded the
  // way the S3 client puts it on the wire.
  const std::string url = "https://b.s3.amazonaws.com/logs//a%20b%2Bc%3Dd~/./%E1%88%B4/../x.zst";
  EXPECT_EQ(CanonicalPathOf(url, S3ExampleSigningConfig()), "/logs//a%20b%2Bc%3Dd~/./%E1%88%B4/../x.zst");
}

TEST(SigV4Test, OtherServicesNormaliseThenEncodeTheWirePathAgain) {
  const std::string url = "https://b.example.com/logs//a%20b%2Bc%3Dd~/./%E1%88%B4/../x.zst";
  EXPECT_EQ(CanonicalPathOf(url, ServiceConfig()), "/logs/a%2520b%252Bc%253Dd~/x.zst");
  EXPECT_EQ(CanonicalPathOf("https://b.example.com", ServiceConfig()), "/");
  EXPECT_EQ(CanonicalPathOf("https://b.example.com/a/b/..", ServiceConfig()), "/a");
  EXPECT_EQ(CanonicalPathOf("https://b.example.com/../..//", ServiceConfig()), "/");
}

TEST(SigV4Test, QueryValuesAreDecodedThenStrictlyEncoded) {
  EXPECT_EQ(CanonicalQueryOf("https://h.example.com/?b=c/d&a=x=y&c=1+2&d=%2f&e=%7E"),
            "a=x%3Dy&b=c%2Fd&c=1%2B2&d=%2F&e=~");
  EXPECT_EQ(CanonicalQueryOf("https://h.example.com/?k=a%20b&sp=a b"), "k=a%20b&sp=a%20b");
}

TEST(SigV4Test, EmptyQueryValuesSignAsKeyEquals) {
  EXPECT_EQ(CanonicalQueryOf("https://h.example.com/?uploads&prefix="), "prefix=&uploads=");
  EXPECT_EQ(CanonicalQueryOf("https://h.example.com/?a&&b=1&"), "a=&b=1");
}

TEST(SigV4Test, RepeatedQueryKeysAreSortedByValue) {
  EXPECT_EQ(CanonicalQueryOf("https://h.example.com/?k=b&z=0&k=a&k=B"), "k=B&k=a&k=b&z=0");
}

TEST(SigV4Test, MalformedQueryEscapeIsInvalidArgument) {
  auto canonical = BuildCanonicalRequest(Get("https://h.example.com/?a=%zz"), ServiceConfig());
  ASSERT_FALSE(canonical.ok());
  EXPECT_EQ(canonical.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(canonical.status().message(), testing::HasSubstr("https://h.example.com/?a=%zz"));
}

TEST(SigV4Test, HeaderValuesCollapseTabsAndFoldedLines) {
  auto canonical = BuildCanonicalRequest(
      Get("https://h.example.com/", {{"X-A", "  one\t\ttwo \r\n   three  "}, {"x-a", "\tfour"}}),
      ServiceConfig());
  ASSERT_TRUE(canonical.ok());
  EXPECT_THAT(canonical->text, testing::HasSubstr("\nx-a:one two three,four\n"));
  EXPECT_EQ(canonical->signed_headers, "host;x-a");
}

TEST(SigV4Test, HeadersThatProxiesRewriteAreNotSigned) {
  auto canonical =
      BuildCanonicalRequest(Get("https://h.example.com/", {{"User-Agent", "lifeboat"},
                                                           {"Authorization", "old"},
                                                           {"Expect", "100-continue"},
                                                           {"X-Amzn-Trace-Id", "t"},
                                                           {"Content-Type", "text/plain"}}),
                            ServiceConfig());
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(canonical->signed_headers, "content-type;host");
}

TEST(SigV4Test, CanonicalRequestNeedsAHost) {
  HttpRequest request;
  request.url = "https://h.example.com/";
  auto canonical = BuildCanonicalRequest(request, ServiceConfig());
  EXPECT_EQ(canonical.status().code(), StatusCode::kInvalidArgument);
}

TEST(SigV4Test, SignRequestAddsAndSignsTheSessionToken) {
  SigningConfig config = ServiceConfig();
  config.credentials.session_token = "FwoG/token+with=chars";
  auto signed_request = SignRequest(Get("https://h.example.com/"), config);
  ASSERT_TRUE(signed_request.ok());
  EXPECT_EQ(signed_request->headers.Get("X-Amz-Security-Token"), "FwoG/token+with=chars");
  EXPECT_THAT(signed_request->headers.Get("Authorization").value_or(""),
              testing::HasSubstr("SignedHeaders=host;x-amz-date;x-amz-security-token,"));

  config.sign_session_token = false;
  auto after = SignRequest(Get("https://h.example.com/"), config);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->headers.Get("X-Amz-Security-Token"), "FwoG/token+with=chars");
  EXPECT_THAT(after->headers.Get("Authorization").value_or(""),
              testing::HasSubstr("SignedHeaders=host;x-amz-date,"));
}

TEST(SigV4Test, SignRequestAddsTheHostLibcurlWouldSend) {
  SigningConfig config = ServiceConfig();
  auto sign = [&](std::string url, Headers headers = {}) {
    HttpRequest request;
    request.url = std::move(url);
    request.headers = std::move(headers);
    auto signed_request = SignRequest(request, config);
    return signed_request.ok() ? signed_request->headers.Get("Host").value_or("<none>")
                               : signed_request.status().ToString();
  };
  EXPECT_EQ(sign("https://h.example.com:8443/x"), "h.example.com:8443");
  EXPECT_EQ(sign("https://h.example.com:443/x"), "h.example.com");
  EXPECT_EQ(sign("http://127.0.0.1:80/x"), "127.0.0.1");
  EXPECT_EQ(sign("http://127.0.0.1:9000/x"), "127.0.0.1:9000");
  EXPECT_EQ(sign("http://[::1]:9000/x"), "[::1]:9000");
  EXPECT_EQ(sign("http://127.0.0.1:9000/x", {{"host", "bucket.localhost"}}), "bucket.localhost");
}

TEST(SigV4Test, ResigningReplacesTheAuthorizationAndDate) {
  SigningConfig config = ServiceConfig();
  auto first = SignRequest(Get("https://h.example.com/"), config);
  ASSERT_TRUE(first.ok());
  config.time += 1h;
  auto second = SignRequest(*first, config);
  ASSERT_TRUE(second.ok());
  int authorizations = 0;
  for (const auto& [name, value] : second->headers)
    authorizations += EqualsIgnoreCase(name, "Authorization");
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(second->headers.Get("X-Amz-Date"), "20240301T005958Z");
  EXPECT_NE(second->headers.Get("Authorization"), first->headers.Get("Authorization"));
  auto fresh = SignRequest(Get("https://h.example.com/"), config);
  EXPECT_EQ(second->headers.Get("Authorization"), fresh->headers.Get("Authorization"));
}

TEST(SigV4Test, S3UnsignedPayloadTravelsInTheContentHashHeader) {
  SigningConfig config = S3ExampleSigningConfig();
  config.payload_hash = std::string(kUnsignedPayload);
  HttpRequest request = Get("https://examplebucket.s3.amazonaws.com/k");
  request.method = "PUT";
  request.body = "data";
  auto signed_request = SignRequest(request, config);
  ASSERT_TRUE(signed_request.ok());
  EXPECT_EQ(signed_request->headers.Get("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  auto canonical = BuildCanonicalRequest(*signed_request, config);
  ASSERT_TRUE(canonical.ok());
  EXPECT_TRUE(canonical->text.ends_with("\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"))
      << canonical->text;
}

TEST(SigV4Test, SigningWithoutCredentialsIsUnauthenticated) {
  SigningConfig config = ServiceConfig();
  config.credentials = {};
  auto signed_request = SignRequest(Get("https://h.example.com/"), config);
  EXPECT_EQ(signed_request.status().code(), StatusCode::kUnauthenticated);
}

TEST(SigV4Test, RelativeUrlIsInvalidArgument) {
  HttpRequest request;
  request.url = "/just/a/path";
  auto signed_request = SignRequest(request, ServiceConfig());
  EXPECT_EQ(signed_request.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(signed_request.status().message(), testing::HasSubstr("/just/a/path"));
}

}  // namespace
}  // namespace lifeboat
