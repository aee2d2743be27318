"""A scale-in on `lifeboat local`: a group of instances running a stand-in web application
that logs continuously (and a tail of lines while it shuts down), the clock of every
instance's lifecycle as the group reports it, and what ended up in the store.

Used by the scale-in tests (agent mode, controller mode, the seed's design) and by
bench/scalein.
"""
import base64
import json
import os
import subprocess
import threading
import time
import urllib.request

from harness import LIFEBOAT, run, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../.."))
APP_LOG = "/var/log/php-fpm/error.log"
SHUTDOWN_LINES = 25

# The stand-in php-fpm: a line every `interval` s; on SIGTERM it writes its shutdown lines
# and exits. `systemctl stop php-fpm` (a stand-in systemctl first on the instance's PATH)
# stops it and waits until it is gone: the pre-stop command, as on Amazon Linux.
APP_USER_DATA = r"""#!/bin/bash
mkdir -p /var/log/php-fpm
cat > /tmp/stop-app <<'STOP'
#!/bin/bash
pid=$(cat /tmp/app.pid 2>/dev/null) || exit 0
kill -TERM "$pid" 2>/dev/null
while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
STOP
chmod +x /tmp/stop-app
cat > "$LIFEBOAT_INSTANCE_ROOT/bin/systemctl" <<'STOP'
#!/bin/bash
[ "$1" = stop ] && [ "$2" = php-fpm ] && exec /tmp/stop-app
echo "systemctl stand-in: only 'stop php-fpm' is known" >&2
exit 1
STOP
chmod +x "$LIFEBOAT_INSTANCE_ROOT/bin/systemctl"
# No command substitution in the loop or the trap: bash 5.2 can abort when SIGTERM lands
# inside one, and the shutdown lines would be lost to the test harness, not to lifeboat.
setsid bash -c '
  log=/var/log/php-fpm/error.log
  trap "for i in {1..{shutdown}}; do printf \"[%(%T)T] NOTICE: [pool www] shutdown line %d of {shutdown}\n\" -1 \$i >> \$log; done; exit 0" TERM
  head -c {burst} /dev/zero | tr "\0" "x" | fold -w 99 >> $log
  n=0
  while true; do
    n=$((n + 1))
    printf "[%(%T)T] WARNING: [pool www] child %d said into stderr: \"line %d\"\n" -1 $$ $n >> $log
    sleep {interval}
  done' >/dev/null 2>&1 < /dev/null &
echo $! > /tmp/app.pid
"""

# lifeboat agent under a supervisor that restarts it when it dies (as systemd would).
AGENT_USER_DATA = r"""
cat > /tmp/agent.yaml <<YAML
destination: {destination}
instance_id: auto
sources: [{{path: /var/log/php-fpm/*.log}}]
state_dir: $LIFEBOAT_INSTANCE_ROOT/state
flush: {{max_age: 1s}}
manifest_interval: 2s
lifecycle:
  watch: {{imds_interval: {imds_interval}}}
  pre_stop: ['{pre_stop}']
  time_scale: {time_scale}
{extra}
YAML
{env}
setsid bash -c 'while true; do
  lifeboat agent --config /tmp/agent.yaml --log-level debug >> /var/log/lifeboat-agent.log 2>&1 && break
  echo "supervisor: agent exited $?, restarting" >> /var/log/lifeboat-agent.log
  sleep 0.1
done' >/dev/null 2>&1 < /dev/null &
"""


def app_user_data(interval=0.01, burst=0, shutdown=SHUTDOWN_LINES):
    return (APP_USER_DATA.replace("{interval}", str(interval))
            .replace("{burst}", str(burst)).replace("{shutdown}", str(shutdown)))


def agent_user_data(destination, time_scale, imds_interval="100ms", extra="", env=None,
                    pre_stop="systemctl stop php-fpm", **app):
    """`extra`: more agent.yaml lines (indented two spaces to add to `lifecycle:`)."""
    exports = "\n".join(f"export {k}={v}" for k, v in (env or {}).items())
    return app_user_data(**app) + AGENT_USER_DATA.format(
        destination=destination, imds_interval=imds_interval, time_scale=time_scale,
        extra=extra, env=exports, pre_stop=pre_stop)


class LifecycleClock:
    """Polls the group every 20 ms and records, for each instance, when it was first seen in
    each lifecycle state and when it left the group (Terminated)."""

    def __init__(self, autoscaling, group):
        self.autoscaling = autoscaling
        self.group = group
        self.seen = {}       # instance id -> {state: first time seen}
        self.gone = {}       # instance id -> time it was no longer listed
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                groups = self.autoscaling.describe_auto_scaling_groups(
                    AutoScalingGroupNames=[self.group])["AutoScalingGroups"]
            except Exception:  # the cloud may be stopping
                time.sleep(0.05)
                continue
            now = time.monotonic()
            listed = {}
            if groups:
                listed = {i["InstanceId"]: i["LifecycleState"] for i in groups[0]["Instances"]}
            with self.lock:
                for iid, state in listed.items():
                    self.seen.setdefault(iid, {}).setdefault(state, now)
                for iid in self.seen:
                    if iid not in listed and iid not in self.gone:
                        self.gone[iid] = now
            time.sleep(0.02)

    def states(self):
        with self.lock:
            return {i: max(s, key=s.get) for i, s in self.seen.items() if i not in self.gone}

    def terminated_at(self, iid):
        with self.lock:
            return self.gone.get(iid)

    def first_seen(self, iid, state):
        with self.lock:
            return self.seen.get(iid, {}).get(state)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)


