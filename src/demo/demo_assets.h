// The files `lifeboat demo` deploys, compiled into the binary (CMake embeds them from the
// source tree), so that the demo needs nothing but the lifeboat executable:
//   deploy/ssm/lifeboat-evacuate.json   lifeboat's Run Command document
//   examples/seed/document.json         the seed's `log-upload` document (BUCKET_NAME inside)
//   examples/seed/lambda_function.py    the seed's Python function
#ifndef LIFEBOAT_DEMO_DEMO_ASSETS_H_
#define LIFEBOAT_DEMO_DEMO_ASSETS_H_

#include <string_view>

namespace lifeboat {

std::string_view LifeboatEvacuateDocument();
std::string_view SeedDocument();
std::string_view SeedLambdaFunction();

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_ASSETS_H_
