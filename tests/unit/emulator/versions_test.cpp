// Every operation on every message-exchange version, with an outside provider (the test plays
// both sides): each envelope on the wire validates against the schema of its version — the
// official one for 1.1 and 1.3 (../shared), ours for 1.2 (no official 1.2 schema is public).
#include <gtest/gtest.h>

#include <mutex>

#include "core/http/http.hpp"
#include "core/time/datetime.hpp"
#include "core/util/uuid.hpp"
#include "emulator/emulator.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/smev3/schema_files.hpp"
#include "tests/support/fixtures.hpp"

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

class Versions : public ::testing::TestWithParam<s3::Version> {
 protected:
  void SetUp() override {
    const auto& fx = testkit::fixtures();
    emulator::EmulatorOptions eo;
    eo.clock_start = fx.scenario_clock;
    eo.clock_frozen = true;
    eo.run_epgu = false;
    eo.smev3_tap = [this](const std::string& req, int, const std::string& ans) {
      std::lock_guard lock(mu_);
      wire_.emplace_back(req, ans);
    };
    emu_ = std::move(*emulator::Emulator::start(fx.world, eo));
    http_ = std::make_unique<http::Client>("127.0.0.1", emu_->smev3_port());
    ids_ = std::make_unique<UuidGenerator>(emu_->clock(), 5);
  }

  s3::Version v() const { return GetParam(); }
  std::string path() const {
    return v() == s3::Version::v1_3 ? "/transport_1_0_2/" : v() == s3::Version::v1_2 ? "/smev/v1.2/ws" : "/smev/v1.1/ws";
  }
  std::string now() { return format_datetime(emu_->clock().now()); }

  s3::Envelope call(const s3::UnsignedEnvelope& e, const crypto::PrivateKey& key, const crypto::Certificate& cert,
                    const char* action, int want_status = 200) {
    auto text = s3::sign_envelope(e, key, cert);
    EXPECT_TRUE(text) << text.error().message;
    auto r = http_->post(path(), "text/xml; charset=utf-8", *text, {{"SOAPAction", std::string("\"urn:") + action + "\""}});
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, want_status) << action << ": " << r->body.substr(0, 800);
    auto env = s3::parse_message(r->header("Content-Type"), r->body);
    EXPECT_TRUE(env) << env.error().message;
    return std::move(*env);
  }

  const xml::Schema* schema_for(s3::Version ver) {
    const char* name = s3::version_name(ver);
    if (ver != s3::Version::v1_2) {
      const auto& o = testkit::official_schemas(name);
      if (o) return &o->all;
      return nullptr;
    }
    if (!own12_) own12_ = std::make_unique<xml::Schema>(*s3::load_own_schema(s3::Version::v1_2));
    return own12_.get();
  }

  void validate_wire() {
    std::lock_guard lock(mu_);
    int checked = 0;
    for (const auto& [req, ans] : wire_) {
      for (const std::string* text : {&req, &ans}) {
        auto env = s3::parse_envelope(*text);
        if (!env) continue;  // an MTOM answer would be wrapped; none in this test
        xmlNode* el = env->body_element;
        if (xml::is(el, s3::kSoapNs, "Fault")) {
          for (xmlNode* c = xml::first_element(el); c; c = xml::next_element(c)) {
            if (xml::local_name(c) == "detail") el = xml::first_element(c);
          }
        }
        const xml::Schema* schema = schema_for(env->version);
        if (!schema) continue;
        auto issues = schema->validate_element(el);
        std::string all;
        for (const auto& i : issues) all += "\n  " + i.message;
        EXPECT_TRUE(issues.empty()) << s3::version_name(env->version) << " " << env->local << ":" << all << "\n"
                                    << text->substr(0, 1200);
        ++checked;
      }
    }
    EXPECT_GT(checked, 10);
  }

  std::unique_ptr<emulator::Emulator> emu_;
  std::unique_ptr<http::Client> http_;
  std::unique_ptr<UuidGenerator> ids_;
  std::unique_ptr<xml::Schema> own12_;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> wire_;
};

}  // namespace

