// What `lifeboat instance-exec` does: runs one program inside a running simulated
// instance, the way a process started on the instance would run (Run Command's scripts;
// see instance_command.h, which starts it).
//
// With namespaces (the instance is isolated): it joins the mount namespace of the
// instance's init and, for the program, its pid namespace (setns; a mount namespace can
// only be entered by a single-threaded process, hence a fresh process rather than a
// thread of lifeboat local), changes to the working directory, forks the program (a child
// is what enters a pid namespace) and waits for it. The program then sees the instance's
// /var/log, /tmp and /proc, is a process of the instance, and ends with it.
// Without (the unisolated fallback, instance_init.h): it changes directory and runs the
// program in place.
//
// The environment is the caller's (the fleet passes the instance's). The exit status is
// the program's, 128+N when a signal N ended it; 1 with a message on stderr when the
// instance or the working directory cannot be entered, 127 when the program cannot run.
#ifndef LIFEBOAT_LOCAL_INSTANCES_INSTANCE_EXEC_H_
#define LIFEBOAT_LOCAL_INSTANCES_INSTANCE_EXEC_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace lifeboat {

struct InstanceExecOptions {
  // The instance's instance-init process (the one the fleet started): its mount namespace
  // and the pid namespace of its children are entered. <= 0: no namespaces (fallback).
  pid_t namespaces_of = -1;
  std::string working_directory;     // absolute, as seen inside the instance
  std::vector<std::string> program;  // argv; argv[0] is looked up on PATH
};

// Must be called in a process that has started no threads. Returns the exit status.
int RunInstanceExec(const InstanceExecOptions& options);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_INSTANCE_EXEC_H_
