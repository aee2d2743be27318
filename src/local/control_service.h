// The control surface of `lifeboat local` under /_lifeboat/, for tests and the demo: what a
// real cloud does on its own schedule (a spot interruption, a rebalance recommendation) made
// to happen now, and where a simulated instance keeps its files. Not an AWS API: it is not
// signed, and the server only listens on 127.0.0.1.
//
//   GET  /_lifeboat/health                                    "ok"
//   GET  /_lifeboat/instances/<id>                            {"instance_id", "running",
//                                                             "isolated", "root", "imds_endpoint"}
//   POST /_lifeboat/instances/<id>/spot-interruption?action=terminate|stop|hibernate
//   POST /_lifeboat/instances/<id>/rebalance-recommendation
//   GET  /_lifeboat/s3/write-requests                         {"bucket/first-segment": n}
// Answers are JSON; errors are {"error": "..."} with 400 (bad input) or 404 (no such
// instance, or not running).
#ifndef LIFEBOAT_LOCAL_CONTROL_SERVICE_H_
#define LIFEBOAT_LOCAL_CONTROL_SERVICE_H_

#include "local/instances/instance_fleet.h"
#include "local/local_service.h"
#include "local/s3/s3_write_counter.h"

namespace lifeboat {

inline constexpr char kControlPathPrefix[] = "/_lifeboat/";

class ControlService final : public LocalService {
 public:
  // `fleet` may be null (a server without instances): instance paths then answer 404.
  // `s3_writes` may be null: /_lifeboat/s3/write-requests then answers 404.
  explicit ControlService(InstanceFleet* fleet, const S3WriteCounter* s3_writes = nullptr)
      : fleet_(fleet), s3_writes_(s3_writes) {}
  LocalResponse Handle(const LocalRequest& request) override;

 private:
  LocalResponse HandleInstance(const LocalRequest& request, const std::string& instance_id,
                               const std::string& action);
  InstanceFleet* fleet_;
  const S3WriteCounter* s3_writes_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_CONTROL_SERVICE_H_
