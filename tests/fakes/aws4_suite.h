// Test-only reader for AWS's SigV4 test suite (tests/testdata/aws4_testsuite): finds the
// cases (a directory NAME holding NAME.req, .creq, .sts, .authz, .sreq, possibly one level
// down, as in normalize-path/*) and parses the raw HTTP requests in .req and .sreq files.
#ifndef LIFEBOAT_TESTS_FAKES_AWS4_SUITE_H_
#define LIFEBOAT_TESTS_FAKES_AWS4_SUITE_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sigv4.h"
#include "http/http_types.h"

namespace lifeboat {

struct Aws4SuiteCase {
  std::string relative_dir;                 // "get-vanilla", "normalize-path/get-slash"
  std::string name;                         // "get-vanilla", "get-slash"
  std::string req, creq, sts, authz, sreq;  // file contents

  // A gtest-safe name: "normalize_path_get_slash".
  std::string TestName() const;
};

// gtest prints a case by its directory, not as bytes.
inline void PrintTo(const Aws4SuiteCase& c, std::ostream* os) { *os << c.relative_dir; }

// Every case under `root`, sorted by relative_dir. Empty if root does not exist.
std::vector<Aws4SuiteCase> DiscoverAws4SuiteCases(const std::string& root);

// A request as written in the suite's files: the request-line target is kept verbatim (it
// may hold raw spaces and UTF-8), folded header lines are joined with '\n' to the field
// they continue, and values are kept as written after the ':'.
struct RawHttpRequest {
  std::string method;
  std::string target;  // "/example space/?a=b"
  Headers headers;
  std::string body;
};

std::optional<RawHttpRequest> ParseRawHttpRequest(std::string_view text);

// The signing parameters of the S3 API Reference's worked SigV4 examples (header-based
// and presigned): examplebucket, us-east-1, 2013-05-24, the documented example keys, S3 rules.
SigningConfig S3ExampleSigningConfig();

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_AWS4_SUITE_H_
