// Events per second through the EventBridge matcher (src/events), on one core.
//
//   build/bench/events_match [seconds-per-measurement]
//
// 10,000 distinct, realistic events (CloudTrail API calls, Auto Scaling lifecycle actions,
// EC2 state changes; about 1 KB on average, 10 MB in all, so mostly out of cache; the
// first 100 again, in cache, as an event just received is) are matched against two sets
// of 100 rules:
// exact/prefix rules only, and a mix of every operator (suffix, equals-ignore-case,
// wildcard, anything-but, numeric, cidr, exists, $or). Each set is measured four ways:
// parsing included (RuleSet::MatchJsonInPlace, the path PutEvents takes, and MatchJson,
// which copies the text into a padded buffer first), Event::Parse then
// RuleSet::Match, pre-parsed events, and the naive loop of 100 EventPattern::Matches.
// aws/event-ruler publishes about 220,000 events/s for its comparable benchmark.
#include <simdjson.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/event_pattern.h"
#include "events/rule_set.h"

namespace {

using lifeboat::Event;
using lifeboat::EventPattern;
using lifeboat::RuleSet;

const char* kRegions[] = {"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"};
const char* kServices[] = {"s3",     "ec2",      "iam", "sts", "ssm",
                           "lambda", "dynamodb", "kms", "sqs", "sns"};
const char* kOperations[] = {"PutObject",  "GetObject",   "RunInstances", "TerminateInstances",
                             "AssumeRole", "SendCommand", "Invoke",       "PutItem",
                             "Decrypt",    "SendMessage"};
const char* kStates[] = {"pending", "running",       "stopping",
                         "stopped", "shutting-down", "terminated"};

std::string Uuid(std::mt19937_64& random) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%08llx-%04llx-4%03llx-a%03llx-%012llx",
                static_cast<unsigned long long>(random() & 0xffffffff),
                static_cast<unsigned long long>(random() & 0xffff),
                static_cast<unsigned long long>(random() & 0xfff),
                static_cast<unsigned long long>(random() & 0xfff),
                static_cast<unsigned long long>(random() & 0xffffffffffff));
  return buffer;
}

std::string InstanceId(std::mt19937_64& random) {
  char buffer[24];
  std::snprintf(buffer, sizeof(buffer), "i-%017llx",
                static_cast<unsigned long long>(random() & 0xfffffffffffffff));
  return buffer;
}

std::string Envelope(std::mt19937_64& random, const std::string& detail_type,
                     const std::string& source, const std::string& region,
                     const std::string& resources, const std::string& detail) {
  return R"({"version":"0","id":")" + Uuid(random) + R"(","detail-type":")" + detail_type +
         R"(","source":")" + source + R"(","account":"123456789012","time":"2024-03-0)" +
         std::to_string(1 + random() % 9) + "T1" + std::to_string(random() % 10) + ":3" +
         std::to_string(random() % 10) + R"(:07Z","region":")" + region + R"(","resources":[)" +
         resources + R"(],"detail":)" + detail + "}";
}

std::string CloudTrailEvent(std::mt19937_64& random) {
  std::string region = kRegions[random() % 4];
  size_t s = random() % 10;
  std::string role = "role-" + std::to_string(random() % 30);
  std::string session = "session-" + std::to_string(random() % 1000);
  std::string ip = "10." + std::to_string(random() % 8) + "." + std::to_string(random() % 256) +
                   "." + std::to_string(random() % 256);
  std::string detail =
      R"({"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEID:)" +
      session + R"(","arn":"arn:aws:sts::123456789012:assumed-role/)" + role + "/" + session +
      R"(","accountId":"123456789012","accessKeyId":"ASIAEXAMPLE)" +
      std::to_string(random() % 100000) +
      R"(","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLEID","arn":"arn:aws:iam::123456789012:role/)" +
      role + R"(","accountId":"123456789012","userName":")" + role +
      R"("},"attributes":{"creationDate":"2024-03-01T10:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2024-03-01T12:34:56Z","eventSource":")" +
      kServices[s] + R"(.amazonaws.com","eventName":")" + kOperations[(s + random() % 2) % 10] +
      R"(","awsRegion":")" + region + R"(","sourceIPAddress":")" + ip +
      R"(","userAgent":"aws-cli/2.15.)" + std::to_string(random() % 30) +
      R"( Python/3.11.6 Linux/6.1.72 exe/x86_64.amzn.2023 prompt/off","requestParameters":{"bucketName":"bucket-)" +
      std::to_string(random() % 40) + R"(","key":"logs/)" + InstanceId(random) +
      (random() % 2 ? "/error.log" : "/access.LOG") +
      R"("},"responseElements":null,"additionalEventData":{"bytesTransferredIn":)" +
      std::to_string(random() % 100000) + R"(,"x-amz-id-2":"Ex4mPl3id"},"requestID":")" +
      Uuid(random) + R"(","eventID":")" + Uuid(random) +
      R"(","readOnly":false,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"123456789012","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256"}})";
  return Envelope(random, "AWS API Call via CloudTrail", std::string("aws.") + kServices[s], region,
                  "", detail);
}

