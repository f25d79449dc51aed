// An incoming СМЭВ 3 HTTP body as both sides read it: the hardened XML parser (text/xml or
// MTOM with XOP inlining), the envelope reader, every operation and answer reader, the
// signatures they point at (ЭП-ОВ, ЭП-СП, ЭП-СМЭВ: structure, certificate, digest) and the
// вид сведений reader of the business element (the client reads answers without a schema),
// and the operator screen and prefill JSON the client renders from what it read.
//
// Input: the Content-Type header value, a newline, then the body.
#include <libxml/tree.h>

#include "client/checker.hpp"
#include "client/operator_screen.hpp"
#include "core/xml/xml.hpp"
#include "fuzz/fuzz_support.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace {

using namespace gosdoki;
namespace s3 = gosdoki::smev3;

void verify(const s3::Envelope& env, xmlNode* wrapper, xmlNode* signed_el) {
  if (!wrapper || !signed_el) return;
  (void)xmldsig::verify_signature(env.doc.get(), wrapper, xml::attr(signed_el, "Id"));
}

void show(client::CheckReport::Status status, std::string code, std::string message,
          std::optional<gosqr::CheckResponse> response) {
  client::CheckReport report;
  report.status = status;
  report.code = std::move(code);
  report.message = std::move(message);
  report.response = std::move(response);
  (void)client::render_screen(report, true);
  (void)client::prefill_json(report);
}

void business(const s3::Business& b) {
  if (!b.node) return;
  (void)gosqr::read_request(b.node);
  if (auto r = gosqr::read_response(b.node)) {
    auto status = r->result == "OK" ? client::CheckReport::Status::confirmed : client::CheckReport::Status::rejected;
    show(status, r->result_code, r->result_message, *r);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto [content_type, body] = fuzz::split_first_line(fuzz::as_text(data, size));
  auto env = s3::parse_message(content_type, body);
  if (!env) return 0;
  // What СМЭВ receives.
  if (auto c = s3::read_send_request(*env)) {
    verify(*env, c->signature_wrapper, c->data_node);
    if (c->personal_signature) verify(*env, c->personal_signature, c->business.node);
    business(c->business);
  }
  if (auto c = s3::read_selector_call(*env)) verify(*env, c->signature_wrapper, c->selector_node);
  if (auto c = s3::read_ack(*env)) verify(*env, c->signature_wrapper, c->target_node);
  if (auto c = s3::read_get_status(*env)) verify(*env, c->signature_wrapper, c->timestamp_node);
  if (auto c = s3::read_get_incoming_queue_statistics(*env)) verify(*env, c->signature_wrapper, c->timestamp_node);
  if (auto c = s3::read_send_response(*env)) {
    verify(*env, c->signature_wrapper, c->data_node);
    business(c->business);
  }
  // What the participants receive.
  if (auto f = s3::read_fault(*env)) {
    show(client::CheckReport::Status::smev_error, f->name, f->faultstring + " " + f->description, std::nullopt);
  }
  if (auto a = s3::read_metadata_answer(*env); a && a->smev_signature) {
    (void)xmldsig::verify_signature(env->doc.get(), a->smev_signature, s3::kSmevId);
  }
  if (auto r = s3::read_get_response_response(*env); r && r->has_value()) {
    const auto& m = **r;
    if (m.smev_signature) (void)xmldsig::verify_signature(env->doc.get(), m.smev_signature, s3::kSmevId);
    if (m.sender_signature) verify(*env, m.sender_signature, m.data_node);
    business(m.business);
    if (m.data_node) (void)s3::standalone(env->doc.get(), m.data_node);
  }
  if (auto r = s3::read_get_request_response(*env); r && r->has_value()) {
    const auto& m = **r;
    if (m.smev_signature) (void)xmldsig::verify_signature(env->doc.get(), m.smev_signature, s3::kSmevId);
    if (m.sender_signature) verify(*env, m.sender_signature, m.data_node);
    business(m.business);
  }
  if (auto r = s3::read_get_status_response(*env); r && r->has_value() && (*r)->smev_signature) {
    (void)xmldsig::verify_signature(env->doc.get(), (*r)->smev_signature, s3::kSmevId);
  }
  return 0;
}
