// The citizen's apps and Госкан: the prerequisites in their order, the consent deadline, the
// MAX device binding and status-only disclosure, the Госкан app API over real HTTP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "emulator/apps/apps.hpp"
#include "emulator/emulator.hpp"
#include "emulator/epgu/provider.hpp"
#include "tests/support/fixtures.hpp"

namespace gosdoki {
namespace {

using emulator::Citizen;
using emulator::person_refusal;

Citizen adult() {
  Citizen c;
  c.id = "test-person";
  c.oid = "1000000001";
  c.birth_date = "1990-01-01";
  c.reference_face = std::make_shared<image::Image>(image::make(480, 640, 3, 128));
  c.max_id = emulator::MaxDigitalId{"ebs", "", {"adult"}};
  return c;
}

TimePoint at(const char* text) { return *parse_datetime(text); }

std::string code(const std::optional<emulator::Refusal>& r) { return r ? r->code : "OK"; }

TEST(Apps, MpguPrerequisitesInTheirOrder) {
  emulator::Settings s;
  const TimePoint now = at("2026-01-15T10:00:00.000+03:00");
  Citizen c = adult();
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), "OK");
  // Every prerequisite missing at once: the account is named first, then each in turn.
  c.trusted = false;
  c.consent = false;
  c.biometrics = false;
  c.photo = "none";
  c.birth_date = "2013-06-01";
  const char* order[] = {"ACCOUNT_NOT_CONFIRMED", "NO_CONSENT", "NO_BIOMETRICS", "PHOTO_NOT_CONFIRMED", "AGE_UNDER_14"};
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), order[0]);
  c.trusted = true;
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), order[1]);
  c.consent = true;
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), order[2]);
  c.biometrics = true;
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), order[3]);
  c.photo = "pending";
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), order[3]) << "a photo under review does not count yet";
  c.photo = "confirmed";
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), order[4]);
  // 14 on the day of the 14th birthday (Moscow time), not the day before.
  c.birth_date = "2012-01-15";
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), "OK");
  c.birth_date = "2012-01-16";
  EXPECT_EQ(code(person_refusal(c, 'M', now, s)), "AGE_UNDER_14");
}

TEST(Apps, SimpleSignatureCountsUntilTheFirstOfJuly2027MoscowTime) {
  emulator::Settings s;  // the default deadline: 2027-07-01 00:00 MSK
  Citizen c = adult();
  c.consent_method = "simple";
  EXPECT_EQ(code(person_refusal(c, 'M', at("2027-06-30T23:59:59.999+03:00"), s)), "OK");
  EXPECT_EQ(code(person_refusal(c, 'M', at("2027-06-30T21:00:00.000Z"), s)), "NO_CONSENT") << "that is midnight in Moscow";
  c.consent_method = "goskey";
  EXPECT_EQ(code(person_refusal(c, 'M', at("2030-01-01T00:00:00.000+03:00"), s)), "OK");
}

TEST(Apps, MaxNeedsAnIdAndEighteenYears) {
  emulator::Settings s;
  const TimePoint now = at("2026-01-15T10:00:00.000+03:00");
  Citizen c = adult();
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "OK");
  c.consent = false;  // the ГосДоки consent is not a MAX prerequisite
  c.photo = "none";
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "OK");
  c.biometrics = false;
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "NO_BIOMETRICS") << "route ebs rests on ЕБС biometrics";
  c.max_id->route = "nfc-passport";
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "OK");
  c.birth_date = "2008-01-16";  // 17 for one more day
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "AGE_UNDER_18");
  c.max_id.reset();
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "MAX_ID_NOT_CREATED");
  c.trusted = false;
  EXPECT_EQ(code(person_refusal(c, 'X', now, s)), "ACCOUNT_NOT_CONFIRMED");
}

