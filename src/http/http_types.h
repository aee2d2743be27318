// HTTP requests and responses as plain values: built, signed and inspected without a
// network, then handed to an HttpClient.
#ifndef LIFEBOAT_HTTP_HTTP_TYPES_H_
#define LIFEBOAT_HTTP_HTTP_TYPES_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lifeboat {

// Header fields in the order they were added; names compare case-insensitively.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields) : fields_(fields) {}

  // The first value of `name`, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // Replaces every field called `name` with one field.
  void Set(std::string name, std::string value);
  // Adds a field, keeping any of the same name.
  void Add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  void Remove(std::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path[?query], already percent-encoded
  Headers headers;
  std::string body;
  // Whole-request limit; zero means the client's default.
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// The parts of an absolute URL. Port is empty when the URL gives none.
struct Url {
  std::string scheme;
  std::string host;
  std::string port;
  std::string path;   // starts with '/', still percent-encoded
  std::string query;  // without '?', still percent-encoded

  // host[:port], as the Host header wants it (default ports omitted).
  std::string Authority() const;
  std::string ToString() const;
};

// Parses scheme://host[:port][/path][?query]; nullopt when it is not an absolute URL.
std::optional<Url> ParseUrl(std::string_view text);

}  // namespace lifeboat

#endif  // LIFEBOAT_HTTP_HTTP_TYPES_H_