class ScaleIn:
    """A group of `instances` on `cloud`, its lifecycle hook, and the scale-in."""

    def __init__(self, test, cloud, group, user_data, instances, heartbeat_timeout,
                 hook="lifeboat", default_result="CONTINUE"):
        self._attach(test, cloud, group)
        self.cloud.client("ec2").create_launch_template(
            LaunchTemplateName=group,
            LaunchTemplateData={"ImageId": "ami-0123456789abcdef0", "InstanceType": "t3.micro",
                                "UserData": base64.b64encode(user_data.encode()).decode()})
        self.asg.create_auto_scaling_group(
            AutoScalingGroupName=group, LaunchTemplate={"LaunchTemplateName": group},
            MinSize=0, MaxSize=instances, DesiredCapacity=0, AvailabilityZones=["us-east-1a"])
        self.asg.put_lifecycle_hook(
            LifecycleHookName=hook, AutoScalingGroupName=group,
            LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
            HeartbeatTimeout=heartbeat_timeout, DefaultResult=default_result)
        self.asg.set_desired_capacity(AutoScalingGroupName=group, DesiredCapacity=instances)
        self._wait_in_service(instances)

    @classmethod
    def attach(cls, test, cloud, group, instances):
        """A group someone else created (examples/seed/deploy.sh), once it has `instances`."""
        fleet = cls.__new__(cls)
        fleet._attach(test, cloud, group)
        fleet._wait_in_service(instances)
        return fleet

    def _attach(self, test, cloud, group):
        self.test = test
        self.cloud = cloud
        self.group = group
        self.asg = cloud.client("autoscaling")
        self.clock = LifecycleClock(self.asg, group)
        test.addCleanup(self.clock.stop)

    def _wait_in_service(self, instances):
        self.wait(f"{instances} instances InService",
                  lambda: list(self.clock.states().values()).count("InService") == instances, 60)
        # InService once each instance's user data has run: its application and agent are up.
        self.instances = sorted(self.clock.states())

    def wait(self, what, predicate, limit, interval=0.02):
        return wait_until(predicate, limit,
                          f"{what} (lifeboat local log: {self.cloud.log_path})", interval)

    def scale_in(self, by):
        """Sets the desired capacity `by` lower; returns (decision time, victims). Times count
        from before the call, in which the group decides."""
        decided = time.monotonic()
        self.asg.set_desired_capacity(AutoScalingGroupName=self.group,
                                      DesiredCapacity=len(self.instances) - by)
        victims = self.wait(f"{by} instances terminating", lambda: self._victims(by), 10)
        return decided, victims

    def _victims(self, by):
        leaving = sorted(i for i in self.instances
                         if self.clock.terminated_at(i) is not None or
                         any(s.startswith("Terminating") for s in self.clock.seen.get(i, {})))
        return leaving if len(leaving) == by else None

    def wait_terminated(self, victims, limit):
        self.wait(f"{victims} Terminated",
                  lambda: all(self.clock.terminated_at(i) is not None for i in victims), limit)
        return {i: self.clock.terminated_at(i) for i in victims}

    def root(self, iid):
        with urllib.request.urlopen(f"{self.cloud.url}/_lifeboat/instances/{iid}") as r:
            return json.loads(r.read())["root"]

    def final_log(self, iid, path=APP_LOG):
        with open(os.path.join(self.root(iid), path.lstrip("/")), "rb") as f:
            return f.read()

    def instance_file(self, iid, path):
        p = os.path.join(self.root(iid), path.lstrip("/"))
        if not os.path.exists(p):
            return ""
        with open(p, errors="replace") as f:
            return f.read()


def lifeboat(*args, env):
    return run([LIFEBOAT, *args], env=env)


def shutdown_lines(data):
    return data.count(b"NOTICE: [pool www] shutdown line")


def find_instance_processes(instance_id, program, subcommand):
    """Host pids of the instance's `program subcommand ...` processes (argv[0]'s base name
    and argv[1]), found by the LIFEBOAT_INSTANCE_ID in their environment."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:
            continue
        if (len(argv) > 1 and os.path.basename(argv[0]) == program.encode() and
                argv[1] == subcommand.encode() and
                f"LIFEBOAT_INSTANCE_ID={instance_id}".encode() in environ):
            pids.append(int(pid))
    return pids