TEST_P(Versions, EveryOperationWithAnOutsideProvider) {
  if (v() != s3::Version::v1_2 && !testkit::official_schemas(s3::version_name(v()))) {
    GTEST_SKIP() << "official schemas not found under " << testkit::shared_dir();
  }
  const auto& fx = testkit::fixtures();
  const auto& org = *fx.organisation("hotel-sever");
  const auto& c = *org.identity;
  const auto& epgu = fx.world.epgu;
  // Consumer: SendRequest.
  gosqr::CheckRequest biz;
  biz.timestamp = now();
  biz.qr_code = Bytes{'Q'};
  biz.face_image = Bytes(64, 7);
  biz.face_image_captured_at = now();
  biz.purpose = "HOTEL";
  biz.organization = {org.org.ogrn, org.org.inn, std::nullopt, org.org.name};
  biz.point_of_service = {"p", "t", std::nullopt};
  s3::SenderProvidedRequestData d;
  d.message_id = ids_->v1();
  d.node_id = "node-1";
  d.transaction_code = "5a7f2c10-8b8c-11eb-9086-e2bf794ac2e9";
  d.business_xml = gosqr::to_xml(biz);
  auto sent = call(s3::build_send_request(v(), d), c.key, c.certificate, "SendRequest");
  ASSERT_EQ(sent.version, v()) << "answered in the version called";
  auto md = s3::read_metadata_answer(sent);
  ASSERT_TRUE(md) << md.error().message;
  EXPECT_EQ(md->metadata.message_id, d.message_id);
  // Consumer: GetStatus.
  auto st = call(s3::build_get_status(v(), now()), c.key, c.certificate, "GetStatus");
  auto status = s3::read_get_status_response(st);
  ASSERT_TRUE(status && status->has_value());
  EXPECT_EQ((*status)->status.original_message_id, d.message_id);
  // Provider: GetRequest, Ack.
  s3::MessageTypeSelector sel;
  sel.timestamp = now();
  sel.namespace_uri = gosqr::kNamespace;
  sel.root_element = gosqr::kRequestRoot;
  auto got = call(s3::build_get_request(v(), sel), epgu.key, epgu.certificate, "GetRequest");
  auto req = s3::read_get_request_response(got);
  ASSERT_TRUE(req && req->has_value()) << (req ? "empty" : req.error().message);
  EXPECT_EQ((*req)->data.message_id, d.message_id);
  EXPECT_EQ((*req)->data.node_id, std::optional<std::string>("node-1"));
  std::string reply_to = (*req)->reply_to;
  call(s3::build_ack(v(), (*req)->metadata.message_id, true), epgu.key, epgu.certificate, "Ack");
  // Provider: SendResponse (a rejection, the smallest valid answer).
  s3::SenderProvidedResponseData resp;
  resp.message_id = ids_->v1();
  resp.to = reply_to;
  resp.rejections.push_back({"NO_DATA", "USER_NOT_FOUND: тест"});
  auto answered = call(s3::build_send_response(v(), resp), epgu.key, epgu.certificate, "SendResponse");
  ASSERT_TRUE(s3::read_metadata_answer(answered));
  // Consumer: GetResponse for its node, then Ack.
  s3::MessageTypeSelector rsel;
  rsel.timestamp = now();
  rsel.node_id = "node-1";
  auto taken = call(s3::build_get_response(v(), rsel), c.key, c.certificate, "GetResponse");
  auto rm = s3::read_get_response_response(taken);
  ASSERT_TRUE(rm && rm->has_value()) << (rm ? "empty" : rm.error().message);
  EXPECT_EQ((*rm)->original_message_id, d.message_id);
  ASSERT_EQ((*rm)->data.rejections.size(), 1u);
  EXPECT_EQ((*rm)->data.rejections[0].code, "NO_DATA");
  call(s3::build_ack(v(), (*rm)->metadata.message_id, true), c.key, c.certificate, "Ack");
  if (v() == s3::Version::v1_1) {
    auto stats = call(s3::build_get_incoming_queue_statistics(now()), c.key, c.certificate, "GetIncomingQueueStatistics");
    EXPECT_EQ(stats.local, "GetIncomingQueueStatisticsResponse");
  } else {
    // 1.2 and 1.3 have no queue statistics.
    call(s3::build_get_incoming_queue_statistics(now()), c.key, c.certificate, "GetIncomingQueueStatistics", 500);
  }
  // A fault in this version, too.
  call(s3::build_ack(v(), d.message_id, true), c.key, c.certificate, "Ack", 500);
  validate_wire();
}

INSTANTIATE_TEST_SUITE_P(MessageExchange, Versions,
                         ::testing::Values(s3::Version::v1_1, s3::Version::v1_2, s3::Version::v1_3),
                         [](const auto& p) {
                           std::string n = s3::version_name(p.param);
                           return "v" + n.substr(0, 1) + "_" + n.substr(2);
                         });