TEST(Apps, IssueRefusesOrShowsAndMaxIsBoundToItsDevice) {
  VirtualClock clock(at("2026-01-15T10:00:00.000+03:00"), true);
  emulator::Settings s;
  emulator::Wallet wallet(clock, "key", s, 1);
  Citizen c = adult();
  auto shown = emulator::issue_from_app(wallet, c, "max", "test-person-phone", clock.now(), s);
  ASSERT_TRUE(shown);
  ASSERT_TRUE(shown->record);
  EXPECT_EQ(shown->record->source, 'X');
  EXPECT_EQ(shown->record->expires_at - shown->record->issued_at, std::chrono::seconds(30));
  auto other = emulator::issue_from_app(wallet, c, "max", "tablet", clock.now(), s);
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->record);
  EXPECT_EQ(other->screen.code, "DEVICE_MISMATCH");
  EXPECT_EQ(wallet.size(), 1u) << "a refusal issues nothing";
  auto mpgu = emulator::issue_from_app(wallet, c, "mpgu", "tablet", clock.now(), s);
  ASSERT_TRUE(mpgu && mpgu->record) << "the Gosuslugi app has no device binding";
  EXPECT_EQ(mpgu->record->expires_at - mpgu->record->issued_at, std::chrono::seconds(180));
  auto bad = emulator::issue_from_app(wallet, c, "sberbank", "tablet", clock.now(), s);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "wallet.app");
}

TEST(Apps, CitizenChangesNameTheKeyAndTheAllowedValues) {
  Citizen c = adult();
  EXPECT_TRUE(emulator::change_citizen(c, "photo", "pending"));
  EXPECT_EQ(c.photo, "pending");
  EXPECT_TRUE(emulator::change_citizen(c, "maxId.statuses", "adult, student"));
  EXPECT_EQ(c.max_id->statuses, (std::vector<std::string>{"adult", "student"}));
  EXPECT_TRUE(emulator::change_citizen(c, "maxId", "none"));
  EXPECT_FALSE(c.max_id);
  auto e = emulator::change_citizen(c, "maxId.device", "x");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("no MAX"), std::string::npos);
  e = emulator::change_citizen(c, "photo", "maybe");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("confirmed, pending, none"), std::string::npos) << e.error().message;
  e = emulator::change_citizen(c, "trusted", "yes");
  ASSERT_FALSE(e);
  e = emulator::change_citizen(c, "birthDate", "15.01.2000");
  ASSERT_FALSE(e);
  e = emulator::change_citizen(c, "shoeSize", "42");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "citizen.key");
}

// Госкан over the real admin listener: what the checker's phone gets, and how bad requests fail.
class GoskanApi : public ::testing::Test {
 protected:
  void SetUp() override {
    auto emu = emulator::Emulator::start(testkit::fixtures().world, {});
    ASSERT_TRUE(emu) << emu.error().message;
    emu_ = std::move(*emu);
    auto info = nlohmann::json::parse(emu_->info_json());
    url_ = *http::parse_url(info["mpgu"]["goskanScan"].get<std::string>());
  }
  http::Response post(const std::string& body) {
    http::Client c(url_.host, url_.port);
    auto r = c.post(url_.target, "application/json", body);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : http::Response{};
  }
  std::string oid(const std::string& id) { return emu_->world().citizens.at(index(id)).oid; }
  std::size_t index(const std::string& id) {
    for (std::size_t i = 0; i < emu_->world().citizens.size(); ++i) {
      if (emu_->world().citizens[i].id == id) return i;
    }
    return 0;
  }
  std::unique_ptr<emulator::Emulator> emu_;
  http::Url url_;
};

