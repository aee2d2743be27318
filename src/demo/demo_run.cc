#include "demo/demo_run.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "aws/aws_session.h"
#include "demo/cloud_deployer.h"
#include "demo/demo_designs.h"
#include "demo/demo_recorder.h"
#include "demo/local_cloud_process.h"
#include "demo/timeline.h"
#include "http/curl_http_client.h"
#include "store/open_store.h"
#include "store/store_url.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr milliseconds kPoll{200};
constexpr int kStoreEvery = 3;  // polls between reads of the store

// The temporary directory the cloud lives in, removed on every path out (after the cloud,
// which is declared after it, has stopped).
class ScratchDir {
 public:
  static Result<ScratchDir> Make() {
    std::string tmpl = (fs::temp_directory_path() / "lifeboat-demo-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) return PosixError("mkdtemp " + tmpl, errno);
    return ScratchDir(tmpl);
  }
  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::Ok();
}

// An instance's directory on the host, from lifeboat local's control endpoint.
Result<std::string> InstanceRoot(HttpClient& http, const std::string& cloud,
                                 const std::string& instance_id) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse r,
                            http.Send({"GET", cloud + "/_lifeboat/instances/" + instance_id}));
  if (r.status != 200) return Status::NotFound("instance " + instance_id + " is not launched");
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (!doc.is_object() || !doc["root"].is_string()) {
    return Status::Internal("lifeboat local's answer for " + instance_id + ": " + r.body);
  }
  return doc["root"].get<std::string>();
}

class Demo {
 public:
  Demo(const DemoOptions& options, const std::atomic<bool>& interrupted, DemoView& view)
      : options_(options), interrupted_(interrupted), view_(view) {}

  Result<DemoOutcome> Run();

 private:
  Status Interrupted() const {
    return interrupted_ ? Status::Cancelled("interrupted") : Status::Ok();
  }
  // Polls and redraws until `done` or `limit`; kDeadlineExceeded naming `what` after it.
  Status Watch(const std::string& phase, double limit, const std::function<bool()>& done);
  bool AllLaunched();
  // The S3 write requests of each design, from lifeboat local's count by bucket and prefix.
  Result<DesignRequests> WriteRequests();
  int TerminatedScaledIn(const std::string& mode) const;

  const DemoOptions& options_;
  const std::atomic<bool>& interrupted_;
  DemoView& view_;
  std::string cloud_url_;
  std::unique_ptr<AwsSession> session_;
  std::unique_ptr<CloudDeployer> deployer_;
  std::vector<DemoDesign> designs_;
  std::vector<OpenedStore> stores_;
  std::unique_ptr<DemoRecorder> recorder_;
  CurlHttpClient control_http_;
  std::map<std::string, std::string> roots_;
  int polls_ = 0;
};

Status Demo::Watch(const std::string& phase, double limit, const std::function<bool()>& done) {
  const double until = recorder_->Now() + limit;
  for (;;) {
    LIFEBOAT_RETURN_IF_ERROR(Interrupted());
    Status polled = recorder_->Poll(++polls_ % kStoreEvery == 0);
    if (!polled.ok()) view_.Say("lifeboat demo: " + polled.message());
    view_.Show(recorder_->Now(), phase, recorder_->Instances(), recorder_->scale_in_at());
    if (done()) return Status::Ok();
    if (recorder_->Now() > until) {
      return Status::DeadlineExceeded(fmt::format("{}: not done within {:.0f} s", phase, limit));
    }
    std::this_thread::sleep_for(kPoll);
  }
}

bool Demo::AllLaunched() {
  for (const DemoDesign& d : designs_) {
    std::vector<std::string> listed = recorder_->Listed(d.mode);
    if (static_cast<int>(listed.size()) < options_.instances) return false;
    for (const std::string& id : listed) {
      if (roots_.count(id)) continue;
      auto root = InstanceRoot(control_http_, cloud_url_, id);
      if (!root.ok()) return false;
      roots_[id] = *root;
    }
  }
  for (const InstanceView& i : recorder_->Instances()) {
    if (i.state != "InService") return false;
  }
  return true;
}

