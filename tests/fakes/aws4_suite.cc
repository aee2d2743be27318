#include "fakes/aws4_suite.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lifeboat {

SigningConfig S3ExampleSigningConfig() {
  SigningConfig config;
  config.region = "us-east-1";
  config.service = "s3";
  config.time = std::chrono::sys_days{std::chrono::year{2013} / 5 / 24};
  config.credentials.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  config.credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  config.double_uri_encode = false;
  config.normalize_path = false;
  // On for the header examples; a presigned URL must ignore it (its published signature
  // would not match otherwise).
  config.add_content_sha256_header = true;
  return config;
}
namespace {

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::string Aws4SuiteCase::TestName() const {
  std::string out = relative_dir;
  std::replace_if(
      out.begin(), out.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return out;
}

std::vector<Aws4SuiteCase> DiscoverAws4SuiteCases(const std::string& root) {
  namespace fs = std::filesystem;
  std::vector<Aws4SuiteCase> cases;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return cases;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& path = it->path();
    if (!it->is_regular_file() || path.extension() != ".req") continue;
    fs::path dir = path.parent_path();
    if (path.stem() != dir.filename()) continue;
    Aws4SuiteCase c;
    c.name = path.stem().string();
    c.relative_dir = fs::relative(dir, root).generic_string();
    auto read = [&](const char* ext) { return ReadWholeFile(dir / (c.name + ext)); };
    c.req = read(".req");
    c.creq = read(".creq");
    c.sts = read(".sts");
    c.authz = read(".authz");
    c.sreq = read(".sreq");
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const Aws4SuiteCase& a, const Aws4SuiteCase& b) {
    return a.relative_dir < b.relative_dir;
  });
  return cases;
}

std::optional<RawHttpRequest> ParseRawHttpRequest(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  if (lines.empty()) return std::nullopt;

  // The target may hold spaces ("/example space/"): it runs from the first space to the last.
  RawHttpRequest req;
  std::string_view request_line = lines[0];
  size_t first = request_line.find(' ');
  size_t last = request_line.rfind(' ');
  if (first == std::string_view::npos || last == first) return std::nullopt;
  req.method = std::string(request_line.substr(0, first));
  req.target = std::string(request_line.substr(first + 1, last - first - 1));

  std::vector<std::pair<std::string, std::string>> fields;
  size_t i = 1;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      if (fields.empty()) return std::nullopt;
      fields.back().second += "\n" + std::string(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    fields.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  for (auto& [name, value] : fields) req.headers.Add(name, value);
  for (size_t b = i + 1; b < lines.size(); ++b) {
    if (b > i + 1) req.body += '\n';
    req.body += lines[b];
  }
  return req;
}

}  // namespace lifeboat
