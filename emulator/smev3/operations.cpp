// One operation of a verified envelope: sent to its handler, and its result put on the wire
// as SOAP (MTOM when configured; a fault as HTTP 500, kept as a near miss).
#include "emulator/smev3/service.hpp"

#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/mtom.hpp"

namespace gosdoki::emulator::smev3 {

namespace s3 = gosdoki::smev3;

namespace {

http::Response soap_answer(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/xml; charset=utf-8";
  r.body = std::move(body);
  return r;
}

}  // namespace

http::Response Service::answer(s3::Operation op, Version v, const s3::Envelope& env, const FaultHit* hit,
                               const http::Request& req) {
  Answer a;
  try {
    a = run_operation(op, v, env, hit);
  } catch (const StoreError& e) {
    // The queue store failed (disk full, size limit, I/O): nothing was accepted; СМЭВ's answer
    // for an infrastructure failure, which a client retries.
    journal(s3::operation_name(op), "", "", std::string("SMEVFailure: ") + e.what());
    a = Answer{{}, smev_failure(e.what())};
  }
  if (a.fault) {
    near_miss(req, s3::operation_name(op), *a.fault);
    return soap_answer(500, s3::build_fault(v, *a.fault));
  }
  const std::string& mode = world_.settings.mtom_answers;
  if (mode == "always" || (mode == "auto" && env.mtom)) {
    // As Apache CXF does: the envelope as the root part of a multipart/related message.
    auto m = s3::build_mtom(a.body);
    http::Response r = soap_answer(200, std::move(m.body));
    r.content_type = m.content_type;
    return r;
  }
  return soap_answer(200, std::move(a.body));
}

Service::Answer Service::run_operation(s3::Operation op, Version v, const s3::Envelope& env, const FaultHit* hit) {
  Answer a;
  switch (op) {
    case s3::Operation::SendRequest: a = send_request(env); break;
    case s3::Operation::GetRequest: a = get_message(env, Kind::request, hit); break;
    case s3::Operation::GetResponse: a = get_message(env, Kind::response, hit); break;
    case s3::Operation::Ack: a = ack(env); break;
    case s3::Operation::SendResponse: a = send_response(env); break;
    case s3::Operation::GetStatus: a = get_status(env); break;
    case s3::Operation::GetIncomingQueueStatistics:
      if (v != Version::v1_1) {
        a.fault = invalid_content({"GetIncomingQueueStatistics exists in message-exchange 1.1 only"});
      } else {
        a = queue_statistics(env);
      }
      break;
    default:
      a.fault = smev_failure(std::string("operation ") + s3::operation_name(op) + " is not implemented by this emulator build");
  }
  return a;
}

}  // namespace gosdoki::emulator::smev3
