#include "local/instances/instance_init.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace lifeboat {
namespace {

using Steady = std::chrono::steady_clock;

// Everything goes to stderr, which the fleet points at the instance's cloud-init-output.log.
void Log(const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::fprintf(stderr, "lifeboat instance-init[%d]: ", static_cast<int>(::getpid()));
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
  va_end(args);
}

void NoopHandler(int) {}

// The signals init waits for. They stay blocked and are taken with sigwaitinfo; a handler
// is installed anyway because a pid namespace's init drops signals left at SIG_DFL.
sigset_t InitSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, sig);
  return set;
}

void TakeOverSignals() {
  struct sigaction action {};
  action.sa_handler = NoopHandler;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) ::sigaction(sig, &action, nullptr);
  sigset_t set = InitSignals();
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
}

int ExitStatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

// Waits up to `timeout` for one of `set`; returns the signal, or 0 on timeout.
int WaitSignal(const sigset_t& set, std::chrono::milliseconds timeout) {
  timespec ts{};
  ts.tv_sec = timeout.count() / 1000;
  ts.tv_nsec = (timeout.count() % 1000) * 1000000;
  int sig = ::sigtimedwait(&set, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

bool ParentGone(pid_t original_parent) { return ::getppid() != original_parent; }

// Every process below `self`, read from /proc (for the fallback, which has no namespace).
std::vector<pid_t> Descendants(pid_t self) {
  std::multimap<pid_t, pid_t> children;
  if (DIR* proc = ::opendir("/proc")) {
    while (dirent* entry = ::readdir(proc)) {
      char* end = nullptr;
      long pid = std::strtol(entry->d_name, &end, 10);
      if (pid <= 0 || *end != '\0') continue;
      std::ifstream stat_file(std::string("/proc/") + entry->d_name + "/stat");
      std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
      size_t paren = stat.rfind(')');  // the command name may contain spaces and ')'
      if (paren == std::string::npos) continue;
      std::istringstream rest(stat.substr(paren + 1));
      std::string state;
      long ppid = 0;
      if (rest >> state >> ppid) children.emplace(static_cast<pid_t>(ppid), pid);
    }
    ::closedir(proc);
  }
  std::vector<pid_t> found;
  std::vector<pid_t> frontier = {self};
  while (!frontier.empty()) {
    pid_t parent = frontier.back();
    frontier.pop_back();
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      found.push_back(it->second);
      frontier.push_back(it->second);
    }
  }
  return found;
}

class Init {
 public:
  // `boot_fd`: where "booted" is reported (-1: nowhere).
  Init(const InstanceInitOptions& options, bool in_namespace, int boot_fd)
      : options_(options), in_namespace_(in_namespace), boot_fd_(boot_fd) {}

  // Starts PROGRAM, then reaps until told to stop; returns the exit status.
  int Run(pid_t original_parent) {
    if (!options_.program.empty()) program_ = StartProgram();
    if (program_ < 0) ReportBooted();
    const Steady::time_point boot_deadline = Steady::now() + options_.boot_limit;
    const sigset_t set = InitSignals();
    for (;;) {
      auto wait = std::chrono::milliseconds(1000);
      if (boot_fd_ >= 0 && options_.boot_limit.count() > 0) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(boot_deadline - Steady::now());
        wait = std::clamp(left, std::chrono::milliseconds(1), wait);
      }
      int sig = WaitSignal(set, wait);
      if (boot_fd_ >= 0 && options_.boot_limit.count() > 0 && Steady::now() >= boot_deadline) {
        Log("user data still running after %lld ms: the instance counts as booted",
            static_cast<long long>(options_.boot_limit.count()));
        ReportBooted();
      }
      if (sig == SIGCHLD) {
        ReapAll();
      } else if (sig != 0 || (!in_namespace_ && ParentGone(original_parent))) {
        Log("%s: ending every process of the instance",
            sig != 0 ? strsignal(sig) : "the process that started this instance is gone");
        Shutdown();
        return 0;
      }
    }
  }

 private:
  pid_t StartProgram() {
    std::vector<char*> argv;
    for (const auto& arg : options_.program) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execvp(argv[0], argv.data());
      Log("cannot run %s: %s", argv[0], std::strerror(errno));
      ::_exit(127);
    }
    if (pid < 0) Log("cannot start %s: %s", argv[0], std::strerror(errno));
    return pid;
  }

  // Reaps every exited child; returns whether any child is left.
  bool ReapAll() {
    for (;;) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, WNOHANG);
      if (pid == 0) return true;
      if (pid < 0) return errno == EINTR;
      if (pid == program_) {
        // cloud-init logs a failed script but leaves the instance running.
        Log("user data %s exited with status %d", options_.program[0].c_str(),
            ExitStatusOf(status));
        program_ = -1;
        ReportBooted();
      }
    }
  }

  void SignalAll(int sig) {
    if (in_namespace_) {
      ::kill(-1, sig);  // from a pid namespace's init: every other process in it
      return;
    }
    for (pid_t pid : Descendants(::getpid())) ::kill(pid, sig);
  }

  // What an init does at shutdown: SIGTERM to all, a grace period, SIGKILL to the rest.
  void Shutdown() {
    // User data killed by the shutdown did not boot the instance.
    if (boot_fd_ >= 0) ::close(boot_fd_);
    boot_fd_ = -1;
    const sigset_t chld = [] {
      sigset_t s;
      sigemptyset(&s);
      sigaddset(&s, SIGCHLD);
      return s;
    }();
    SignalAll(SIGTERM);
    const Steady::time_point deadline = Steady::now() + options_.grace;
    while (ReapAll()) {
      Steady::time_point now = Steady::now();
      if (now >= deadline) break;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      WaitSignal(chld,
                 std::min(left + std::chrono::milliseconds(1), std::chrono::milliseconds(50)));
    }
    if (!ReapAll()) return;
    Log("processes still running after %lld ms: killing them",
        static_cast<long long>(options_.grace.count()));
    // Bounded: a process stuck in the kernel must not hold the fleet forever.
    const Steady::time_point give_up = Steady::now() + std::chrono::seconds(5);
    do {
      SignalAll(SIGKILL);  // again each round: orphans of killed processes come to us
      WaitSignal(chld, std::chrono::milliseconds(10));
    } while (ReapAll() && Steady::now() < give_up);
  }

  void ReportBooted() {
    if (boot_fd_ < 0) return;
    (void)!::write(boot_fd_, "booted\n", 7);
    ::close(boot_fd_);
    boot_fd_ = -1;
  }

  const InstanceInitOptions& options_;
  const bool in_namespace_;
  int boot_fd_;
  pid_t program_ = -1;
};

