#include "common/status.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument(std::to_string(x) + " is odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  LIFEBOAT_ASSIGN_OR_RETURN(int h, Half(x));
  LIFEBOAT_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "3 is odd");
}

TEST(StatusTest, WithContextKeepsCodes) {
  Status s = Status(StatusCode::kNotFound, "gone", "NoSuchKey").WithContext("s3://b/k");
  EXPECT_EQ(s.message(), "s3://b/k: gone");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.service_code(), "NoSuchKey");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, PosixErrorMapsErrno) {
  EXPECT_EQ(PosixError("/f", ENOENT).code(), StatusCode::kNotFound);
  EXPECT_EQ(PosixError("/f", EACCES).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(PosixError("/f", ENOSPC).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(PosixError("/f", ELOOP).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PosixError("/f", ENOENT).message(), "/f: No such file or directory");
}

}  // namespace
}  // namespace lifeboat
