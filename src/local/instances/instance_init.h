// What `lifeboat instance-init` does: the init process of one simulated instance. The
// fleet (instance_fleet.h) starts it as a fresh, single-threaded process, because mount and
// pid namespaces cannot be entered safely from a forked copy of the multi-threaded server.
//
// With namespaces (as root; the normal case):
//   unshare(CLONE_NEWNS | CLONE_NEWPID); "/" is made private recursively, so nothing mounted
//   here shows on the host; fork. The child is PID 1 of the new pid namespace: it bind-mounts
//   <root>/var/log on /var/log and <root>/tmp on /tmp, mounts a fresh /proc, starts PROGRAM,
//   reaps every process orphaned into it and, on SIGTERM, shuts down as an init does:
//   kill(-1, SIGTERM) (every process in the namespace), up to `grace` reaping, then
//   kill(-1, SIGKILL). When it exits the kernel kills whatever is left in the namespace. The
//   outer process forwards SIGTERM/SIGINT/SIGHUP to it (and acts as if it got SIGTERM when
//   the process that started it goes away), and exits with its status.
// Without namespaces (not root, or unshare fails with EPERM/EINVAL/ENOSPC; also on request):
//   no isolation. /var/log and /tmp are the host's, so programs must write under
//   $LIFEBOAT_INSTANCE_ROOT themselves. The process makes itself a child subreaper, so
//   daemons that double-fork or setsid() are still its descendants, and at SIGTERM it signals
//   every descendant (found through /proc) instead of kill(-1).
// Either way PROGRAM sees LIFEBOAT_INSTANCE_ISOLATION=namespaces or =none, and the process
// logs which one it got (with the reason) on stderr, which the fleet sends to the instance's
// cloud-init-output.log. PROGRAM ending does not end the instance: like an EC2 instance after
// its user data, it runs until SIGTERM.
#ifndef LIFEBOAT_LOCAL_INSTANCES_INSTANCE_INIT_H_
#define LIFEBOAT_LOCAL_INSTANCES_INSTANCE_INIT_H_

#include <chrono>
#include <string>
#include <vector>

namespace lifeboat {

struct InstanceInitOptions {
  std::string root;  // the instance's root directory (absolute), with var/log/ and tmp/
  std::chrono::milliseconds grace{2000};  // between SIGTERM and SIGKILL at shutdown
  bool namespaces = true;                 // false: the documented fallback, even as root
  std::vector<std::string> program;       // argv; empty: nothing to run, just wait
  // When >= 0: once the instance is set up, "namespaces\n" or "none\n" is written there, so
  // the launcher knows the instance started and how it is isolated; then "booted\n" once
  // PROGRAM (the user data) has exited, or at once when there is none, and it is closed.
  // Auto Scaling reports the instance InService only then, as cloud-init's boot-finished
  // comes after the user data.
  int ready_fd = -1;
  // User data that never exits (a service run in the foreground) does not keep the instance
  // from booting for ever: after this long it is reported booted anyway. 0: no limit.
  std::chrono::milliseconds boot_limit{0};
};

// Runs until shutdown; returns the process exit status. Must be called in a process that
// has started no threads.
int RunInstanceInit(const InstanceInitOptions& options);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_INSTANCE_INIT_H_