bool BindMount(const std::string& source, const char* target) {
  if (::mount(source.c_str(), target, nullptr, MS_BIND, nullptr) == 0) return true;
  Log("cannot bind-mount %s on %s: %s", source.c_str(), target, std::strerror(errno));
  return false;
}

// A path on the host that must stay reachable inside the instance after its /tmp and
// /var/log cover the host's: opened before the mounts, shown again at its own path after.
struct KeptPath {
  std::string path;
  int fd = -1;
  bool directory = true;
  struct stat before {};
};

bool OpenKept(KeptPath& kept) {
  kept.fd = ::open(kept.path.c_str(), O_PATH | O_CLOEXEC | (kept.directory ? O_DIRECTORY : 0));
  if (kept.fd < 0) {
    Log("cannot open %s: %s", kept.path.c_str(), std::strerror(errno));
    return false;
  }
  ::fstat(kept.fd, &kept.before);
  return true;
}

bool ShowAgain(KeptPath& kept) {
  const std::string& path = kept.path;
  struct stat after {};
  const bool same = ::stat(path.c_str(), &after) == 0 && after.st_dev == kept.before.st_dev &&
                    after.st_ino == kept.before.st_ino;
  bool ok = true;
  if (!same) {
    // The path now leads into the instance's own /tmp (or /var/log): create it there.
    for (size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      ::mkdir(path.substr(0, slash).c_str(), 0755);
    }
    if (kept.directory) {
      ::mkdir(path.c_str(), 0755);
    } else {
      ::close(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0755));
    }
    ok = BindMount("/proc/self/fd/" + std::to_string(kept.fd), path.c_str());
  }
  ::close(kept.fd);
  return ok;
}

// Inside the new mount namespace: the instance's /var/log and /tmp, and a /proc that shows
// only the instance's processes. A root directory under /tmp or /var/log (a test's
// temporary directory) and the lifeboat binary that bin/lifeboat leads to (a build tree
// under /tmp) stay reachable at their own paths.
bool SetUpMounts(const std::string& root) {
  auto open_dir = [](const std::string& path) {
    int fd = ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) Log("cannot open %s: %s", path.c_str(), std::strerror(errno));
    return fd;
  };
  std::vector<KeptPath> kept = {{root}};
  char lifeboat[PATH_MAX];
  if (::realpath((root + "/bin/lifeboat").c_str(), lifeboat) != nullptr) {
    kept.push_back({lifeboat, -1, false});
  }
  for (KeptPath& k : kept) {
    if (!OpenKept(k)) return false;
  }
  int log_fd = open_dir(root + "/var/log");
  int tmp_fd = open_dir(root + "/tmp");
  if (log_fd < 0 || tmp_fd < 0) return false;
  auto fd_path = [](int fd) { return "/proc/self/fd/" + std::to_string(fd); };
  ::mkdir("/var/log", 0755);  // normally there already
  if (!BindMount(fd_path(log_fd), "/var/log") || !BindMount(fd_path(tmp_fd), "/tmp")) return false;
  ::close(log_fd);
  ::close(tmp_fd);
  for (KeptPath& k : kept) {
    if (!ShowAgain(k)) return false;
  }
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    Log("cannot mount a new /proc: %s", std::strerror(errno));
    return false;
  }
  return true;
}

