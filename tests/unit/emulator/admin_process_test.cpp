// The admin API's figures the load tool builds on: GET /admin/process counts the process's
// cryptography and CPU time; POST /admin/wallet/issue can leave out the PNG.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/emulator/smev3_fault_fixture.hpp"

using namespace gosdoki;
using nlohmann::json;
using gosdoki::testkit::Smev3Faults;

TEST_F(Smev3Faults, AdminProcessCountsTheCryptographyOfACall) {
  http::Client admin("127.0.0.1", emu_->admin_port());
  auto read = [&] {
    auto r = admin.get("/admin/process");
    EXPECT_TRUE(r && r->status == 200);
    return json::parse(r ? r->body : std::string("{}"));
  };
  auto before = read();
  ASSERT_TRUE(before.contains("crypto")) << before.dump();
  EXPECT_GT(before["cpuSeconds"].get<double>(), 0.0);
  ASSERT_EQ(post(send_request_text("hotel-sever", ids_->v1(), business()), "SendRequest").status, 200);
  auto after = read();
  // СМЭВ verified the ЭП-ОВ (and the ЭП-СП when there is one) and signed its answer; the test
  // process signed the request itself, so the counts grew by at least those.
  EXPECT_GE(after["crypto"]["verifies"].get<std::uint64_t>(), before["crypto"]["verifies"].get<std::uint64_t>() + 1);
  EXPECT_GE(after["crypto"]["signs"].get<std::uint64_t>(), before["crypto"]["signs"].get<std::uint64_t>() + 2);
  EXPECT_GT(after["crypto"]["gostDigestBytes"].get<std::uint64_t>(), before["crypto"]["gostDigestBytes"].get<std::uint64_t>());
  EXPECT_GE(after["cpuSeconds"].get<double>(), before["cpuSeconds"].get<double>());
}

TEST_F(Smev3Faults, WalletIssueCanLeaveOutTheImage) {
  http::Client admin("127.0.0.1", emu_->admin_port());
  auto with = admin.post("/admin/wallet/issue", "application/json", R"({"person":"petrov-p"})");
  ASSERT_TRUE(with);
  ASSERT_EQ(with->status, 200) << with->body;
  auto w = json::parse(with->body);
  EXPECT_EQ(w["png"].get<std::string>().rfind("iVBORw0KGgo", 0), 0u) << "a Base64 PNG";
  auto without = admin.post("/admin/wallet/issue", "application/json", R"({"person":"petrov-p","image":false})");
  ASSERT_TRUE(without);
  ASSERT_EQ(without->status, 200) << without->body;
  auto wo = json::parse(without->body);
  EXPECT_FALSE(wo.contains("png")) << without->body;
  EXPECT_FALSE(wo["token"].get<std::string>().empty());
  EXPECT_NE(wo["token"], w["token"]);
  auto bad = admin.post("/admin/wallet/issue", "application/json", R"({"person":"petrov-p","image":"no"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("'image'"), std::string::npos) << bad->body;
  // A misspelt field is named, not ignored (it would silently give the PNG).
  auto typo = admin.post("/admin/wallet/issue", "application/json", R"({"person":"petrov-p","imag":false})");
  ASSERT_TRUE(typo);
  EXPECT_EQ(typo->status, 400);
  EXPECT_NE(typo->body.find("unknown field 'imag'"), std::string::npos) << typo->body;
}