std::string LifecycleEvent(std::mt19937_64& random) {
  std::string region = kRegions[random() % 4];
  bool terminate = random() % 2;
  std::string group = "web-" + std::to_string(random() % 40);
  std::string instance = InstanceId(random);
  std::string detail =
      R"({"LifecycleActionToken":")" + Uuid(random) + R"(","AutoScalingGroupName":")" + group +
      R"(","LifecycleHookName":"log-upload","EC2InstanceId":")" + instance +
      R"(","LifecycleTransition":"autoscaling:EC2_INSTANCE_)" +
      (terminate ? "TERMINATING" : "LAUNCHING") +
      R"(","NotificationMetadata":"{\"bucket\":\"logs-123456789012\",\"prefix\":\"php-fpm/\",\"retention\":30}","Origin":")" +
      (terminate ? "AutoScalingGroup" : "EC2") + R"(","Destination":")" +
      (terminate ? "EC2" : "AutoScalingGroup") + R"(","Capacity":)" +
      std::to_string(random() % 20) + R"(,"Details":{"Availability Zone":")" + region + "a" +
      R"(","Subnet ID":"subnet-0abc)" + std::to_string(random() % 9) + R"("}})";
  std::string resources = R"("arn:aws:autoscaling:)" + region +
                          R"(:123456789012:autoScalingGroup:)" + Uuid(random) +
                          ":autoScalingGroupName/" + group + R"(")";
  return Envelope(random,
                  terminate ? "EC2 Instance-terminate Lifecycle Action"
                            : "EC2 Instance-launch Lifecycle Action",
                  "aws.autoscaling", region, resources, detail);
}

std::string StateChangeEvent(std::mt19937_64& random) {
  std::string region = kRegions[random() % 4];
  std::string instance = InstanceId(random);
  std::string detail =
      R"({"instance-id":")" + instance + R"(","state":")" + kStates[random() % 6] + R"("})";
  return Envelope(random, "EC2 Instance State-change Notification", "aws.ec2", region,
                  R"("arn:aws:ec2:)" + region + ":123456789012:instance/" + instance + R"(")",
                  detail);
}

std::vector<std::string> MakeEvents(size_t count) {
  std::mt19937_64 random(42);
  std::vector<std::string> events;
  for (size_t i = 0; i < count; ++i) {
    uint64_t kind = random() % 10;
    events.push_back(kind < 5   ? CloudTrailEvent(random)
                     : kind < 8 ? LifecycleEvent(random)
                                : StateChangeEvent(random));
    // As EventBridge's envelope keeps simdjson's padding spare (RuleSet::MatchJsonInPlace).
    events.back().reserve(events.back().size() + 64);
  }
  return events;
}

std::vector<std::string> ExactPrefixRules() {
  std::vector<std::string> rules;
  for (int i = 0; i < 20; ++i) {
    rules.push_back(R"({"source":["aws.)" + std::string(kServices[i % 10]) +
                    R"("],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventName":[")" +
                    kOperations[(i * 3) % 10] + R"(",")" + kOperations[(i * 7 + 1) % 10] +
                    R"("]}})");
    rules.push_back(R"({"source":["aws.autoscaling"],"detail-type":["EC2 Instance-)" +
                    std::string(i % 2 ? "terminate" : "launch") +
                    R"( Lifecycle Action"],"detail":{"AutoScalingGroupName":[{"prefix":"web-)" +
                    std::to_string(i) + R"("}]}})");
    rules.push_back(
        R"({"detail":{"userIdentity":{"arn":[{"prefix":"arn:aws:sts::123456789012:assumed-role/role-)" +
        std::to_string(i) + R"(/"}]}}})");
    rules.push_back(R"({"region":[")" + std::string(kRegions[i % 4]) +
                    R"("],"source":["aws.ec2"],"detail":{"state":[")" + kStates[i % 6] + R"(",")" +
                    kStates[(i + 2) % 6] + R"("]}})");
    rules.push_back(i % 2 ? R"({"resources":[{"prefix":"arn:aws:autoscaling:)" +
                                std::string(kRegions[i % 4]) + R"(:"}]})"
                          : R"({"detail":{"requestParameters":{"bucketName":["bucket-)" +
                                std::to_string(i) + R"("]}}})");
  }
  return rules;
}

