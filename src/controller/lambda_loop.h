// The controller as a Lambda custom runtime (`provided.al2023`, the lifeboat binary as
// `bootstrap`): fetch an invocation from the Runtime API, handle every lifecycle notice
// in it, answer, repeat. The payload is an EventBridge event, or an SQS or SNS trigger's
// {"Records": [...]} holding notices. Each notice gets one JSON line on stdout (CloudWatch
// Logs); the response lists the outcomes. An invocation with a notice worth another try
// (nothing could be sent before the deadline) or a payload that is not a notice answers
// with an error, so Lambda's retries (and the logs) show it.
#ifndef LIFEBOAT_CONTROLLER_LAMBDA_LOOP_H_
#define LIFEBOAT_CONTROLLER_LAMBDA_LOOP_H_

#include <string>
#include <vector>

#include "aws/lambda_runtime_client.h"
#include "common/env.h"
#include "controller/lifecycle_handler.h"

namespace lifeboat {

// The notices in an invocation payload; an error names what is not understood.
Result<std::vector<LifecycleNotice>> NoticesInPayload(std::string_view payload);

// Handles one invocation; the JSON response, or an error for ReportError.
Result<std::string> HandleInvocation(Env& env, LifecycleHandler& handler,
                                     const LambdaInvocation& invocation,
                                     std::chrono::milliseconds deadline_margin);

// Runs until the Runtime API fails (Lambda ends the sandbox otherwise).
Status RunLambdaLoop(Env& env, LambdaRuntimeClient& runtime, LifecycleHandler& handler,
                     std::chrono::milliseconds deadline_margin);

}  // namespace lifeboat

#endif  // LIFEBOAT_CONTROLLER_LAMBDA_LOOP_H_
