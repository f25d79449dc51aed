// What our СМЭВ 4 endpoint really answers, recorded and checked against our OpenAPI document by
// the independent validator (swagger-parser + ajv): OK, REJECTED, 400, 401, 403 and 429 answers
// of a live emulator, and the document it serves is the file in the repository.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "client/scan.hpp"
#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/util/uuid.hpp"
#include "emulator/emulator.hpp"
#include "emulator/epgu/provider.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "protocol/esia/client_secret.hpp"
#include "protocol/gosqr/json.hpp"
#include "tests/support/process.hpp"

using namespace gosdoki;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kSrc = GOSDOKI_SOURCE_DIR;
const fs::path kNodeDir = kSrc / "tests/interop/node";

}  // namespace

TEST(Smev4Recordings, LiveAnswersValidateAgainstOurOpenApiDocument) {
  if (testkit::run_process({"node", "--version"}).exit_code != 0) GTEST_SKIP() << "node is not installed";
  for (const char* p : {"@apidevtools/swagger-parser", "ajv", "ajv-formats"}) {
    if (!fs::exists(kNodeDir / "node_modules" / p)) GTEST_SKIP() << p << " is not installed (npm install, done by .ci/run)";
  }
  (void)crypto::init();
  auto src = harness::directory_source(kSrc / "fixtures");
  auto fx = harness::load_fixtures(*src);
  ASSERT_TRUE(fx) << fx.error().message;
  emulator::EmulatorOptions eo;
  eo.clock_start = fx->scenario_clock;
  eo.clock_frozen = true;
  auto emu = emulator::Emulator::start(fx->world, eo);
  ASSERT_TRUE(emu) << emu.error().message;
  auto& em = **emu;
  UuidGenerator ids(em.clock(), 11);

  const auto& hotel = *fx->organisation("hotel-sever");
  esia::TokenRequest tr;
  tr.client_id = hotel.org.mnemonic;
  tr.scope = "gosqr_docs_digpassport org_ogrn?org_oid=" + hotel.org.esia_oid;
  tr.timestamp = esia::format_timestamp(em.clock().now());
  tr.state = ids.v4();
  tr.client_certificate_hash = *esia::certificate_hash(hotel.identity->certificate);
  tr.client_secret = *esia::sign_client_secret(hotel.identity->key, esia::signed_string(tr));
  http::Client esia_http("127.0.0.1", em.esia_port());
  auto tok = esia_http.post(esia::kTokenPath, "application/x-www-form-urlencoded", tr.form());
  ASSERT_TRUE(tok && tok->status == 200) << (tok ? tok->body : tok.error().message);
  std::string token = json::parse(tok->body)["access_token"];

  auto face = read_file(kSrc / "fixtures/faces/petrov-p/office-light.jpg");
  ASSERT_TRUE(face);
  auto request_for = [&](const std::string& purpose) {
    auto issued = em.issue_qr("petrov-p");
    EXPECT_TRUE(issued);
    gosqr::CheckRequest r;
    r.timestamp = format_datetime(em.clock().now());
    r.qr_code = *client::scan_qr_bytes(issued->second, "qr");
    r.face_image = Bytes(face->begin(), face->end());
    r.face_image_captured_at = r.timestamp;
    r.purpose = purpose;
    r.organization = {hotel.org.ogrn, hotel.org.inn, hotel.org.kpp, hotel.org.name};
    r.point_of_service = hotel.point_of_service;
    return gosqr::to_json(r);
  };

  auto dir = fs::temp_directory_path() / ("gosdoki-smev4-rec-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  http::Client smev4("127.0.0.1", em.smev4_port());
  const std::string path = "/HTLSEV/gosqr/api/gosqr/v1/check";
  std::map<int, int> statuses;
  auto record = [&](const std::string& name, const json& body, const std::string& bearer) {
    http::Headers h{{"X-Request-Id", name}};
    if (!bearer.empty()) h.emplace_back("Authorization", "Bearer " + bearer);
    auto r = smev4.post(path, "application/json; charset=utf-8", body.dump(), h);
    ASSERT_TRUE(r);
    ++statuses[r->status];
    json rec{{"method", "POST"}, {"path", path}, {"status", r->status}, {"request", body},
             {"response", json::parse(r->body)}};
    std::ofstream(dir / (name + ".json")) << rec.dump(2);
  };
  record("ok-hotel", request_for("HOTEL"), token);
  json expired = request_for("HOTEL");
  em.clock().advance(std::chrono::seconds(181));
  expired["timestamp"] = format_datetime(em.clock().now());
  expired["faceImageCapturedAt"] = expired["timestamp"];
  record("rejected-qr-expired", expired, token);
  record("forbidden-purpose", request_for("FINANCIAL"), token);
  json bad = request_for("HOTEL");
  bad["organization"]["ogrn"] = 42;
  record("bad-request-type", bad, token);
  record("unauthorized", request_for("HOTEL"), "");
  em.provider().set_rate_limit("smev4", 1);
  em.clock().advance(std::chrono::seconds(60));
  record("within-limit", request_for("HOTEL"), token);
  record("rate-limited", request_for("HOTEL"), token);
  EXPECT_EQ(statuses[200], 3);  // OK, REJECTED, the one within the limit
  EXPECT_EQ(statuses[400], 1);
  EXPECT_EQ(statuses[401], 1);
  EXPECT_EQ(statuses[403], 1);
  EXPECT_EQ(statuses[429], 1);

  // The served document is the repository's, byte for byte; the validator checks it and every recording.
  auto served = smev4.get("/openapi/gosqr.json");
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200);
  auto file = read_file(kSrc / "protocol/smev4/openapi/gosqr-openapi.json");
  // The same document but for the servers entries, which name the listener that served it.
  std::string expected = *file;
  const std::string written = "http://127.0.0.1:8171", actual = "http://127.0.0.1:" + std::to_string(em.smev4_port());
  for (auto at = expected.find(written); at != std::string::npos; at = expected.find(written, at + 1)) {
    expected.replace(at, written.size(), actual);
  }
  EXPECT_TRUE(served->body == expected);
  EXPECT_NE(served->body.find(actual), std::string::npos);
  std::ofstream(dir / "served-openapi.json.doc") << served->body;
  auto v = testkit::run_process({"node", (kNodeDir / "openapi-validate.js").string(), (dir / "served-openapi.json.doc").string(),
                                 dir.string()},
                                std::chrono::seconds(120));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find(" 0 failed"), std::string::npos) << v.out;
  for (const char* name : {"ok-hotel", "rejected-qr-expired", "forbidden-purpose", "bad-request-type", "unauthorized",
                           "within-limit", "rate-limited"}) {
    EXPECT_NE(v.out.find(std::string(name) + ".json"), std::string::npos) << name << " was validated: " << v.out;
  }
  em.stop();
  fs::remove_all(dir);
}
