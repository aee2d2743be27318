// Test helpers for the Lambda service: deployment packages built with libzip, as packaging
// tools build them, and small functions (a curl `bootstrap`, Python handlers).
#ifndef LIFEBOAT_LOCAL_LAMBDA_LAMBDA_TEST_SUPPORT_H_
#define LIFEBOAT_LOCAL_LAMBDA_LAMBDA_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace lifeboat {

struct ZipEntry {
  std::string name;  // a trailing '/' makes a directory
  std::string data;  // for a link: its target
  uint32_t mode = S_IFREG | 0644;
  zip_uint8_t opsys = ZIP_OPSYS_UNIX;
};

// The bytes of a zip holding `entries`, in order.
inline std::string MakeZip(const std::vector<ZipEntry>& entries) {
  std::string path = (std::filesystem::temp_directory_path() / "lifeboat-zip-XXXXXX").string();
  int fd = ::mkstemp(path.data());
  ::close(fd);
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  for (const ZipEntry& e : entries) {
    zip_int64_t index;
    if (!e.name.empty() && e.name.back() == '/') {
      index = zip_dir_add(archive, e.name.c_str(), 0);
    } else {
      zip_source_t* source = zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
      index = zip_file_add(archive, e.name.c_str(), source, 0);
    }
    EXPECT_GE(index, 0) << e.name << ": " << zip_strerror(archive);
    zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, e.opsys,
                                     e.mode << 16);
  }
  EXPECT_EQ(zip_close(archive), 0);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove(path);
  return bytes;
}

// A custom runtime as AWS's tutorial writes one: a shell loop on the Runtime API with
// curl. It answers {"echo": <event>, "pid": <its pid>, "request": <request id>}, and for
// an event containing "fail" posts an error instead.
inline std::string CurlBootstrap() {
  return R"SH(#!/bin/sh
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
headers="$(mktemp)"
while true; do
  event="$(curl -sS -D "$headers" "$api/invocation/next")"
  id="$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | cut -d' ' -f2 | tr -d '\r\n')"
  deadline="$(grep -i '^Lambda-Runtime-Deadline-Ms:' "$headers" | cut -d' ' -f2 | tr -d '\r\n')"
  case "$event" in
    *fail*)
      curl -sS -o /dev/null -H "Lambda-Runtime-Function-Error-Type: Custom.Failure" \
        -d '{"errorMessage":"asked to fail","errorType":"Custom.Failure"}' \
        "$api/invocation/$id/error" ;;
    *)
      curl -sS -o /dev/null \
        -d "{\"echo\":$event,\"pid\":$$,\"request\":\"$id\",\"deadline\":$deadline,\"handler\":\"${_HANDLER:-}\"}" \
        "$api/invocation/$id/response" ;;
  esac
done
)SH";
}

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_LAMBDA_TEST_SUPPORT_H_
