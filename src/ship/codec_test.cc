#include "ship/codec.h"

#include <gtest/gtest.h>

#include <random>

namespace lifeboat {
namespace {

std::string Encode(Codec codec, int level, const std::vector<std::string>& pieces) {
  auto enc = Encoder::Create(codec, level);
  EXPECT_TRUE(enc.ok()) << enc.status().ToString();
  uint64_t total = 0;
  for (const auto& p : pieces) total += p.size();
  std::string out;
  EXPECT_TRUE((*enc)->Begin(total).ok());
  for (const auto& p : pieces) EXPECT_TRUE((*enc)->Update(p, &out).ok());
  EXPECT_TRUE((*enc)->Finish(&out).ok());
  return out;
}

Result<std::string> Decode(Codec codec, std::string_view frame) {
  std::string raw;
  Status s = DecodeFrame(codec, frame, [&](std::string_view d) {
    raw.append(d);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return raw;
}

std::string LogLines(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += "10.0.0." + std::to_string(i % 250) + " - - [01/May/2024:12:00:00 +0000] \"GET /item/" +
         std::to_string(i * 7919 % 100000) + " HTTP/1.1\" 200 512\n";
  }
  return s;
}

class CodecRoundTrip : public ::testing::TestWithParam<Codec> {};

TEST_P(CodecRoundTrip, ManyPiecesDecodeToTheSameBytes) {
  const Codec codec = GetParam();
  const std::string text = LogLines(20000);
  std::vector<std::string> pieces;
  for (size_t at = 0; at < text.size(); at += 100000) pieces.push_back(text.substr(at, 100000));
  const std::string frame = Encode(codec, CodecDefaultLevel(codec), pieces);
  if (codec != Codec::kNone) {
    EXPECT_LT(frame.size() * 4, text.size());  // logs compress well
  }
  auto raw = Decode(codec, frame);
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_EQ(*raw, text);
}

TEST_P(CodecRoundTrip, EncoderIsReusableAcrossFrames) {
  const Codec codec = GetParam();
  auto enc = *Encoder::Create(codec, CodecDefaultLevel(codec));
  for (const std::string& text : {LogLines(10), std::string(), LogLines(3)}) {
    std::string out;
    ASSERT_TRUE(enc->Begin(text.size()).ok());
    ASSERT_TRUE(enc->Update(text, &out).ok());
    ASSERT_TRUE(enc->Finish(&out).ok());
    EXPECT_EQ(*Decode(codec, out), text);
  }
}

TEST_P(CodecRoundTrip, BinaryDataSurvives) {
  std::mt19937 rng(7);
  std::string bin(300000, '\0');
  for (char& c : bin) c = static_cast<char>(rng());
  const Codec codec = GetParam();
  EXPECT_EQ(*Decode(codec, Encode(codec, CodecDefaultLevel(codec), {bin})), bin);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecRoundTrip,
                         ::testing::Values(Codec::kZstd, Codec::kGzip, Codec::kNone),
                         [](const auto& info) { return std::string(CodecName(info.param)); });

TEST(CodecTest, CorruptAndTruncatedFramesAreDataLoss) {
  for (Codec codec : {Codec::kZstd, Codec::kGzip}) {
    std::string frame = Encode(codec, CodecDefaultLevel(codec), {LogLines(500)});
    std::string truncated = frame.substr(0, frame.size() / 2);
    EXPECT_EQ(Decode(codec, truncated).status().code(), StatusCode::kDataLoss) << CodecName(codec);
    std::string flipped = frame;
    flipped[flipped.size() / 2] ^= 0x55;
    EXPECT_FALSE(Decode(codec, flipped).ok()) << CodecName(codec);
    EXPECT_EQ(Decode(codec, frame + "x").status().code(), StatusCode::kDataLoss) << CodecName(codec);
  }
}

TEST(CodecTest, NamesLevelsAndExtensions) {
  EXPECT_EQ(*ParseCodec("gzip"), Codec::kGzip);
  EXPECT_EQ(ParseCodec("lz4").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CodecExtension(Codec::kZstd), ".zst");
  EXPECT_EQ(CodecFromObjectName("a/000000-1-2.gz"), Codec::kGzip);
  EXPECT_EQ(CodecFromObjectName("a/000000-1-2"), Codec::kNone);
  EXPECT_FALSE(Encoder::Create(Codec::kGzip, 10).ok());
  EXPECT_FALSE(Encoder::Create(Codec::kZstd, 0).ok());
  EXPECT_TRUE(Encoder::Create(Codec::kZstd, 19).ok());
}

}  // namespace
}  // namespace lifeboat
