// Document parameters at SendCommand: the values a caller passes (Parameters, a map of
// string lists) checked against the document's declarations and completed with defaults,
// then substituted into the document as the SSM agent does:
//   - a string that is exactly "{{ name }}" (spaces optional) becomes the value itself, so
//     a StringList expands into a list ("runCommand": "{{ commands }}");
//   - "{{ name }}" inside a longer string is replaced by the value's text (a list's JSON).
// Errors are InvalidParameters, as AWS sends them: an undeclared name, a required
// parameter without value, a String given several values, a value outside allowedValues
// or not matching allowedPattern, too few or too many items or characters.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_PARAMETERS_H_
#define LIFEBOAT_LOCAL_SSM_SSM_PARAMETERS_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "local/ssm/ssm_document.h"

namespace lifeboat {

// SendCommand's Parameters: {"commands": ["echo a", "echo b"], "executionTimeout": ["60"]}.
using SsmParameterValues = std::map<std::string, std::vector<std::string>>;

// Every declared parameter with its value: a string for String, a list of strings for
// StringList, a number for Integer, a boolean for Boolean, parsed JSON for StringMap and
// MapList.
Result<nlohmann::json> ResolveSsmParameters(const SsmDocument& document,
                                            const SsmParameterValues& given);

// `input` with every {{ name }} of `values` substituted (see the header comment).
nlohmann::json InterpolateSsmParameters(const nlohmann::json& input, const nlohmann::json& values);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_PARAMETERS_H_
