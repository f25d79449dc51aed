// How an ИС team tests its check-in flow against GosDoki Sandbox: the sandbox runs in the test
// process on loopback ports; the hotel's ИС (a command-line program here) scans the QR file,
// sends the check and writes the form-prefill JSON; the test reads what the operator would see
// and what happened on the wire.
#include <gosdoki/sandbox.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

class HotelCheckIn : public ::testing::Test {
 protected:
  gosdoki::sandbox::Sandbox sandbox;  // fresh emulator per test, frozen virtual clock
  fs::path dir = fs::temp_directory_path() / ("hotel-is-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());

  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }

  struct Outcome {
    int exit_code;
    nlohmann::json screen;
  };
  // What the front desk does: scan the guest's QR, take a photo, run the check.
  Outcome check_in(const std::string& guest, const std::string& channel = "smev3") {
    write(dir / "qr.png", sandbox.issue_qr(guest));
    write(dir / "face.jpg", sandbox.face(guest, "office-light"));
    std::string cmd = std::string(HOTEL_IS_COMMAND) + " client check --org hotel-sever --purpose HOTEL --channel " + channel +
                      " --qr " + (dir / "qr.png").string() + " --face " + (dir / "face.jpg").string() + " --emulator " +
                      sandbox.admin_url() + " --prefill " + (dir / "prefill.json").string() + " > " +
                      (dir / "out.txt").string() + " 2>&1";
    int status = std::system(cmd.c_str());
    std::ifstream in(dir / "prefill.json");
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, nlohmann::json::parse(in, nullptr, false)};
  }
};

}  // namespace

TEST_F(HotelCheckIn, TheGuestsPassportIsOnTheScreen) {
  auto r = check_in("petrov-p");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.screen["resultCode"], "OK");
  EXPECT_EQ(r.screen["person"]["lastName"], "Петров");
  EXPECT_EQ(sandbox.count("smev3", "SendRequest", "requestIsQueued"), 1u);
  EXPECT_EQ(sandbox.count("smev3", "Ack", "ok"), 2u) << "ЕПГУ acked the request, our ИС the answer";
}

TEST_F(HotelCheckIn, OneSmevFailureIsRetried) {
  sandbox.add_fault(R"({"operation": "SendRequest", "action": "soapFault", "fault": "SMEVFailure"})");
  auto r = check_in("ivanova-m");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.screen["resultCode"], "OK");
  EXPECT_EQ(sandbox.count("smev3", "SendRequest", "SMEVFailure (injected)"), 1u);
}

TEST_F(HotelCheckIn, AQrOlderThanThreeMinutesIsRefused) {
  write(dir / "qr.png", sandbox.issue_qr("sidorov-a"));
  sandbox.advance(std::chrono::seconds(181));
  write(dir / "face.jpg", sandbox.face("sidorov-a"));
  std::string cmd = std::string(HOTEL_IS_COMMAND) + " client check --org hotel-sever --purpose HOTEL --qr " +
                    (dir / "qr.png").string() + " --face " + (dir / "face.jpg").string() + " --emulator " + sandbox.admin_url() +
                    " --prefill " + (dir / "prefill.json").string() + " > /dev/null 2>&1";
  int status = std::system(cmd.c_str());
  EXPECT_NE(WEXITSTATUS(status), 0);
  std::ifstream in(dir / "prefill.json");
  auto screen = nlohmann::json::parse(in, nullptr, false);
  EXPECT_EQ(screen["resultCode"], "QR_EXPIRED");
  EXPECT_FALSE(screen.contains("person")) << "nothing disclosed on a refusal";
}

TEST_F(HotelCheckIn, OverSmev4WithAnEsiaToken) {
  auto r = check_in("kuznetsova-e", "smev4");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.screen["resultCode"], "OK");
  EXPECT_EQ(sandbox.count("esia", "token", "ok"), 1u);
}

TEST_F(HotelCheckIn, TheSandboxHandsOutTheIsCredentialsAndNamesBadArguments) {
  auto c = sandbox.organisation("hotel-sever");
  EXPECT_EQ(c.mnemonic, "HTLSEV");
  EXPECT_NE(c.key_pem.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(c.certificate_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_THROW(sandbox.organisation("no-such-org"), std::invalid_argument);
  EXPECT_THROW(sandbox.add_fault(R"({"operation": "GetResponse", "action": "explode"})"), std::invalid_argument);
  sandbox.reset();
  EXPECT_TRUE(sandbox.journal().empty()) << "a fresh emulator";
}