std::vector<std::string> MixedRules() {
  std::vector<std::string> rules;
  for (int i = 0; i < 10; ++i) {
    std::string n = std::to_string(i);
    rules.push_back(R"({"source":["aws.)" + std::string(kServices[i]) +
                    R"("],"detail":{"eventName":[")" + kOperations[i] + R"("]}})");
    rules.push_back(R"({"detail":{"AutoScalingGroupName":[{"prefix":"web-)" + n + R"("}]}})");
    rules.push_back(R"({"detail":{"requestParameters":{"key":[{"suffix":")" +
                    std::string(i % 2 ? "error.log" : ".log") + R"("}]}}})");
    rules.push_back(
        R"({"detail":{"userIdentity":{"sessionContext":{"sessionIssuer":{"userName":[{"equals-ignore-case":"ROLE-)" +
        n + R"("}]}}}}})");
    rules.push_back(R"({"detail":{"userAgent":[{"wildcard":"aws-cli/2.15.)" + n +
                    R"(*Linux*"}]}})");
    rules.push_back(R"({"source":["aws.ec2"],"detail":{"state":[{"anything-but":[")" +
                    std::string(kStates[i % 6]) + R"(","terminated"]}]}})");
    rules.push_back(R"({"detail":{"additionalEventData":{"bytesTransferredIn":[{"numeric":[">",)" +
                    std::to_string(i * 9000) + R"(,"<=",)" + std::to_string(i * 9000 + 5000) +
                    R"(]}]}}})");
    rules.push_back(R"({"detail":{"sourceIPAddress":[{"cidr":"10.)" + std::to_string(i % 8) +
                    R"(.)" + std::to_string(i * 16) + R"(.0/20"}]}})");
    rules.push_back(
        i % 2
            ? R"({"source":["aws.autoscaling"],"detail":{"NotificationMetadata":[{"exists":true}],"Capacity":[{"numeric":["<",)" +
                  n + R"(]}]}})"
            : R"({"source":["aws.s3"],"detail":{"errorCode":[{"exists":false}],"requestParameters":{"bucketName":[{"prefix":"bucket-)" +
                  n + R"("}]}}})");
    rules.push_back(R"({"$or":[{"detail-type":[{"prefix":"EC2 Instance-)" +
                    std::string(i % 2 ? "launch" : "terminate") + R"("}],"region":[")" +
                    kRegions[i % 4] +
                    R"("]},{"detail":{"eventSource":[{"anything-but":{"prefix":")" + kServices[i] +
                    R"("}}],"readOnly":[true]}}]})");
  }
  return rules;
}

// CPU time of this thread: the rate one core sustains, whatever else the machine runs.
double ThreadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// Runs `fn` over every event in batches for `seconds` of this thread's CPU time and returns
// the rate of the fastest batch: other processes on the machine only ever slow a batch
// down, so the fastest one is closest to what one core sustains.
template <typename Fn>
double EventsPerSecond(const std::vector<std::string>& events, double seconds, Fn&& fn) {
  double best = 1e100;
  double start = ThreadSeconds();
  while (ThreadSeconds() - start < seconds) {
    double batch_start = ThreadSeconds();
    for (size_t i = 0; i < events.size(); ++i) fn(i);
    best = std::min(best, ThreadSeconds() - batch_start);
  }
  return events.size() / best;
}

void Report(const char* what, double rate, size_t matches, size_t events) {
  std::printf("  %-48s %12.0f events/s  (%.2f matches/event)\n", what, rate,
              static_cast<double>(matches) / events);
}

