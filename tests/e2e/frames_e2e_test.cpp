// `frames generate` then `frames scan` through the real binary: the scan finds the QR in the
// first frame the ground truth calls readable, with its payload, and writes a 480x640 face.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/image/image.hpp"
#include "core/util/bytes.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
using testkit::run_process;

namespace {

const std::string kBin = GOSDOKI_BINARY;
const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;

TEST(FramesE2E, GenerateThenScan) {
  const auto dir = testkit::temp_dir("frames");
  for (const std::string name : {"webcam.mjpeg", "webcam.y4m"}) {
    const auto out = dir / name;
    auto gen = run_process({kBin, "frames", "generate", "--person", "petrov-p", "--out", out.string(), "--frames", "10",
                            "--seed", "5", "--fixtures", (kSrc / "fixtures").string()},
                           std::chrono::seconds(240));
    ASSERT_EQ(gen.exit_code, 0) << gen.out << gen.err;
    auto truth_text = read_file(out.string() + ".truth.json");
    ASSERT_TRUE(truth_text) << truth_text.error().message;
    const auto truth = nlohmann::json::parse(*truth_text);
    ASSERT_EQ(truth["frames"].size(), 10u);
    int first = -1;
    for (const auto& f : truth["frames"]) {
      if (f["kind"] == "qr-readable") {
        first = f["index"];
        break;
      }
    }
    ASSERT_GE(first, 0);
    const std::string payload = truth["payload"];
    EXPECT_EQ(payload.rfind("GQR1.M.", 0), 0u);

    const auto face = dir / (name + ".face.jpg");
    auto scan = run_process({kBin, "frames", "scan", out.string(), "--face-out", face.string()}, std::chrono::seconds(240));
    ASSERT_EQ(scan.exit_code, 0) << scan.out << scan.err;
    EXPECT_NE(scan.out.find("qr frame: " + std::to_string(first) + " "), std::string::npos) << scan.out;
    EXPECT_NE(scan.out.find("payload: " + payload + "\n"), std::string::npos) << scan.out;
    const auto at = scan.out.find("face frame: ");
    ASSERT_NE(at, std::string::npos);
    const int face_frame = std::stoi(scan.out.substr(at + 12));
    EXPECT_EQ(truth["frames"][static_cast<std::size_t>(face_frame)]["kind"], "face") << scan.out;
    auto jpeg = read_file(face);
    ASSERT_TRUE(jpeg);
    auto info = image::probe(as_bytes(*jpeg));
    ASSERT_TRUE(info);
    EXPECT_EQ(info->format, image::Format::jpeg);
    EXPECT_EQ(info->width, 480);
    EXPECT_EQ(info->height, 640);
  }
}

TEST(FramesE2E, BadInputsSayWhat) {
  const auto dir = testkit::temp_dir("frames-bad");
  ASSERT_TRUE(write_file(dir / "garbage.bin", std::string(5000, 'x')));
  auto r = run_process({kBin, "frames", "scan", (dir / "garbage.bin").string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("garbage.bin: not a frame source"), std::string::npos) << r.err;
  ASSERT_TRUE(write_file(dir / "huge.y4m", "YUV4MPEG2 W20000 H20000 F30:1\nFRAME\n"));
  r = run_process({kBin, "frames", "scan", (dir / "huge.y4m").string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("huge.y4m: header: field W: 20000x20000"), std::string::npos) << r.err;
  r = run_process({kBin, "frames", "generate", "--person", "nobody", "--out", (dir / "x.mjpeg").string(), "--fixtures",
                   (kSrc / "fixtures").string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("no person 'nobody'"), std::string::npos) << r.err;
}

}  // namespace
