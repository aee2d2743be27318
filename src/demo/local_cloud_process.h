// LocalCloudProcess: `lifeboat local` as a child of the demo, on a free port of 127.0.0.1,
// with its state in a directory the demo owns. Stopping it (SIGTERM) terminates every
// simulated instance with it; the destructor stops it too, so no process outlives the demo.
#ifndef LIFEBOAT_DEMO_LOCAL_CLOUD_PROCESS_H_
#define LIFEBOAT_DEMO_LOCAL_CLOUD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace lifeboat {

class LocalCloudProcess {
 public:
  // Starts `<local_binary> local --dir <dir> --port 0 --time-scale X` and waits for the
  // line that says where it listens. Its log goes to `log_path`.
  static Result<std::unique_ptr<LocalCloudProcess>> Start(const std::string& local_binary,
                                                          const std::string& dir, double time_scale,
                                                          const std::string& log_path);
  ~LocalCloudProcess();
  LocalCloudProcess(const LocalCloudProcess&) = delete;
  LocalCloudProcess& operator=(const LocalCloudProcess&) = delete;

  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
  // SIGTERM, then SIGKILL after `grace_ms`; idempotent.
  void Stop(int grace_ms = 10000);

 private:
  LocalCloudProcess(pid_t pid, std::string url) : pid_(pid), url_(std::move(url)) {}

  pid_t pid_;
  std::string url_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_LOCAL_CLOUD_PROCESS_H_
