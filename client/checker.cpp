#include "client/checker.hpp"

#include "core/time/datetime.hpp"
#include "core/xml/xml.hpp"
#include "protocol/gosqr/result_codes.hpp"

namespace gosdoki::client {

const char* status_name(CheckReport::Status s) {
  switch (s) {
    case CheckReport::Status::confirmed: return "confirmed";
    case CheckReport::Status::rejected: return "rejected";
    case CheckReport::Status::smev_error: return "smev_error";
    case CheckReport::Status::error: return "error";
  }
  return "?";
}

std::string result_code_prefix(const std::string& description) {
  auto colon = description.find(':');
  if (colon == std::string::npos) return {};
  std::string head = description.substr(0, colon);
  return gosqr::is_result_code(head) ? head : std::string{};
}

CheckReport run_check(Channel& channel, const CheckInput& in, const Clock& clock) {
  gosqr::CheckRequest req;
  auto now = clock.now();
  req.timestamp = format_datetime(now);
  req.qr_code = in.qr_bytes;
  req.qr_source = in.qr_source;
  req.face_image = in.face_image;
  req.face_image_captured_at = format_datetime(in.captured_at.value_or(now));
  req.purpose = in.purpose;
  req.organization = in.organization;
  req.point_of_service = in.point_of_service;
  req.operator_id = in.operator_id;

  CheckReport report = channel.send(req);
  // For an 18+ sale or event the identity alone is not the answer: the age fact decides.
  if (report.status == CheckReport::Status::confirmed && report.response && report.response->age_confirmed_18 &&
      !*report.response->age_confirmed_18 && (in.purpose == "AGE_18_GOODS" || in.purpose == "AGE_RESTRICTED_EVENT")) {
    report.status = CheckReport::Status::rejected;
    report.code = "AGE_NOT_CONFIRMED";
    report.message = "ЕПГУ подтвердило личность (OK), но возраст 18+ не подтверждён: отказ";
  }
  return report;
}

CheckReport Smev3Channel::send(const gosqr::CheckRequest& req) {
  CheckReport report;
  report.channel = display_name();
  Delivery d = consumer_.request(gosqr::to_xml(req), gosqr::kNamespace, gosqr::kResponseRoot);
  report.trace = d.trace;
  report.request_message_id = d.request_message_id;
  switch (d.kind) {
    case Delivery::Kind::business: {
      auto doc = xml::parse(d.business_xml);
      auto resp = doc ? gosqr::read_response(xmlDocGetRootElement(doc->get()))
                      : Result<gosqr::CheckResponse>(doc.error());
      if (!resp) {
        report.status = CheckReport::Status::error;
        report.code = "client.bad_response";
        report.message = "ответ ЕПГУ не разобран: " + resp.error().message;
        break;
      }
      report.response = *resp;
      report.code = resp->result_code;
      report.message = resp->result_message;
      report.status = resp->result == "OK" ? CheckReport::Status::confirmed : CheckReport::Status::rejected;
      break;
    }
    case Delivery::Kind::rejected: {
      const auto& r = d.rejections.front();
      std::string code = result_code_prefix(r.description);
      report.status = CheckReport::Status::rejected;
      report.code = code.empty() ? r.code : code;
      report.message = r.code + ": " + r.description;
      break;
    }
    case Delivery::Kind::smev_async: {
      report.status = CheckReport::Status::smev_error;
      const auto& a = *d.async_status;
      report.code = a.fault ? a.fault->name : a.status_category;
      report.message = a.status_category + (a.fault ? ": " + a.fault->description : ": " + a.details);
      break;
    }
    case Delivery::Kind::fault: {
      report.status = CheckReport::Status::smev_error;
      report.code = d.fault->name;
      report.signature_fault = d.fault->signature_fault;
      report.message = d.fault->faultstring;
      if (!d.fault->signature_fault.empty()) report.message += " [" + d.fault->signature_fault + "]";
      break;
    }
    case Delivery::Kind::status:
      report.status = CheckReport::Status::error;
      report.code = "client.unexpected_status";
      report.message = "получен промежуточный статус вместо ответа";
      break;
    case Delivery::Kind::error:
      report.status = CheckReport::Status::error;
      report.code = "client.transport";
      report.message = d.error;
      break;
  }
  return report;
}

}  // namespace gosdoki::client