TEST_F(GoskanApi, ShowsTheTrustedPhotoAndWhatThePurposeAllows) {
  auto qr = emu_->issue_qr("petrov-p");
  ASSERT_TRUE(qr);
  nlohmann::json body{{"checker", oid("sidorov-a")}, {"qr", qr->first.token}, {"purpose", "HOTEL"}};
  auto r = post(body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["resultCode"], "OK");
  EXPECT_EQ(j["source"], "MPGU");
  EXPECT_EQ(j["person"]["lastName"], "Петров");
  auto photo = base64_decode(j["trustedPhoto"].get<std::string>());
  ASSERT_TRUE(photo);
  auto img = image::decode(*photo, 3);
  ASSERT_TRUE(img) << "the trusted photo is a real JPEG";
  EXPECT_EQ(img->width, 480);
  EXPECT_EQ(img->height, 640);
  // The QR is used up by the scan.
  r = post(body.dump());
  EXPECT_EQ(nlohmann::json::parse(r.body)["resultCode"], "QR_ALREADY_USED");
  EXPECT_FALSE(nlohmann::json::parse(r.body).contains("trustedPhoto"));
}

TEST_F(GoskanApi, AnUnknownCheckerIsNotAuthorised) {
  auto qr = emu_->issue_qr("petrov-p");
  ASSERT_TRUE(qr);
  auto r = post(nlohmann::json{{"checker", "999"}, {"qr", qr->first.token}}.dump());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["resultCode"], "CHECKER_NOT_AUTHORISED");
  // …and the QR is still unused.
  r = post(nlohmann::json{{"checker", oid("smirnov-d")}, {"qr", qr->first.token}}.dump());
  EXPECT_EQ(nlohmann::json::parse(r.body)["resultCode"], "OK");
}

TEST_F(GoskanApi, BadRequestsAreProblemsNamingTheField) {
  struct Case {
    std::string body;
    int status;
    std::string mentions;
  };
  for (const Case& c : {Case{"not json", 400, "JSON object"}, Case{R"({"checker":"1"})", 400, "'qr'"},
                        Case{R"({"checker":"1","qr":"x","colour":"red"})", 400, "colour"},
                        Case{R"({"checker":1,"qr":"x"})", 400, "'checker' must be a string"},
                        Case{R"({"checker":"1","qr":"x","purpose":"BEER"})", 400, "BEER"},
                        Case{R"({"checker":"1","qr":")" + std::string(5000, 'A') + R"("})", 413, "4096"}}) {
    auto r = post(c.body);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 60);
    EXPECT_NE(r.body.find(c.mentions), std::string::npos) << r.body;
  }
  auto r = post(nlohmann::json{{"checker", oid("smirnov-d")}, {"qr", "GQR1.M.forged.sig"}}.dump());
  EXPECT_EQ(nlohmann::json::parse(r.body)["resultCode"], "QR_MALFORMED");
}

// maxDisclosure: status (the default) shows a MAX Цифровой ID's statuses only; purpose treats
// it like a Gosuslugi QR (U15 of the domain notes: whether the real вид сведений does is unknown).
TEST(Apps, MaxDisclosureIsConfigurable) {
  for (const char* mode : {"status", "purpose"}) {
    emulator::World world = testkit::fixtures().world;
    world.settings.max_disclosure = mode;
    auto emu = emulator::Emulator::start(std::move(world), {});
    ASSERT_TRUE(emu) << emu.error().message;
    auto qr = (*emu)->issue_qr("petrov-p", "max");
    ASSERT_TRUE(qr) << qr.error().message;
    emulator::GoskanRequest r;
    r.checker_oid = (*emu)->world().citizens.at(2).oid;
    r.qr = qr->first.token;
    r.purpose = "HOTEL";
    auto screen = (*emu)->provider().goskan_scan(r);
    ASSERT_EQ(screen.result_code, "OK") << mode << ": " << screen.message;
    EXPECT_EQ(screen.source, "MAX");
    EXPECT_EQ(screen.data.person.has_value(), std::string(mode) == "purpose") << mode;
    if (screen.data.person) {
      EXPECT_EQ(screen.data.person->last_name, "Петров");
    }
    EXPECT_EQ(screen.data.age_confirmed_18.has_value(), std::string(mode) == "status") << mode;
  }
}

}  // namespace
}  // namespace gosdoki
