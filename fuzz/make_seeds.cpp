// Writes seed corpora for the fuzz targets from the built-in fixtures, into <out>/<target>/:
// envelopes of every operation signed with fixture keys, tokens of the wallet the QR target
// builds, admin bodies, the scenario suites, and small images. Usage: fuzz_make_seeds OUT_DIR
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "core/image/image.hpp"
#include "core/qr/qr.hpp"
#include "core/time/datetime.hpp"
#include "emulator/wallet/wallet.hpp"
#include "fuzz/fuzz_support.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/mtom.hpp"
#include "protocol/smev3/parse.hpp"

namespace fs = std::filesystem;
using namespace gosdoki;
namespace s3 = gosdoki::smev3;

namespace {

fs::path g_out;
int g_count = 0;

void put(const std::string& target, const std::string& name, std::string_view bytes) {
  fs::create_directories(g_out / target);
  std::ofstream(g_out / target / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ++g_count;
}

std::string signed_or_plain(const s3::UnsignedEnvelope& e, const emulator::Identity& who) {
  auto s = s3::sign_envelope(e, who.key, who.certificate);
  return s ? *s : e.text;
}

Bytes small_jpeg(int w, int h) {
  image::Image img = image::make(w, h, 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w * 3; ++x) img.row(y)[x] = static_cast<std::uint8_t>((x * 7 + y * 13) & 0xFF);
  }
  auto j = image::encode_jpeg(img, 60);
  return j ? *j : Bytes{};
}

// The same JPEG with an EXIF APP1 segment carrying orientation 6 (rotate 90°), big-endian TIFF.
Bytes with_exif_orientation(const Bytes& jpeg) {
  const std::uint8_t app1[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
                               0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
  Bytes out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), std::begin(app1), std::end(app1));
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

void envelopes(const harness::Fixtures& f) {
  const auto& world = f.world;
  const auto* org = f.organisations.front().identity ? &f.organisations.front() : nullptr;
  for (const auto& o : f.organisations) {
    if (o.identity) { org = &o; break; }
  }
  emulator::Identity consumer = world.epgu;
  if (org) consumer = emulator::Identity{org->org.mnemonic, org->org.name, org->identity->key, org->identity->certificate};
  const std::string ts = format_datetime(f.scenario_clock);
  const std::string xml_ct = "text/xml; charset=utf-8\n";

  gosqr::CheckRequest rq;
  rq.timestamp = ts;
  rq.qr_code = Bytes{'G', 'Q', 'R', '1', '.', 'M', '.', 'x', '.', 'y'};
  rq.face_image = small_jpeg(8, 8);
  rq.face_image_captured_at = ts;
  rq.purpose = "HOTEL";
  rq.organization = {"1027700132195", "7707083893", std::string("770701001"), "Гостиница"};
  rq.point_of_service = {"place-1", "term-1", std::string("Москва")};
  rq.requested_docs = {"RF_PASSPORT"};
  gosqr::CheckResponse rs;
  rs.timestamp = ts;
  rs.result = "OK";
  rs.result_code = "OK";
  rs.result_message = "Личность подтверждена";
  rs.age_confirmed_18 = true;
  rs.person = gosqr::Person{std::string("Петров"), std::string("Пётр"), std::nullopt, std::string("1980-01-01"),
                            std::nullopt, std::string("M"), std::string("RUS")};
  rs.doc = gosqr::Document{std::string("RF_PASSPORT"), std::string("4510"), std::string("123456"), std::nullopt,
                           std::nullopt, std::nullopt, std::nullopt, std::string("VERIFIED")};
  rs.check_id = "check-1";
  rs.checked_at = ts;

  const std::string mid = "2a1f5c30-f1e4-11f0-8000-000000000001";
  s3::SenderProvidedRequestData data;
  data.message_id = mid;
  data.business_xml = gosqr::to_xml(rq);
  data.test_message = true;
  data.eol = ts;
  std::string send_request = signed_or_plain(s3::build_send_request(s3::Version::v1_3, data), consumer);
  put("fuzz_smev3_envelope", "send_request_1_3.xml", xml_ct + send_request);
  put("fuzz_smev_transform", "send_request_1_3.xml", send_request);
  put("fuzz_smev_transform", "request_gosqr.xml", data.business_xml);
  put("fuzz_smev3_envelope", "send_request_1_1.xml",
      xml_ct + signed_or_plain(s3::build_send_request(s3::Version::v1_1, data), consumer));

  // MTOM with one attachment carried as an XOP part.
  s3::SenderProvidedRequestData with_att = data;
  with_att.attachments.push_back({"att1", std::nullopt, "text/plain", std::nullopt});
  auto att_env = s3::build_send_request(s3::Version::v1_3, with_att, {{"att1", "hello"}});
  auto mtom = s3::build_mtom(signed_or_plain(att_env, consumer), {});
  put("fuzz_smev3_envelope", "send_request_mtom.txt", mtom.content_type + "\n" + mtom.body);

  s3::MessageTypeSelector sel;
  sel.namespace_uri = gosqr::kNamespace;
  sel.root_element = gosqr::kRequestRoot;
  sel.timestamp = ts;
  put("fuzz_smev3_envelope", "get_request.xml", xml_ct + signed_or_plain(s3::build_get_request(s3::Version::v1_3, sel), world.epgu));
  sel.node_id = "node-1";
  put("fuzz_smev3_envelope", "get_response.xml", xml_ct + signed_or_plain(s3::build_get_response(s3::Version::v1_2, sel), consumer));
  put("fuzz_smev3_envelope", "ack.xml", xml_ct + signed_or_plain(s3::build_ack(s3::Version::v1_3, mid, true), consumer));
  put("fuzz_smev3_envelope", "get_status.xml", xml_ct + signed_or_plain(s3::build_get_status(s3::Version::v1_3, ts), consumer));
  put("fuzz_smev3_envelope", "queue_stats_1_1.xml",
      xml_ct + signed_or_plain(s3::build_get_incoming_queue_statistics(ts, std::string("node-1")), consumer));

  s3::SenderProvidedResponseData resp;
  resp.message_id = "2a1f5c30-f1e4-11f0-8000-000000000002";
  resp.to = "eyJtaWQiOiIyYTFmNWMzMCJ9";
  resp.business_xml = gosqr::to_xml(rs);
  std::string send_response = signed_or_plain(s3::build_send_response(s3::Version::v1_3, resp), world.epgu);
  put("fuzz_smev3_envelope", "send_response.xml", xml_ct + send_response);
  put("fuzz_smev_transform", "response_gosqr.xml", resp.business_xml);
  s3::SenderProvidedResponseData rejected = resp;
  rejected.business_xml.clear();
  rejected.rejections.push_back({"ACCESS_DENIED", "нет доступа"});
  put("fuzz_smev3_envelope", "send_response_rejected.xml",
      xml_ct + signed_or_plain(s3::build_send_response(s3::Version::v1_3, rejected), world.epgu));

  // Answers of СМЭВ, signed with its key.
  s3::MessageMetadata md;
  md.id = s3::kSmevId;
  md.message_id = mid;
  md.message_type = "REQUEST";
  md.sender_mnemonic = consumer.mnemonic;
  md.sender_name = consumer.name;
  md.sending_timestamp = ts;
  md.recipient_mnemonic = world.epgu.mnemonic;
  md.recipient_name = world.epgu.name;
  md.status = "requestIsQueued";
  put("fuzz_smev3_envelope", "send_request_response.xml",
      xml_ct + signed_or_plain(s3::build_send_request_response(s3::Version::v1_3, md), world.smev));
  s3::DeliveredRequest dreq;
  // The consumer's SenderProvidedRequestData and signature as СМЭВ stores them (standalone).
  if (auto env = s3::parse_envelope(send_request)) {
    if (auto call = s3::read_send_request(*env)) {
      if (auto x = s3::standalone(env->doc.get(), call->data_node)) dreq.sender_provided_xml = *x;
      xmlNode* sig = xml::child(call->signature_wrapper, xmldsig::kDsNs, "Signature");
      if (sig) {
        if (auto x = s3::standalone(env->doc.get(), sig)) dreq.sender_signature_xml = *x;
      }
    }
  }
  dreq.metadata = md;
  dreq.metadata.delivery_timestamp = ts;
  dreq.reply_to = resp.to;
  put("fuzz_smev3_envelope", "get_request_response.xml",
      xml_ct + signed_or_plain(s3::build_get_request_response(s3::Version::v1_3, dreq), world.smev));
  s3::DeliveredResponse dresp;
  dresp.original_message_id = mid;
  dresp.sender_provided_xml = s3::render_sender_provided_response_data(s3::Version::v1_3, resp);
  dresp.metadata = md;
  dresp.metadata.message_type = "RESPONSE";
  put("fuzz_smev3_envelope", "get_response_response.xml",
      xml_ct + signed_or_plain(s3::build_get_response_response(s3::Version::v1_3, dresp), world.smev));
  s3::AsyncProcessingStatus st;
  st.original_message_id = mid;
  st.status_category = "messageIsDelivered";
  st.details = "доставлено";
  put("fuzz_smev3_envelope", "get_status_response.xml",
      xml_ct + signed_or_plain(s3::build_get_status_response(s3::Version::v1_3, st), world.smev));
  put("fuzz_smev3_envelope", "empty_get_response.xml", xml_ct + s3::build_empty_get_response_response(s3::Version::v1_3));
  put("fuzz_smev3_envelope", "ack_response.xml", xml_ct + s3::build_ack_response(s3::Version::v1_1));
  s3::FaultInfo fault;
  fault.name = "SignatureVerificationFault";
  fault.faultcode = "soap:Client";
  fault.faultstring = "ЭП-ОВ не прошла проверку";
  fault.signature_fault = "SignatureIsInvalid";
  put("fuzz_smev3_envelope", "fault.xml", xml_ct + s3::build_fault(s3::Version::v1_3, fault));
  fault.name = "InvalidContent";
  fault.validation_errors = {"line 1: bad"};
  put("fuzz_smev3_envelope", "fault_invalid_content.xml", xml_ct + s3::build_fault(s3::Version::v1_2, fault));
}

void tokens(const harness::Fixtures& f) {
  // The same wallet and issue order as fuzz_qr_token.cpp, so these tokens are known there.
  VirtualClock clock(f.scenario_clock, true);
  emulator::Wallet wallet(clock, f.world.qr_hmac_key, f.world.settings, 1);
  const auto& c = f.world.citizens.front();
  auto revoked = wallet.issue(c, "mpgu", "phone-a");
  auto live = wallet.issue(c, "mpgu", "phone-a");
  auto used = wallet.issue(c, "max", "phone-b");
  if (revoked) put("fuzz_qr_token", "revoked", revoked->token);
  if (live) put("fuzz_qr_token", "live", live->token);
  if (used) put("fuzz_qr_token", "used", used->token);
  if (live) {
    put("fuzz_qr_token", "forged", live->token.substr(0, live->token.size() - 2) + "AA");
    if (auto img = qr::render(live->token)) {
      if (auto png = image::encode_png(*img)) put("fuzz_image", "qr_token.png", as_view(*png));
    }
  }
}

void admin() {
  put("fuzz_admin_json", "clock_advance", "clock\n{\"advance\":\"181s\"}");
  put("fuzz_admin_json", "clock_set", "clock\n{\"set\":\"2026-01-15T10:00:00.000+03:00\",\"frozen\":true}");
  put("fuzz_admin_json", "clock_both", "clock\n{\"set\":\"2026-01-15T07:00:00Z\",\"advance\":\"1h30m\",\"frozen\":false}");
  put("fuzz_admin_json", "issue", "issue\n{\"person\":\"petrov-p\"}");
  put("fuzz_admin_json", "issue_max", "issue\n{\"person\":\"ivanova-m\",\"app\":\"max\",\"device\":\"tablet\"}");
  put("fuzz_admin_json", "journal", "journal?since=1&limit=2");
}

void scenarios() {
  auto src = harness::embedded_source("scenarios/");
  for (const auto& rel : src->list("")) {
    auto text = src->read(rel);
    if (text) put("fuzz_scenario_yaml", fs::path(rel).filename().string(), *text);
  }
}

void images() {
  Bytes j = small_jpeg(24, 16);
  put("fuzz_image", "small.jpg", as_view(j));
  Bytes e = with_exif_orientation(j);
  put("fuzz_image", "exif6.jpg", as_view(e));
  image::Image grey = image::make(12, 10, 1, 200);
  if (auto p = image::encode_png(grey)) put("fuzz_image", "grey.png", as_view(*p));
  image::Image rgb = image::make(9, 7, 3, 30);
  if (auto p = image::encode_png(rgb)) put("fuzz_image", "rgb.png", as_view(*p));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_seeds OUT_DIR\n";
    return 64;
  }
  g_out = argv[1];
  const auto& f = fuzz::fixtures();
  envelopes(f);
  tokens(f);
  admin();
  scenarios();
  images();
  std::cout << "fuzz_make_seeds: wrote " << g_count << " seeds under " << g_out.string() << "\n";
  return 0;
}
