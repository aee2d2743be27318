// ErrorLogFormatter: the error-side records of the imaginary shop, each about a request
// drawn from WebTraffic: nginx error.log lines, PHP error_log and PHP-FPM master messages
// (uncaught exceptions carry a multi-line stack trace), and PHP-FPM slow-log backtraces.
// It keeps what persists between records: nginx worker pids and connection numbers,
// PHP-FPM children (which exit and are replaced), temporary file numbers.
//
// Borrows the Rng and WebTraffic it draws from; both must outlive it. Not thread-safe.
#ifndef LIFEBOAT_WORKLOAD_ERROR_LOG_FORMATTER_H_
#define LIFEBOAT_WORKLOAD_ERROR_LOG_FORMATTER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workload/generator_util.h"
#include "workload/web_traffic.h"

namespace lifeboat {

namespace log_vocabulary {
struct PhpException;
}  // namespace log_vocabulary

class ErrorLogFormatter {
 public:
  ErrorLogFormatter(Rng& rng, WebTraffic& traffic, std::string server_name);
  ErrorLogFormatter(const ErrorLogFormatter&) = delete;
  ErrorLogFormatter& operator=(const ErrorLogFormatter&) = delete;

  // Each appends one record ending in '\n'. `stamp` is the record's time, to the second,
  // in the format's own layout: "2024/05/01 12:00:00" for nginx, "01-May-2024 12:00:00"
  // for PHP and PHP-FPM.
  void AppendNginxError(std::string& out, std::string_view stamp);
  void AppendPhpError(std::string& out, std::string_view stamp);
  void AppendPhpSlow(std::string& out, std::string_view stamp);

 private:
  void AppendFpmMaster(std::string& out, std::string_view stamp);
  void AppendStackTrace(std::string& out, const log_vocabulary::PhpException& e);
  // Appends `text` with "{id}", "{key}" and "{n}" replaced by a product id, a word and a
  // number.
  void AppendExpanded(std::string& out, std::string_view text);
  uint32_t PickChild() { return fpm_children_[rng_.Below(fpm_children_.size())]; }

  Rng& rng_;
  WebTraffic& traffic_;
  const std::string server_name_;
  Weighted nginx_types_;
  Weighted php_messages_;
  uint32_t nginx_master_;
  std::array<uint32_t, 4> nginx_workers_;
  uint64_t connection_;
  uint64_t temp_file_;
  std::vector<uint32_t> fpm_children_;
  uint32_t last_pid_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_WORKLOAD_ERROR_LOG_FORMATTER_H_