// PID 1 of the instance's pid namespace.
int RunNamespaceInit(const InstanceInitOptions& options, int ready_fd) {
  if (!SetUpMounts(options.root)) return 1;
  Log("instance isolated: own mount and pid namespaces; /var/log and /tmp are %s/var/log and "
      "%s/tmp",
      options.root.c_str(), options.root.c_str());
  if (ready_fd >= 0) (void)!::write(ready_fd, "namespaces\n", 11);
  return Init(options, /*in_namespace=*/true, ready_fd).Run(::getppid());
}

// The process outside the namespace: forwards signals to the namespace's init and exits
// with its status.
int RunOuter(pid_t init, pid_t original_parent) {
  const sigset_t set = InitSignals();
  bool parent_gone_seen = false;
  for (;;) {
    int sig = WaitSignal(set, std::chrono::milliseconds(1000));
    if (sig == SIGCHLD) {
      int status = 0;
      if (::waitpid(init, &status, WNOHANG) == init) return ExitStatusOf(status);
    } else if (sig != 0) {
      ::kill(init, SIGTERM);
    } else if (!parent_gone_seen && ParentGone(original_parent)) {
      // lifeboat local went away without terminating us: shut the instance down.
      parent_gone_seen = true;
      ::kill(init, SIGTERM);
    }
  }
}

}  // namespace

int RunInstanceInit(const InstanceInitOptions& options) {
  const pid_t original_parent = ::getppid();
  const int ready_fd = options.ready_fd;
  // Descriptors the server leaked into us (sockets opened by other threads while we were
  // spawned) would keep its ports alive in every instance process.
  if (ready_fd > 3) ::close_range(3, ready_fd - 1, 0);
  ::close_range(std::max(3, ready_fd + 1), ~0U, 0);
  // Kept open until the user data has run: no program of the instance may inherit it.
  if (ready_fd >= 0) ::fcntl(ready_fd, F_SETFD, FD_CLOEXEC);
  TakeOverSignals();
  ::setenv("LIFEBOAT_INSTANCE_ROOT", options.root.c_str(), 0);
  if (::chdir(options.root.c_str()) != 0) {
    Log("cannot enter %s: %s", options.root.c_str(), std::strerror(errno));
    return 1;
  }

  std::string why_not;
  if (!options.namespaces) {
    why_not = "namespaces turned off";
  } else if (::unshare(CLONE_NEWNS | CLONE_NEWPID) != 0) {
    why_not = std::string("unshare(CLONE_NEWNS|CLONE_NEWPID): ") + std::strerror(errno);
  } else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    // Mounting anything now could show on the host: give up rather than fall back.
    Log("cannot make / private in the new mount namespace: %s", std::strerror(errno));
    return 1;
  }

  if (why_not.empty()) {
    pid_t init = ::fork();
    if (init < 0) {
      Log("cannot fork the namespace's init: %s", std::strerror(errno));
      return 1;
    }
    if (init == 0) {
      // If the outer process dies (even by SIGKILL), so does this init, and with it, by the
      // kernel, every process of the namespace.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::setenv("LIFEBOAT_INSTANCE_ISOLATION", "namespaces", 1);
      ::_exit(RunNamespaceInit(options, ready_fd));
    }
    if (ready_fd >= 0) ::close(ready_fd);
    return RunOuter(init, original_parent);
  }

  // The fallback: no isolation; see the header.
  ::setenv("LIFEBOAT_INSTANCE_ISOLATION", "none", 1);
  Log("instance NOT isolated (%s): /var/log and /tmp are the host's; programs should write "
      "under $LIFEBOAT_INSTANCE_ROOT=%s",
      why_not.c_str(), options.root.c_str());
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  if (ready_fd >= 0) (void)!::write(ready_fd, "none\n", 5);
  return Init(options, /*in_namespace=*/false, ready_fd).Run(original_parent);
}

}  // namespace lifeboat
