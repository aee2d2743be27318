#include "aws/imds_credentials.h"

#include <string>

#include "aws/container_credentials.h"

namespace lifeboat {
namespace {

constexpr char kRolesPath[] = "meta-data/iam/security-credentials/";

// Failures that mean "this is not an EC2 instance with a role", as opposed to a broken one.
bool MeansNoSource(const Status& s) {
  return s.code() == StatusCode::kNotFound || s.code() == StatusCode::kUnavailable ||
         s.code() == StatusCode::kDeadlineExceeded;
}

}  // namespace

Result<Credentials> ImdsCredentialsProvider::GetCredentials() {
  auto roles = client_->Get(kRolesPath);
  if (!roles.ok()) {
    // Disabled, not on EC2, or no role (404): nothing here for a chain to use.
    if (MeansNoSource(roles.status())) return Status::NotFound(roles.status().message());
    return roles.status();
  }
  // One role per instance profile; the answer is its name, possibly followed by a newline.
  std::string role = roles->substr(0, roles->find_first_of("\r\n"));
  while (!role.empty() && (role.back() == ' ' || role.back() == '\t')) role.pop_back();
  if (role.empty()) return Status::NotFound("no IAM role is attached to this instance");

  const std::string path = std::string(kRolesPath) + role;
  LIFEBOAT_ASSIGN_OR_RETURN(std::string body, client_->Get(path));
  return ParseCredentialsDocument(
      body, "instance metadata " + client_->endpoint() + "/latest/" + path, "imds role " + role);
}

}  // namespace lifeboat
