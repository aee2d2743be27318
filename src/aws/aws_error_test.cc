#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

HttpResponse Response(int status, std::string body, Headers headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

TEST(AwsErrorTest, S3XmlErrorGivesCodeMessageAndHint) {
  Status s = AwsErrorToStatus(Response(404,
                                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                       "<Error><Code>NoSuchBucket</Code>"
                                       "<Message>The specified bucket does not exist</Message>"
                                       "<BucketName>logs</BucketName>"
                                       "<RequestId>4442587FB7D0A2F9</RequestId></Error>"));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.service_code(), "NoSuchBucket");
  EXPECT_EQ(s.message(),
            "NoSuchBucket: The specified bucket does not exist "
            "(check the bucket name, region and endpoint)");
}

TEST(AwsErrorTest, RequestIdIsReadFromXml) {
  AwsErrorInfo info =
      ParseAwsError(Response(403,
                             "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                             "<RequestId>ABC123</RequestId></Error>"));
  EXPECT_EQ(info.code, "AccessDenied");
  EXPECT_EQ(info.message, "Access Denied");
  EXPECT_EQ(info.request_id, "ABC123");
}

TEST(AwsErrorTest, QueryProtocolErrorResponse) {
  Status s = AwsErrorToStatus(
      Response(400,
               "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error>"
               "<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
               "<Message>The specified queue does not exist.</Message></Error>"
               "<RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId></ErrorResponse>"));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.service_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(s.message(),
            "AWS.SimpleQueueService.NonExistentQueue: The specified queue does not exist.");
}

TEST(AwsErrorTest, Ec2StyleErrorsList) {
  AwsErrorInfo info = ParseAwsError(
      Response(400,
               "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>"
               "<Message>The instance ID 'i-1' does not exist</Message></Error></Errors>"
               "<RequestID>r-1</RequestID></Response>"));
  EXPECT_EQ(info.code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(info.request_id, "r-1");
  EXPECT_EQ(AwsErrorStatusCode(400, info.code), StatusCode::kNotFound);
}

TEST(AwsErrorTest, JsonTypeWithNamespacePrefixAndLowercaseMessage) {
  Status s = AwsErrorToStatus(Response(
      400,
      R"({"__type":"com.amazonaws.ssm#InvalidInstanceId","message":"Instances not in a valid state"})"));
  EXPECT_EQ(s.service_code(), "InvalidInstanceId");
  EXPECT_EQ(s.message(), "InvalidInstanceId: Instances not in a valid state");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

TEST(AwsErrorTest, JsonCapitalMessageAndThrottling) {
  Status s = AwsErrorToStatus(
      Response(400, R"({"__type":"ThrottlingException","Message":"Rate exceeded"})"));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.service_code(), "ThrottlingException");
  EXPECT_EQ(s.message(), "ThrottlingException: Rate exceeded (the service is throttling requests)");
}

TEST(AwsErrorTest, JsonCodeFromHeaders) {
  Headers h{{"x-amzn-ErrorType", "UnrecognizedClientException:http://internal.amazon.com/coral/"}};
  Status s = AwsErrorToStatus(Response(400, R"({"message":"The security token is invalid."})", h));
  EXPECT_EQ(s.service_code(), "UnrecognizedClientException");
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);

  // SQS's JSON protocol keeps the Query protocol's code in x-amzn-query-error.
  Headers q{{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}};
  Status sqs = AwsErrorToStatus(
      Response(400, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"})", q));
  EXPECT_EQ(sqs.service_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(sqs.code(), StatusCode::kNotFound);
}

TEST(AwsErrorTest, BodilessResponsesAreDescribedByStatus) {
  Status not_found = AwsErrorToStatus(Response(404, ""));
  EXPECT_EQ(not_found.code(), StatusCode::kNotFound);
  EXPECT_EQ(not_found.service_code(), "NotFound");
  EXPECT_EQ(not_found.message(), "NotFound: HTTP 404");

  Status forbidden = AwsErrorToStatus(Response(403, ""));
  EXPECT_EQ(forbidden.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(forbidden.service_code(), "Forbidden");
  EXPECT_NE(forbidden.message().find("no details"), std::string::npos) << forbidden.message();

  Status precondition = AwsErrorToStatus(Response(412, ""));
  EXPECT_EQ(precondition.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(precondition.service_code(), "PreconditionFailed");

  EXPECT_EQ(AwsErrorToStatus(Response(503, "")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(AwsErrorToStatus(Response(503, "")).service_code(), "ServiceUnavailable");
  EXPECT_EQ(AwsErrorToStatus(Response(429, "")).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(AwsErrorToStatus(Response(400, "")).code(), StatusCode::kInvalidArgument);
}

TEST(AwsErrorTest, CredentialErrorsAreUnauthenticatedDespite403) {
  for (const char* code :
       {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidClientTokenId"}) {
    EXPECT_EQ(AwsErrorStatusCode(403, code), StatusCode::kUnauthenticated) << code;
  }
  EXPECT_EQ(AwsErrorStatusCode(403, "AccessDenied"), StatusCode::kPermissionDenied);
}

TEST(AwsErrorTest, OperatorHintsForCommonS3Errors) {
  Status sig = AwsErrorToStatus(
      Response(403,
               "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we "
               "calculated does not match the signature you provided.</Message></Error>"));
  EXPECT_TRUE(sig.message().ends_with("(check the secret key and clock)")) << sig.message();

  Status key = AwsErrorToStatus(
      Response(403,
               "<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided "
               "does not exist in our records.</Message></Error>"));
  EXPECT_TRUE(key.message().ends_with("(the access key id is not known to this endpoint)"))
      << key.message();

  Status skew = AwsErrorToStatus(Response(
      403,
      "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request "
      "time and the current time is too large.</Message></Error>"));
  EXPECT_EQ(skew.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(skew.message().find("clock"), std::string::npos);
}

TEST(AwsErrorTest, RedirectHintNamesTheBucketRegion) {
  Status s = AwsErrorToStatus(
      Response(301,
               "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to "
               "access must be addressed using the specified endpoint.</Message></Error>",
               Headers{{"x-amz-bucket-region", "eu-west-1"}}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.message().ends_with("(the bucket is in eu-west-1; use that region)"))
      << s.message();
}

TEST(AwsErrorTest, ConflictIsAlreadyExistsOrFailedPrecondition) {
  EXPECT_EQ(AwsErrorStatusCode(409, "BucketAlreadyOwnedByYou"), StatusCode::kAlreadyExists);
  EXPECT_EQ(AwsErrorStatusCode(409, "OperationAborted"), StatusCode::kFailedPrecondition);
}

TEST(AwsErrorTest, MultiLineMessagesBecomeOneLine) {
  AwsErrorInfo info = ParseAwsError(
      Response(400, "<Error><Code>X</Code><Message>first\n  second\r\n third</Message></Error>"));
  EXPECT_EQ(info.message, "first second third");
}

TEST(AwsErrorTest, NonAwsBodyIsQuotedBriefly) {
  Status s = AwsErrorToStatus(Response(502, "<html><body>Bad gateway</body></html>"));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.service_code(), "BadGateway");
  EXPECT_EQ(s.message(), "BadGateway: HTTP 502: <html><body>Bad gateway</body></html>");
}

TEST(AwsErrorTest, ErrorDocumentInsideA200) {
  auto err = ErrorInSuccessfulResponse(
      Response(200,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError</Code>"
               "<Message>We encountered an internal error. Please try again.</Message></Error>"));
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), StatusCode::kUnavailable);
  EXPECT_EQ(err->service_code(), "InternalError");

  EXPECT_FALSE(ErrorInSuccessfulResponse(Response(200,
                                                  "<CompleteMultipartUploadResult><ETag>\"x-2\"</"
                                                  "ETag></CompleteMultipartUploadResult>"))
                   .has_value());
  EXPECT_FALSE(ErrorInSuccessfulResponse(Response(200, "plain bytes")).has_value());
}

}  // namespace
}  // namespace lifeboat
