// `serve --tls`: every port speaks HTTPS with the test PKI's localhost certificate; a client that
// trusts the test CA gets through (and the built-in ЕПГУ, which polls СМЭВ 3 over the same TLS,
// answers); plain HTTP and a client trusting another CA are refused, and the server keeps going.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <thread>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/util/uuid.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "tests/support/process.hpp"
#include "tests/support/serve.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {
const std::string kBin = GOSDOKI_BINARY;
const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
}  // namespace

TEST(TlsE2E, EveryPortSpeaksHttpsWithTheTestCertificate) {
  auto src = harness::directory_source(kSrc / "fixtures");
  auto fx = harness::load_fixtures(*src);
  ASSERT_TRUE(fx) << fx.error().message;
  auto dir = testkit::temp_dir("tls");
  auto s = testkit::start_serve(kBin, kSrc / "fixtures", dir, 1, {"--tls"});
  ASSERT_NE(s.admin, 0) << s.proc->log();
  const http::ClientTls trust{fx->world.ca.pem()};
  auto port = [](int p) { return static_cast<std::uint16_t>(p); };

  http::Client admin("127.0.0.1", port(s.admin), std::chrono::seconds(10), trust);
  auto info = admin.get("/admin/info");
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_EQ(info->status, 200);
  auto j = nlohmann::json::parse(info->body);
  EXPECT_EQ(j["smev3"]["1.3"].get<std::string>().rfind("https://127.0.0.1:", 0), 0u) << info->body;
  EXPECT_EQ(j["esia"]["token"].get<std::string>().rfind("https://", 0), 0u);
  for (int p : {s.smev3, s.esia, s.smev4}) {
    http::Client c("127.0.0.1", port(p), std::chrono::seconds(10), trust);
    auto r = c.get("/nothing-here");
    ASSERT_TRUE(r) << "port " << p << ": " << r.error().message;
    EXPECT_GE(r->status, 400) << "an HTTP answer over TLS on port " << p;
  }

  // Plain HTTP to a TLS port: no HTTP answer (the handshake fails), and the server lives on.
  http::Client plain("127.0.0.1", port(s.smev3), std::chrono::seconds(3));
  EXPECT_FALSE(plain.get("/transport_1_0_2/?wsdl"));
  // A client that trusts another CA (here: only СМЭВ's own signing certificate) is refused.
  http::Client wrong("127.0.0.1", port(s.admin), std::chrono::seconds(5), http::ClientTls{fx->world.smev.certificate.pem()});
  auto refused = wrong.get("/admin/health");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("certificate"), std::string::npos) << refused.error().message;
  // A CA text that is not PEM: a clear error, not a crash.
  http::Client broken("127.0.0.1", port(s.admin), std::chrono::seconds(5), http::ClientTls{"not a certificate"});
  auto bad = broken.get("/admin/health");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "http.tls");
  EXPECT_EQ(admin.get("/admin/health")->status, 200) << "still serving";

  // A signed request over TLS; the built-in ЕПГУ takes it over TLS too and answers.
  const auto& kp = *fx->organisation("hotel-sever")->identity;
  auto issued = admin.post("/admin/wallet/issue", "application/json", R"({"person":"petrov-p"})");
  ASSERT_TRUE(issued);
  ASSERT_EQ(issued->status, 200) << issued->body;
  std::string token = nlohmann::json::parse(issued->body)["token"];
  auto in = harness::check_input(*fx->organisation("hotel-sever"), Bytes(token.begin(), token.end()),
                                 *harness::load_face(*src, *fx, "petrov-p", "office-light"));
  gosqr::CheckRequest req;
  req.timestamp = "2026-01-15T10:00:00+03:00";
  req.qr_code = in.qr_bytes;
  req.face_image = in.face_image;
  req.face_image_captured_at = req.timestamp;
  req.purpose = in.purpose;
  req.organization = in.organization;
  req.point_of_service = in.point_of_service;
  VirtualClock clock(*parse_datetime("2026-01-15T10:00:00+03:00"), true);
  UuidGenerator ids(clock, 5);
  s3::SenderProvidedRequestData data;
  data.message_id = ids.v1();
  data.business_xml = gosqr::to_xml(req);
  http::Client smev("127.0.0.1", port(s.smev3), std::chrono::seconds(10), trust);
  auto sent = smev.post("/transport_1_0_2/", "text/xml; charset=utf-8",
                        *s3::sign_envelope(s3::build_send_request(s3::Version::v1_3, data), kp.key, kp.certificate),
                        {{"SOAPAction", "\"urn:SendRequest\""}});
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 200) << sent->body;
  std::optional<std::string> answered;
  for (int i = 0; i < 100 && !answered; ++i) {
    s3::MessageTypeSelector sel;
    sel.timestamp = "2026-01-15T10:00:00.000+03:00";
    auto r = smev.post("/transport_1_0_2/", "text/xml",
                       *s3::sign_envelope(s3::build_get_response(s3::Version::v1_3, sel), kp.key, kp.certificate),
                       {{"SOAPAction", "\"urn:GetResponse\""}});
    ASSERT_TRUE(r);
    auto env = s3::parse_envelope(r->body);
    ASSERT_TRUE(env) << r->body;
    auto m = s3::read_get_response_response(*env);
    ASSERT_TRUE(m) << r->body;
    if (m->has_value()) {
      answered = (*m)->original_message_id;
      EXPECT_NE(r->body.find("resultCode>OK</"), std::string::npos) << r->body.substr(0, 2000);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_TRUE(answered) << "ЕПГУ did not answer over TLS: " << s.proc->log();
  EXPECT_EQ(*answered, data.message_id);
  EXPECT_EQ(s.proc->terminate(), 0);
}

TEST(TlsE2E, TlsOptionsAreChecked) {
  auto dir = testkit::temp_dir("tls-options");
  auto half = testkit::run_process({kBin, "serve", "--tls", "--tls-cert", (kSrc / "fixtures/pki/tls-server.pem").string(),
                                    "--in-memory", "--smev3-port", "0", "--admin-port", "0", "--esia-port", "0", "--smev4-port", "0"});
  EXPECT_EQ(half.exit_code, 64) << half.err;
  EXPECT_NE(half.err.find("--tls-key"), std::string::npos) << half.err;
  auto mismatch = testkit::run_process({kBin, "serve", "--tls", "--tls-cert", (kSrc / "fixtures/pki/tls-server.pem").string(),
                                        "--tls-key", (kSrc / "fixtures/pki/bank-zarya-rsa.key").string(), "--in-memory",
                                        "--smev3-port", "0", "--admin-port", "0", "--esia-port", "0", "--smev4-port", "0"});
  EXPECT_EQ(mismatch.exit_code, 64) << mismatch.err;
  EXPECT_NE(mismatch.err.find("TLS private key"), std::string::npos) << mismatch.err;
}