Result<DesignRequests> Demo::WriteRequests() {
  LIFEBOAT_ASSIGN_OR_RETURN(
      HttpResponse r, control_http_.Send({"GET", cloud_url_ + "/_lifeboat/s3/write-requests"}));
  auto counts = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status != 200 || !counts.is_object()) {
    return Status::Internal("lifeboat local's request counts: " + r.body);
  }
  DesignRequests out;
  for (const DemoDesign& d : designs_) {
    for (const auto& [key, n] : counts.items()) {
      // lifeboat's designs write under bucket/prefix; the seed under bucket/<instance>.
      const bool mine =
          d.prefix.empty() ? key.rfind(d.bucket + "/", 0) == 0 : key == d.bucket + "/" + d.prefix;
      if (mine && n.is_number_unsigned()) out[d.mode] += n.get<uint64_t>();
    }
  }
  return out;
}

int Demo::TerminatedScaledIn(const std::string& mode) const {
  int n = 0;
  for (const InstanceView& i : recorder_->Instances()) {
    n += i.mode == mode && i.state == "Terminated";
  }
  return n;
}

Result<DemoOutcome> Demo::Run() {
  LIFEBOAT_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Make());
  std::error_code ec;
  fs::create_directories(options_.out_dir, ec);
  if (ec) return Status::IoError("cannot create " + options_.out_dir + ": " + ec.message());
  const std::string log_path = options_.out_dir + "/lifeboat-local.log";
  view_.Say(fmt::format("lifeboat demo: starting lifeboat local (time scale {:g}, log {})",
                        options_.time_scale, log_path));
  LIFEBOAT_ASSIGN_OR_RETURN(
      std::unique_ptr<LocalCloudProcess> cloud,
      LocalCloudProcess::Start(options_.local_binary, scratch.path() + "/cloud",
                               options_.time_scale, log_path));
  cloud_url_ = cloud->url();

  AwsSessionOptions session_options;
  session_options.endpoint_url = cloud_url_;
  session_options.region = "us-east-1";
  LIFEBOAT_ASSIGN_OR_RETURN(
      session_,
      AwsSession::Create(Env::Default(), std::make_unique<CurlHttpClient>(), session_options,
                         std::make_unique<StaticCredentialsProvider>(
                             Credentials{"test", "test", "", std::nullopt, "demo"})));
  deployer_ = std::make_unique<CloudDeployer>(*session_);

  DesignOptions design_options;
  design_options.instances = options_.instances;
  design_options.heartbeat_timeout = options_.heartbeat_timeout;
  design_options.time_scale = options_.time_scale;
  design_options.lines_per_second = options_.lines_per_second;
  design_options.lifeboat_binary = options_.lifeboat_binary;
  design_options.work_dir = scratch.path();
  view_.Say(
      "lifeboat demo: deploying: bucket, document, controller function, rules, hooks, "
      "groups");
  LIFEBOAT_RETURN_IF_ERROR(DeployLogBucket(*deployer_));
  for (auto deploy : {DeployAgentDesign, DeployControllerDesign}) {
    LIFEBOAT_ASSIGN_OR_RETURN(DemoDesign d, deploy(*deployer_, design_options));
    designs_.push_back(d);
  }
  if (options_.compare_seed) {
    LIFEBOAT_ASSIGN_OR_RETURN(DemoDesign d, DeploySeedDesign(*deployer_, design_options));
    designs_.push_back(d);
  }
  std::map<std::string, ObjectStore*> stores;
  for (const DemoDesign& d : designs_) {
    LIFEBOAT_ASSIGN_OR_RETURN(StoreUrl url, ParseStoreUrl("s3://" + d.bucket + "/" + d.prefix));
    LIFEBOAT_ASSIGN_OR_RETURN(OpenedStore opened, OpenStore(url, Env::Default(), session_.get()));
    stores_.push_back(std::move(opened));
    stores[d.mode] = stores_.back().store.get();
  }
  recorder_ = std::make_unique<DemoRecorder>(*deployer_, designs_, stores);

  LIFEBOAT_RETURN_IF_ERROR(Watch("launching", 120, [&] { return AllLaunched(); }));
  const double traffic_until = recorder_->Now() + options_.traffic_seconds;
  LIFEBOAT_RETURN_IF_ERROR(Watch("serving traffic", options_.traffic_seconds + 60,
                                 [&] { return recorder_->Now() >= traffic_until; }));

  view_.Say(fmt::format("lifeboat demo: scaling every group in by {}", options_.scale_in));
  recorder_->MarkScaleIn();
  for (const DemoDesign& d : designs_) {
    LIFEBOAT_RETURN_IF_ERROR(
        deployer_->SetDesiredCapacity(d.group, options_.instances - options_.scale_in));
  }
  const double hold = options_.heartbeat_timeout / options_.time_scale;
  LIFEBOAT_RETURN_IF_ERROR(Watch("scaling in", hold + 60, [&] {
    for (const DemoDesign& d : designs_) {
      if (TerminatedScaledIn(d.mode) < options_.scale_in) return false;
    }
    return true;
  }));
  LIFEBOAT_RETURN_IF_ERROR(recorder_->Poll(/*read_store=*/true));  // the last bytes
  view_.Show(recorder_->Now(), "done", recorder_->Instances(), recorder_->scale_in_at());
  view_.Finish();

  DemoOutcome outcome;
  DemoTimeline timeline =
      recorder_->Timeline(fmt::format("lifeboat demo: {} instances per design, scale-in by {}",
                                      options_.instances, options_.scale_in),
                          hold);
  for (InstanceTimeline& row : timeline.instances) {
    if (!row.scaled_in) continue;
    const DemoDesign* design = nullptr;
    for (const DemoDesign& d : designs_) {
      if (d.mode == row.mode) design = &d;
    }
    auto result = MeasureInstance(*design, stores[row.mode], roots_[row.instance_id], row,
                                  timeline.scale_in_at);
    if (!result.ok()) return result.status();
    row.bytes_written = result->bytes_written;
    row.bytes_stored = result->bytes_stored;
    row.lines_written = result->lines_written;
    row.lines_lost = result->lines_lost;
    outcome.results.push_back(std::move(*result));
  }
  LIFEBOAT_ASSIGN_OR_RETURN(outcome.requests, WriteRequests());
  outcome.svg_path = options_.out_dir + "/timeline.svg";
  outcome.html_path = options_.out_dir + "/timeline.html";
  LIFEBOAT_RETURN_IF_ERROR(WriteFile(outcome.svg_path, RenderTimelineSvg(timeline)));
  LIFEBOAT_RETURN_IF_ERROR(WriteFile(outcome.html_path, RenderTimelineHtml(timeline)));
  cloud->Stop();
  return outcome;
}

}  // namespace

Status ValidateDemoOptions(const DemoOptions& o) {
  if (o.instances < 1 || o.instances > 50) {
    return Status::InvalidArgument("--instances must be between 1 and 50");
  }
  if (o.scale_in < 1 || o.scale_in > o.instances) {
    return Status::InvalidArgument("--scale-in must be between 1 and --instances (" +
                                   std::to_string(o.instances) + ")");
  }
  if (o.time_scale <= 0) return Status::InvalidArgument("--time-scale must be above 0");
  if (o.traffic_seconds < 0) return Status::InvalidArgument("--traffic must not be negative");
  if (o.out_dir.empty()) return Status::InvalidArgument("--out must name a directory");
  return Status::Ok();
}

Result<DemoOutcome> RunDemo(const DemoOptions& options, const std::atomic<bool>& interrupted,
                            DemoView& view) {
  LIFEBOAT_RETURN_IF_ERROR(ValidateDemoOptions(options));
  Demo demo(options, interrupted, view);
  return demo.Run();
}

}  // namespace lifeboat
