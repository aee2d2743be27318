#include "agent/agent_daemon.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "agent/shipper.h"
#include "agent/source_discovery.h"
#include "agent/termination_responder.h"
#include "common/logging.h"
#include "lifecycle/instance_description.h"
#include "lifecycle/termination_monitor.h"

namespace lifeboat {
namespace {

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads one pending signal; 0 when none.
int TakeSignal(int signal_fd) {
  signalfd_siginfo info{};
  if (::read(signal_fd, &info, sizeof(info)) != sizeof(info)) return 0;
  return static_cast<int>(info.ssi_signo);
}

void Drain(int fd) {
  uint64_t value;
  while (::read(fd, &value, sizeof(value)) == sizeof(value)) {
  }
}

}  // namespace

void DescribeAgentMetrics(Metrics& m) {
  using T = MetricType;
  m.Describe("lifeboat_bytes_read_total", T::kCounter, "Raw bytes read from source files for shipping");
  m.Describe("lifeboat_bytes_shipped_total", T::kCounter, "Raw bytes the store acknowledged");
  m.Describe("lifeboat_bytes_stored_total", T::kCounter, "Stored (compressed) bytes acknowledged");
  m.Describe("lifeboat_chunks_shipped_total", T::kCounter, "Chunks the store acknowledged");
  m.Describe("lifeboat_chunks_already_stored_total", T::kCounter,
             "Chunks found already stored with the same bytes (re-sent after a crash)");
  m.Describe("lifeboat_upload_retries_total", T::kCounter, "Upload attempts that failed and were retried");
  m.Describe("lifeboat_upload_errors_total", T::kCounter, "Failed store requests (chunks and manifests)");
  m.Describe("lifeboat_bytes_lost_total", T::kCounter,
             "Bytes truncated or deleted before they could be shipped");
  m.Describe("lifeboat_manifest_writes_total", T::kCounter, "Manifest versions stored");
  m.Describe("lifeboat_manifest_bytes_written_total", T::kCounter,
             "Bytes of manifest heads and parts stored");
  m.Describe("lifeboat_s3_requests_total", T::kCounter,
             "Requests to the store by S3 operation, retries included (what S3 bills)");
  m.Describe("lifeboat_open_file_limit_hits_total", T::kCounter,
             "Times a file was not opened because max_open_files descriptors were in use");
  m.Describe("lifeboat_open_files", T::kGauge, "Source files held open");
  m.Describe("lifeboat_streams", T::kGauge, "File streams not yet shipped to their end");
  m.Describe("lifeboat_oldest_unshipped_seconds", T::kGauge,
             "Age of the oldest byte of a file not yet stored");
  DescribeTerminationMetrics(m);
}

namespace {

// The watchers the lifecycle section asks for.
std::unique_ptr<TerminationMonitor> StartWatchers(Env* env, const AgentConfig& config,
                                                  const std::string& instance_id,
                                                  const AgentAwsApis& apis,
                                                  std::function<void()> wake) {
  const LifecycleConfig& lc = config.lifecycle;
  if (!lc.enabled) return nullptr;
  auto monitor = std::make_unique<TerminationMonitor>(std::move(wake));
  if (lc.watches_imds() && apis.imds != nullptr) {
    monitor->Add(std::make_unique<ImdsTerminationWatch>(*apis.imds, *env, lc.imds));
  }
  if (!lc.sqs_queue_url.empty() && apis.sqs != nullptr) {
    SqsWatchOptions options;
    options.queue_url = lc.sqs_queue_url;
    monitor->Add(std::make_unique<SqsTerminationWatch>(*apis.sqs, *env, instance_id, options));
  }
  monitor->Start();
  return monitor;
}

}  // namespace

Status RunAgentDaemon(Env* env, ObjectStore* store, CheckpointStore* checkpoint,
                      Metrics* metrics, const AgentConfig& config, const std::string& instance_id,
                      AgentAwsApis apis) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  Fd signal_fd(::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));
  Fd wake_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (signal_fd.get() < 0 || wake_fd.get() < 0) return PosixError("setting up the event loop", errno);
  const int wake = wake_fd.get();
  auto on_done = [wake] {
    const uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake, &one, sizeof(one));
  };

  ShipperOptions options = ShipperOptionsFrom(config, instance_id);
  options.instance = DescribeInstance(apis.imds, apis.autoscaling, instance_id, config.lifecycle.group);
  Shipper shipper(env, store, checkpoint, metrics, std::move(options), on_done);
  LIFEBOAT_RETURN_IF_ERROR(shipper.Start());
  auto watcher = ChangeWatcher::Create(config.sources);
  spdlog::info("lifeboat agent shipping {} source pattern(s) of {} to {}", config.sources.size(),
               instance_id, store->Describe(""));

  TerminationResponder responder(env, &shipper, apis.autoscaling, apis.sqs, metrics,
                                 config.lifecycle, instance_id);
  std::unique_ptr<TerminationMonitor> monitor =
      StartWatchers(env, config, instance_id, apis, on_done);

  int stop_signal = 0;
  bool abandoned_early = false;
  // While a termination response ships, a first SIGTERM is remembered (the agent exits
  // after the response); a second abandons.
  auto abandon = [&] {
    if (TakeSignal(signal_fd.get()) != 0) {
      if (stop_signal != 0) abandoned_early = true;
      else stop_signal = SIGTERM;
    }
    return abandoned_early;
  };
  bool rescan = true;
  while (stop_signal == 0) {
    LIFEBOAT_RETURN_IF_ERROR(shipper.Step(rescan));
    watcher->Watch(shipper.watched_dirs());
    pollfd fds[3] = {{signal_fd.get(), POLLIN, 0}, {wake, POLLIN, 0}, {watcher->fd(), POLLIN, 0}};
    const int nfds = watcher->fd() >= 0 ? 3 : 2;
    ::poll(fds, nfds, static_cast<int>(shipper.NextWait().count()));
    stop_signal = TakeSignal(signal_fd.get());
    Drain(wake);
    rescan = watcher->Drain();
    if (monitor && stop_signal == 0) {
      for (const TerminationSignal& signal : monitor->Take()) {
        Status handled = responder.Handle(signal, abandon);
        if (abandoned_early) {
          shipper.Abort();
          return Status::Cancelled("abandoned by a second signal before every source was shipped");
        }
        if (!handled.ok()) {
          shipper.Abort();
          return handled;
        }
      }
    }
  }
  if (monitor) monitor->Stop();

  spdlog::info("received {}: shipping the rest, then sealing the manifest (again to abandon)",
               strsignal(stop_signal));
  shipper.EndWith(responder.cause().value_or(EndCause::kShutdown));
  std::atomic<bool> abandoned{false};
  Status drained = shipper.Drain([&] {
    if (TakeSignal(signal_fd.get()) != 0) abandoned = true;
    return abandoned.load();
  });
  if (!drained.ok()) shipper.Abort();
  return drained;
}

}  // namespace lifeboat