void Measure(const char* title, const std::vector<std::string>& rule_texts,
             const std::vector<std::string>& events, const std::vector<std::string>& warm,
             const std::vector<Event>& parsed, double seconds) {
  RuleSet rules;
  std::vector<EventPattern> patterns;
  for (size_t i = 0; i < rule_texts.size(); ++i) {
    auto pattern = EventPattern::Compile(rule_texts[i]);
    if (!pattern.ok()) {
      std::fprintf(stderr, "rule %zu does not compile: %s\n%s\n", i,
                   pattern.status().message().c_str(), rule_texts[i].c_str());
      std::exit(1);
    }
    patterns.push_back(*pattern);
    rules.Put("rule-" + std::to_string(i), std::move(*pattern));
  }
  std::printf("%zu %s rules\n", rules.size(), title);
  size_t matches = 0;
  for (const std::string& json : events) matches += rules.MatchJson(json)->size();
  size_t sink = 0;
  std::vector<std::string_view> names;  // reused, as a stream consumer would
  auto match_into = [&](const std::string& json) {
    if (rules.MatchJson(json, names).ok()) sink += names.size();
  };
  Report("parse in place + match (MatchJsonInPlace)",
         EventsPerSecond(events, seconds,
                         [&](size_t i) {
                           if (rules.MatchJsonInPlace(events[i], names).ok()) sink += names.size();
                         }),
         matches, events.size());
  Report("parse + match (RuleSet::MatchJson, copies first)",
         EventsPerSecond(events, seconds, [&](size_t i) { match_into(events[i]); }), matches,
         events.size());
  Report("  the same, 100 events in cache",
         EventsPerSecond(warm, seconds, [&](size_t i) { match_into(warm[i]); }), matches,
         events.size());
  Report("  the same, a new result vector per event",
         EventsPerSecond(events, seconds,
                         [&](size_t i) { sink += rules.MatchJson(events[i])->size(); }),
         matches, events.size());
  Report("Event::Parse + RuleSet::Match",
         EventsPerSecond(events, seconds,
                         [&](size_t i) { sink += rules.Match(*Event::Parse(events[i])).size(); }),
         matches, events.size());
  Report("pre-parsed Event, RuleSet::Match",
         EventsPerSecond(events, seconds, [&](size_t i) { sink += rules.Match(parsed[i]).size(); }),
         matches, events.size());
  Report("pre-parsed Event, 100 x EventPattern::Matches",
         EventsPerSecond(events, seconds,
                         [&](size_t i) {
                           for (const EventPattern& p : patterns) sink += p.Matches(parsed[i]);
                         }),
         matches, events.size());
  if (sink == 0) std::printf("  (no matches)\n");
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  std::vector<std::string> events = MakeEvents(10'000);
  size_t bytes = 0;
  std::vector<Event> parsed;
  for (const std::string& e : events) {
    bytes += e.size();
    auto event = Event::Parse(e);
    if (!event.ok()) {
      std::fprintf(stderr, "bad event: %s\n%s\n", event.status().message().c_str(), e.c_str());
      return 1;
    }
    parsed.push_back(std::move(*event));
  }
  std::printf(
      "%zu distinct events, %zu bytes on average; one thread; fastest pass over all events, in\n"
      "events per second of the thread's CPU time\n",
      events.size(), bytes / events.size());
  std::vector<std::string> warm(events.begin(), events.begin() + 100);
  simdjson::dom::parser parser;
  std::string padded;
  std::printf(
      "  %-48s %12.0f events/s\n", "JSON parse alone (simdjson DOM, a floor)",
      EventsPerSecond(events, seconds, [&](size_t i) {
        padded.assign(events[i]);
        padded.resize(events[i].size() + simdjson::SIMDJSON_PADDING);
        simdjson::dom::element root;
        if (parser.parse(padded.data(), events[i].size(), false).get(root) != simdjson::SUCCESS)
          std::abort();
      }));
  std::printf("  %-48s %12.0f events/s\n", "Event::Parse alone (every field flattened)",
              EventsPerSecond(events, seconds, [&](size_t i) { (void)Event::Parse(events[i]); }));
  Measure("exact/prefix", ExactPrefixRules(), events, warm, parsed, seconds);
  Measure("mixed", MixedRules(), events, warm, parsed, seconds);
  return 0;
}
