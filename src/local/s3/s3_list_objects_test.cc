#include <gtest/gtest.h>

#include "http/http_types.h"
#include "http/percent_encoding.h"
#include "local/s3/s3_test_support.h"

namespace lifeboat {
namespace {

class S3ListObjectsTest : public S3ServiceTest {
 protected:
  void SetUp() override {
    MakeBucket("bkt");
    for (const char* k : {"a.txt", "logs/2024/x", "logs/2024/y", "logs/2025/z", "logs/top",
                          "sp ace/one", "plus+/two", "zeta"}) {
      ASSERT_EQ(Put("/bkt/" + UriEncode(k, true), k).status, 200);
    }
  }
  std::vector<std::string> All(const std::string& xml, const std::string& name) {
    std::vector<std::string> out;
    const std::string open = "<" + name + ">", close = "</" + name + ">";
    for (size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
      const size_t end = xml.find(close, at);
      out.push_back(xml.substr(at + open.size(), end - at - open.size()));
    }
    return out;
  }
};

TEST_F(S3ListObjectsTest, V2PrefixDelimiterAndFields) {
  LocalResponse r = Get("/bkt?list-type=2&prefix=logs%2F&delimiter=%2F");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
            std::string::npos);
  EXPECT_EQ(XmlText(r.body, "Name"), "bkt");
  EXPECT_EQ(XmlText(r.body, "Prefix"), "logs/");
  EXPECT_EQ(XmlText(r.body, "Delimiter"), "/");
  EXPECT_EQ(XmlText(r.body, "KeyCount"), "3");
  EXPECT_EQ(XmlText(r.body, "MaxKeys"), "1000");
  EXPECT_EQ(XmlText(r.body, "IsTruncated"), "false");
  EXPECT_EQ(All(r.body, "Key"), std::vector<std::string>({"logs/top"}));
  EXPECT_EQ(All(r.body, "Prefix"), std::vector<std::string>({"logs/", "logs/2024/", "logs/2025/"}));
  EXPECT_EQ(XmlText(r.body, "Size"), "8");
  EXPECT_EQ(XmlText(r.body, "StorageClass"), "STANDARD");
  EXPECT_NE(XmlText(r.body, "ETag").find("&quot;"), std::string::npos);
  EXPECT_EQ(XmlText(r.body, "LastModified").size(), 24u);  // 2024-01-02T03:04:05.000Z
  EXPECT_EQ(XmlCount(r.body, "Owner"), 0);
  EXPECT_EQ(XmlCount(Get("/bkt?list-type=2&fetch-owner=true").body, "Owner"), 8);
}

TEST_F(S3ListObjectsTest, V2PaginationWithContinuationTokens) {
  std::vector<std::string> keys;
  std::string token;
  int pages = 0;
  for (;; ++pages) {
    ASSERT_LT(pages, 10);
    std::string target = "/bkt?list-type=2&max-keys=3";
    if (!token.empty()) target += "&continuation-token=" + UriEncode(token);
    LocalResponse r = Get(target);
    ASSERT_EQ(r.status, 200) << r.body;
    auto page = All(r.body, "Key");
    EXPECT_EQ(XmlText(r.body, "KeyCount"), std::to_string(page.size()));
    keys.insert(keys.end(), page.begin(), page.end());
    if (XmlText(r.body, "IsTruncated") == "false") {
      EXPECT_EQ(XmlCount(r.body, "NextContinuationToken"), 0);
      break;
    }
    EXPECT_EQ(page.size(), 3u);
    token = XmlText(r.body, "NextContinuationToken");
    ASSERT_FALSE(token.empty());
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(keys, std::vector<std::string>({"a.txt", "logs/2024/x", "logs/2024/y", "logs/2025/z",
                                            "logs/top", "plus+/two", "sp ace/one", "zeta"}));
  LocalResponse after = Get("/bkt?list-type=2&start-after=logs%2Ftop");
  EXPECT_EQ(All(after.body, "Key"), std::vector<std::string>({"plus+/two", "sp ace/one", "zeta"}));
  EXPECT_EQ(XmlText(after.body, "StartAfter"), "logs/top");
}

TEST_F(S3ListObjectsTest, CommonPrefixesCountTowardsMaxKeysAndAreNotRepeated) {
  LocalResponse first = Get("/bkt?list-type=2&delimiter=%2F&max-keys=2");
  EXPECT_EQ(All(first.body, "Key"), std::vector<std::string>({"a.txt"}));
  EXPECT_EQ(All(first.body, "Prefix").back(), "logs/");
  EXPECT_EQ(XmlText(first.body, "IsTruncated"), "true");
  LocalResponse second = Get("/bkt?list-type=2&delimiter=%2F&max-keys=2&continuation-token=" +
                             UriEncode(XmlText(first.body, "NextContinuationToken")));
  EXPECT_EQ(All(second.body, "Key"), std::vector<std::string>());
  EXPECT_EQ(All(second.body, "Prefix"), std::vector<std::string>({"", "plus+/", "sp ace/"}));
}

TEST_F(S3ListObjectsTest, UrlEncodingType) {
  LocalResponse r = Get("/bkt?list-type=2&encoding-type=url&delimiter=%2F&prefix=");
  EXPECT_EQ(XmlText(r.body, "EncodingType"), "url");
  auto prefixes = All(r.body, "Prefix");
  EXPECT_NE(std::find(prefixes.begin(), prefixes.end(), "sp%20ace/"), prefixes.end());
  EXPECT_NE(std::find(prefixes.begin(), prefixes.end(), "plus%2B/"), prefixes.end());
}

TEST_F(S3ListObjectsTest, V1MarkerAndNextMarker) {
  LocalResponse r = Get("/bkt?max-keys=2&delimiter=%2F");
  EXPECT_EQ(XmlText(r.body, "IsTruncated"), "true");
  EXPECT_EQ(XmlText(r.body, "NextMarker"), "logs/");
  EXPECT_EQ(XmlCount(r.body, "KeyCount"), 0);
  EXPECT_EQ(XmlCount(r.body, "Owner"), 1);
  LocalResponse next = Get("/bkt?max-keys=2&delimiter=%2F&marker=logs%2F");
  EXPECT_EQ(All(next.body, "Prefix"), std::vector<std::string>({"", "plus+/", "sp ace/"}));
}

TEST_F(S3ListObjectsTest, BadParametersAreInvalidArgument) {
  for (const char* q : {"max-keys=-1", "max-keys=ten", "continuation-token=%25%25",
                        "continuation-token=", "encoding-type=base64"}) {
    LocalResponse r = Get(std::string("/bkt?list-type=2&") + q);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(Code(r), "InvalidArgument") << q;
  }
  EXPECT_EQ(XmlText(Get("/bkt?list-type=2&max-keys=5000").body, "MaxKeys"), "1000");
}

}  // namespace
}  // namespace lifeboat
