// local_put: PutObject throughput from parallel clients, with lifeboat's own S3 client
// (SigV4, CRC32C on every object), against any S3 endpoint; bench/local-s3 points it at
// `lifeboat local`.
//
//   local_put --endpoint http://127.0.0.1:PORT --bucket B [--clients 8] [--size 8MiB]
//             [--objects 96]
//
// Prints one line: objects, bytes, seconds, MiB/s.
#include <CLI/CLI.hpp>

#include <atomic>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "aws/aws_session.h"
#include "common/units.h"
#include "http/curl_http_client.h"
#include "store/open_store.h"

namespace lifeboat {
namespace {

int Run(int argc, char** argv) {
  std::string endpoint, bucket, size_text = "8MiB";
  int clients = 8, objects = 96;
  CLI::App app("PutObject throughput from parallel clients");
  app.add_option("--endpoint", endpoint)->required();
  app.add_option("--bucket", bucket)->required();
  app.add_option("--clients", clients);
  app.add_option("--size", size_text);
  app.add_option("--objects", objects);
  CLI11_PARSE(app, argc, argv);
  auto size = ParseByteSize(size_text);
  if (!size.ok()) return std::fprintf(stderr, "%s\n", size.status().message().c_str()), 2;

  Env* env = Env::Default();
  AwsSessionOptions options;
  options.endpoint_url = endpoint;
  options.region = "us-east-1";
  auto session = AwsSession::Create(env, std::make_unique<CurlHttpClient>(), options);
  if (!session.ok()) return std::fprintf(stderr, "%s\n", session.status().message().c_str()), 1;
  auto url = ParseStoreUrl("s3://" + bucket + "/bench");
  auto opened = OpenStore(*url, env, session->get());
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.status().message().c_str()), 1;
  // PutObject itself (one request per object), not the store's writer, which switches to
  // multipart at its part size.
  S3Client* s3 = opened->s3.get();

  // Different bytes per client, so nothing can be deduplicated or cached away.
  std::vector<std::string> bodies;
  for (int c = 0; c < clients; ++c) {
    std::string body(*size, '\0');
    uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(c + 1);
    for (size_t i = 0; i + 8 <= body.size(); i += 8) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      std::memcpy(body.data() + i, &x, 8);
    }
    bodies.push_back(std::move(body));
  }
  std::atomic<int> next{0}, failed{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i; (i = next++) < objects;) {
        PutObjectRequest put;
        put.bucket = bucket;
        put.key = "bench/object-" + std::to_string(i);
        put.body = bodies[static_cast<size_t>(c)];
        if (!s3->PutObject(std::move(put)).ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double mib = static_cast<double>(*size) * objects / (1 << 20);
  std::printf("objects %d bytes %.0f seconds %.3f MiB/s %.1f failed %d\n", objects, mib * (1 << 20),
              seconds, mib / seconds, failed.load());
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace lifeboat

int main(int argc, char** argv) { return lifeboat::Run(argc, argv); }
