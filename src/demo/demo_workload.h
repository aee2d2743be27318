// What the demo's instances run, as user data: a sample web application writing an nginx
// access log and a php-fpm error log (25 shutdown lines each on SIGTERM), a stand-in
// `systemctl stop php-fpm nginx` that stops it (the pre-stop command, as on Amazon Linux),
// and, for the agent design, `lifeboat agent` under a supervisor that restarts it.
//
// The application never runs a command substitution in its loop or its trap: bash 5.2 can
// abort when SIGTERM lands inside one, which would lose the shutdown lines to the demo,
// not to lifeboat.
#ifndef LIFEBOAT_DEMO_DEMO_WORKLOAD_H_
#define LIFEBOAT_DEMO_DEMO_WORKLOAD_H_

#include <string>
#include <vector>

namespace lifeboat {

inline constexpr char kAccessLog[] = "/var/log/nginx/access.log";
inline constexpr char kErrorLog[] = "/var/log/php-fpm/error.log";
inline constexpr int kShutdownLines = 25;

// The log files the application writes.
std::vector<std::string> WorkloadLogs();

// User data: the application alone (the controller and seed designs).
std::string ApplicationUserData(double lines_per_second);

// User data: the application plus `lifeboat agent` shipping to `destination`, watching IMDS
// every 200 ms, stopping the application before its last bytes. `time_scale` is lifeboat
// local's.
std::string AgentUserData(double lines_per_second, const std::string& destination,
                          double time_scale);

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_WORKLOAD_H_
