#include "demo/demo_workload.h"

#include <fmt/format.h>

namespace lifeboat {
namespace {

// {rate} and {shutdown} are filled in; everything else is bash.
constexpr char kApplication[] = R"(#!/bin/bash
# lifeboat demo: a sample web application (nginx + php-fpm in one stand-in process).
mkdir -p /var/log/nginx /var/log/php-fpm
cat > /tmp/stop-app <<'STOP'
#!/bin/bash
pid=$(cat /tmp/app.pid 2>/dev/null) || exit 0
kill -TERM "$pid" 2>/dev/null
while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
STOP
chmod +x /tmp/stop-app
# `systemctl stop php-fpm nginx`, as the pre-stop command runs it on Amazon Linux.
cat > "$LIFEBOAT_INSTANCE_ROOT/bin/systemctl" <<'STOP'
#!/bin/bash
[ "$1" = stop ] && exec /tmp/stop-app
echo "systemctl stand-in: only stop" >&2
exit 1
STOP
chmod +x "$LIFEBOAT_INSTANCE_ROOT/bin/systemctl"
setsid bash -c '
  access=/var/log/nginx/access.log
  errors=/var/log/php-fpm/error.log
  trap "for i in {1..{shutdown}}; do
          printf \"[%(%d-%b-%Y %H:%M:%S)T] NOTICE: [pool www] shutdown line %d of {shutdown}\n\" -1 \$i >> \$errors
          printf \"127.0.0.1 - - [%(%d/%b/%Y:%H:%M:%S +0000)T] \\\"GET /health HTTP/1.1\\\" 503 0 \\\"-\\\" \\\"shutdown %d\\\"\n\" -1 \$i >> \$access
        done; exit 0" TERM
  pages=(/ /cart /checkout /search?q=lifeboat /product/42 /login /static/app.js)
  n=0
  while true; do
    n=$((n + 1))
    page=${pages[$((n % 7))]}
    status=200; [ $((n % 23)) -eq 0 ] && status=502
    printf "10.0.%d.%d - - [%(%d/%b/%Y:%H:%M:%S +0000)T] \"GET %s HTTP/1.1\" %d %d \"-\" \"Mozilla/5.0\" rt=0.%03d\n" $((n % 250)) $((n % 200)) -1 "$page" $status $((512 + n % 4096)) $((n % 1000)) >> $access
    if [ $status -ne 200 ]; then
      printf "[%(%d-%b-%Y %H:%M:%S)T] WARNING: [pool www] child %d said into stderr: \"upstream timed out on request %d\"\n" -1 $$ $n >> $errors
    fi
    sleep {interval}
  done' >/dev/null 2>&1 < /dev/null &
echo $! > /tmp/app.pid
)";

// {destination}, {time_scale}.
constexpr char kAgent[] = R"(
cat > /tmp/agent.yaml <<YAML
destination: {destination}
instance_id: auto
sources: [{{path: /var/log/nginx/*.log}}, {{path: /var/log/php-fpm/*.log}}]
state_dir: $LIFEBOAT_INSTANCE_ROOT/state
flush: {{max_age: 1s}}
manifest_interval: 1s
lifecycle:
  watch: {{imds_interval: 200ms}}
  pre_stop: ['systemctl stop php-fpm nginx']
  time_scale: {time_scale}
YAML
setsid bash -c 'while true; do
  lifeboat agent --config /tmp/agent.yaml >> /var/log/lifeboat-agent.log 2>&1 && break
  sleep 0.2
done' >/dev/null 2>&1 < /dev/null &
)";

std::string Replace(std::string text, const std::string& name, const std::string& value) {
  for (size_t pos = text.find(name); pos != std::string::npos;
       pos = text.find(name, pos + value.size())) {
    text.replace(pos, name.size(), value);
  }
  return text;
}

}  // namespace

std::vector<std::string> WorkloadLogs() { return {kAccessLog, kErrorLog}; }

std::string ApplicationUserData(double lines_per_second) {
  std::string script = kApplication;
  script = Replace(script, "{shutdown}", std::to_string(kShutdownLines));
  return Replace(script, "{interval}", fmt::format("{:.3f}", 1.0 / lines_per_second));
}

std::string AgentUserData(double lines_per_second, const std::string& destination,
                          double time_scale) {
  return ApplicationUserData(lines_per_second) +
         fmt::format(kAgent, fmt::arg("destination", destination),
                     fmt::arg("time_scale", fmt::format("{:g}", time_scale)));
}

}  // namespace lifeboat
