// AwsClientTest<Client>: the fixture of an API client's unit tests. The client runs over a
// real AwsTransport (signing, retries) whose network is a FakeHttpClient and whose clock and
// sleeps are a MemEnv; retries are quick and unjittered.
#ifndef LIFEBOAT_TESTS_FAKES_AWS_CLIENT_TEST_H_
#define LIFEBOAT_TESTS_FAKES_AWS_CLIENT_TEST_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "aws/aws_transport.h"
#include "aws/credentials.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {

// Options for `service` in us-east-1: at most 3 attempts, no jitter.
inline AwsTransportOptions QuickRetries(AwsTransportOptions options) {
  options.max_attempts = 3;
  options.jitter = [] { return 0.0; };
  return options;
}
inline AwsTransportOptions QuickRetries(std::string service) {
  AwsTransportOptions options;
  options.service = std::move(service);
  options.region = "us-east-1";
  return QuickRetries(std::move(options));
}

template <typename Client>
class AwsClientTest : public ::testing::Test {
 protected:
  // `client_args` follow the transport in the client's constructor.
  template <typename... ClientArgs>
  explicit AwsClientTest(AwsTransportOptions options, ClientArgs&&... client_args)
      : transport_(http_, credentials_, env_, std::move(options)),
        client_(transport_, std::forward<ClientArgs>(client_args)...) {}

  HttpRequest LastRequest() const { return http_.requests().back(); }

  FakeHttpClient http_;
  MemEnv env_;
  StaticCredentialsProvider credentials_{
      Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt, "test"}};
  AwsTransport transport_;
  Client client_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_AWS_CLIENT_TEST_H_
