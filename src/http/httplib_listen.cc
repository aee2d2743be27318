#include "http/httplib_listen.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>

namespace lifeboat {

bool ListenInBackground(httplib::Server* server, std::thread* thread) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  *thread = std::thread([server, done] {
    server->listen_after_bind();
    done->store(true);
  });
  while (!server->is_running() && !done->load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return !(done->load() && !server->is_running());
}

}  // namespace lifeboat
