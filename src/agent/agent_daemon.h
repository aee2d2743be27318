// The agent's event loop: waits on termination signals, upload completions, directory
// changes and the termination watchers, and steps the Shipper between them. A watcher's
// signal is handed to the TerminationResponder (evacuate and complete the lifecycle action,
// or flush); SIGTERM or SIGINT starts the final drain (every source to its last byte, sealed
// manifest); a second one abandons it.
#ifndef LIFEBOAT_AGENT_AGENT_DAEMON_H_
#define LIFEBOAT_AGENT_AGENT_DAEMON_H_

#include "agent/agent_config.h"
#include "aws/autoscaling_client.h"
#include "aws/imds_client.h"
#include "aws/sqs_client.h"
#include "common/env.h"
#include "common/metrics.h"
#include "ship/checkpoint_store.h"
#include "store/object_store.h"

namespace lifeboat {

// What the agent needs from AWS; each may be null when unused (not on EC2, no lifecycle
// section, no SQS queue). IMDS and Auto Scaling also describe the instance for its record.
struct AgentAwsApis {
  ImdsClient* imds = nullptr;
  AutoScalingApi* autoscaling = nullptr;
  SqsApi* sqs = nullptr;
};

// Runs until a termination signal; OK once the sealed manifest is stored. Blocks
// SIGTERM, SIGINT and SIGPIPE in the calling thread (call it before starting threads that
// should not receive them).
Status RunAgentDaemon(Env* env, ObjectStore* store, CheckpointStore* checkpoint,
                      Metrics* metrics, const AgentConfig& config, const std::string& instance_id,
                      AgentAwsApis apis = {});

// Declares the agent's metrics, so a scrape lists every counter from the start.
void DescribeAgentMetrics(Metrics& metrics);

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_AGENT_DAEMON_H_
