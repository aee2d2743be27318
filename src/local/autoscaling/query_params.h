// QueryParams: the parameters of a Query-protocol request (EC2, Auto Scaling), from the
// form-encoded POST body and the URL query, with the accessors both protocols need:
// Auto Scaling's lists are "Name.member.N", EC2's "Name.N"; structures are "A.B".
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_QUERY_PARAMS_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_QUERY_PARAMS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "local/local_service.h"

namespace lifeboat {

class QueryParams {
 public:
  QueryParams() = default;
  explicit QueryParams(const std::vector<std::pair<std::string, std::string>>& pairs);
  // request.params, then the body's parameters when it is form-encoded (a body value
  // replaces a query value of the same name). A body that does not decode is
  // kInvalidArgument with the service code InvalidQueryParameter, naming the parameter.
  static Result<QueryParams> FromRequest(const LocalRequest& request);

  bool Has(std::string_view name) const;
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, const std::string& fallback = "") const;
  // A ValidationError-style error is the caller's: these return kInvalidArgument with a
  // message naming the parameter when the value is not a number / boolean.
  Result<std::optional<int>> Int(std::string_view name) const;
  Result<std::optional<bool>> Bool(std::string_view name) const;
  // The values of "<prefix>.1", "<prefix>.2", ... in index order.
  std::vector<std::string> List(std::string_view prefix) const;
  // The indices N for which some "<prefix>.N" or "<prefix>.N.*" exists, ascending.
  std::vector<int> Indices(std::string_view prefix) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_QUERY_PARAMS_H_
