#include "emulator/smev3/service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/mtom.hpp"
#include "protocol/smev3/schema_files.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace gosdoki::emulator::smev3 {

namespace s3 = gosdoki::smev3;

std::optional<Version> version_for_path(const std::string& path) {
  std::string p = path;
  if (p.size() > 1 && p.back() == '/') p.pop_back();
  if (p == "/transport_1_0_2") return Version::v1_3;
  if (p == "/smev/v1.2/ws") return Version::v1_2;
  if (p == "/smev/v1.1/ws") return Version::v1_1;
  return std::nullopt;
}

namespace {
// "/transport_1_0_2/gosdoki-…-1.3.xsd" → the version whose endpoint directory it is in, when
// the file is one of that version's schema files (a toolkit resolves the WSDL's imports there).
std::optional<std::pair<Version, std::string>> schema_file_for_path(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string dir = path.substr(0, slash), file = path.substr(slash + 1);
  std::optional<Version> v;
  if (dir == "/transport_1_0_2") v = Version::v1_3;
  else if (dir == "/smev/v1.2") v = Version::v1_2;
  else if (dir == "/smev/v1.1") v = Version::v1_1;
  if (!v) return std::nullopt;
  for (auto name : s3::schema_file_names(*v)) {
    if (name == file) return std::make_pair(*v, file);
  }
  return std::nullopt;
}
}  // namespace

std::string path_for_version(Version v) {
  switch (v) {
    case Version::v1_3: return "/transport_1_0_2/";
    case Version::v1_2: return "/smev/v1.2/ws";
    case Version::v1_1: return "/smev/v1.1/ws";
  }
  return "/";
}

Service::Service(const World& world, const Registry& registry, const Clock& clock, Journal& journal,
                 MessageStore& store, UuidGenerator& ids, FaultPlan& faults)
    : world_(world), registry_(registry), clock_(clock), journal_(journal), store_(store), ids_(ids), faults_(faults) {
  // Loading installs the in-memory resolver for the schemas' imports: done here, before any
  // request thread parses XML.
  for (Version v : {Version::v1_1, Version::v1_2, Version::v1_3}) {
    auto schema = s3::load_own_schema(v, s3::SchemaPart::all);
    if (schema) schemas_[static_cast<std::size_t>(v)] = std::make_shared<const xml::Schema>(std::move(*schema));
  }
}

std::vector<std::string> Service::schema_errors(const s3::Envelope& env, bool& message_id_only) const {
  std::vector<std::string> errors;
  message_id_only = false;
  const auto& schema = schemas_[static_cast<std::size_t>(env.version)];
  if (!schema) return errors;
  bool all_message_id = true;
  for (const auto& issue : schema->validate_element(env.body_element)) {
    errors.push_back(issue.message);
    all_message_id = all_message_id && issue.message.find("MessageID") != std::string::npos &&
                     issue.message.find("pattern") != std::string::npos;
  }
  message_id_only = !errors.empty() && all_message_id;
  return errors;
}

namespace {

http::Response soap(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = "text/xml; charset=utf-8";
  r.body = std::move(body);
  return r;
}

std::string soap_action_of(const http::Request& req) {
  std::string a = req.header("SOAPAction");
  if (a.size() >= 2 && a.front() == '"' && a.back() == '"') a = a.substr(1, a.size() - 2);
  return a;
}

}  // namespace

void Service::journal(const std::string& op, const std::string& participant, const std::string& id,
                      const std::string& outcome) {
  journal_.record(JournalEvent{0, clock_.now(), "smev3", op, participant, id, outcome});
}

http::Response Service::refuse(int status, const std::string& message) const {
  (void)status;
  return soap(500, s3::build_fault(Version::v1_3, invalid_content({message})));
}

http::Response Service::handle(const http::Request& req) {
  http::Response r = dispatch(req);
  if (tap_) tap_(req.body, r.status, r.body);
  return r;
}

http::Response Service::dispatch(const http::Request& req) {
  auto v = version_for_path(req.path());
  if (!v && req.method == "GET") {
    if (auto file = schema_file_for_path(req.path())) {
      http::Response r = http::text_response(200, std::string(s3::schema_file(file->second)));
      r.content_type = "text/xml; charset=utf-8";
      return r;
    }
  }
  if (!v) return http::text_response(404, "no SMEV 3 endpoint at " + req.path() + "\n");
  if (req.method == "GET" && (req.query() == "wsdl" || req.query() == "WSDL")) {
    std::string host = req.header("Host");
    http::Response r = http::text_response(200, s3::own_wsdl(*v, "http://" + (host.empty() ? "127.0.0.1" : host) + req.path()));
    r.content_type = "text/xml; charset=utf-8";
    return r;
  }
  if (req.method != "POST") {
    auto r = http::text_response(405, "SMEV 3 message-exchange accepts POST (SOAP 1.1); its WSDL is at " + req.path() +
                                          "?wsdl\n");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  std::string ctype = req.header("Content-Type");
  auto env = s3::parse_message(ctype, req.body);
  if (!env) {
    journal("?", "", "", "InvalidContent");
    return soap(500, s3::build_fault(*v, invalid_content({env.error().message})));
  }
  if (env->version != *v) {
    return soap(500, s3::build_fault(*v, invalid_content({std::string("the message uses the ") +
                                                          s3::version_name(env->version) + " namespaces but was sent to "
                                                          "the " + s3::version_name(*v) + " endpoint " + req.path()})));
  }
  auto op = s3::operation_from_request_element(env->local);
  if (!op || !xml::is(env->body_element, s3::namespaces(*v).types, env->local)) {
    return soap(500, s3::build_fault(*v, invalid_content({xml::path(env->body_element) +
                                                          ": not a message-exchange operation request"})));
  }
  // The envelope against the schema of its version first (our own, written from the official
  // structure). A MessageID that breaks only the basic:UUID pattern (upper case) is reported
  // as InvalidMessageIdFormat, the fault СМЭВ documents for it; anything else as InvalidContent.
  bool message_id_only = false;
  auto errors = schema_errors(*env, message_id_only);
  if (!errors.empty()) {
    journal(s3::operation_name(*op), "", "", message_id_only ? "InvalidMessageIdFormat" : "InvalidContent");
    if (message_id_only) {
      xmlNode* data = xml::first_element(env->body_element);
      xmlNode* mid = data ? xml::first_element(data) : nullptr;
      auto f = invalid_message_id(xml::text(mid), "не соответствует шаблону basic:UUID");
      near_miss(req, s3::operation_name(*op), f);
      return soap(500, s3::build_fault(*v, f));
    }
    auto f = invalid_content(errors);
    near_miss(req, s3::operation_name(*op), f);
    return soap(500, s3::build_fault(*v, f));
  }
  std::string action = soap_action_of(req);
  if (!action.empty() && action != std::string("urn:") + s3::operation_name(*op)) {
    return soap(500, s3::build_fault(*v, invalid_content({"SOAPAction '" + action + "' does not match the body element " +
                                                          env->local + " (expected urn:" + s3::operation_name(*op) + ")"})));
  }
  const std::string op_name = s3::operation_name(*op);
  auto hit = faults_.take("smev3", op_name);
  if (hit && hit->rule.action == "soapFault") {
    auto injected = fault_by_name(hit->rule.fault, "(ошибка внедрена в сценарии / admin API эмулятора)", world_.settings);
    journal(op_name, "", "", injected.name + " (injected)");
    return soap(500, s3::build_fault(*v, injected));
  }
  if (hit && hit->rule.action == "httpStatus") {
    // As a proxy or balancer in front of СМЭВ answers: not a SOAP envelope.
    journal(op_name, "", "", "HTTP " + std::to_string(hit->rule.http_status) + " (injected)");
    return http::text_response(hit->rule.http_status, "injected HTTP " + std::to_string(hit->rule.http_status) + "\n");
  }
  http::Response out = answer(*op, *v, *env, hit ? &*hit : nullptr, req);
  if (hit) {
    if (auto outcome = apply_wire_fault(*hit, out); !outcome.empty()) journal(op_name, "", "", outcome);
  }
  return out;
}

std::variant<Service::Caller, FaultInfo> Service::authenticate(const s3::Envelope& env, xmlNode* wrapper,
                                                              xmlNode* signed_el, bool refuse_replay) {
  if (!env.has_header) return signature_fault("PoorSOAPEnvelopeFormat", "в конверте нет soap:Header");
  if (!wrapper) return signature_fault("NoSignatureFound", "нет CallerInformationSystemSignature");
  std::string id = xml::attr(signed_el, "Id");
  if (id.empty()) return signature_fault("IncorrectSignatureTarget", xml::path(signed_el) + " не имеет атрибута Id");
  const std::string& mode = world_.settings.signature_check;
  // off: the signature is not computed at all (an unsigned-cost endpoint for load comparisons).
  Result<xmldsig::Verified> verified = mode == "off" ? Result<xmldsig::Verified>(make_error("xmldsig.off", "not checked"))
                                                     : xmldsig::verify_signature(env.doc.get(), wrapper, id);
  std::optional<crypto::Certificate> cert;
  if (verified) {
    cert = verified->certificate;
  } else {
    const auto& code = verified.error().code;
    if (mode == "enforce") {
      if (code == "xmldsig.no_signature") return signature_fault("NoSignatureFound", verified.error().message);
      if (code == "xmldsig.incorrect_target") return signature_fault("IncorrectSignatureTarget", verified.error().message);
      return signature_fault("SignatureIsInvalid", verified.error().message);
    }
    if (mode == "warn") journal("signature-warning", "", id, code + ": " + verified.error().message);
    // warn/off: identify the caller by the certificate it claims, unverified.
    xmlNode* sig = xml::child(wrapper, xmldsig::kDsNs, "Signature");
    xmlNode* ki = sig ? xml::child(sig, xmldsig::kDsNs, "KeyInfo") : nullptr;
    xmlNode* xd = ki ? xml::child(ki, xmldsig::kDsNs, "X509Data") : nullptr;
    xmlNode* xc = xd ? xml::child(xd, xmldsig::kDsNs, "X509Certificate") : nullptr;
    if (xc) {
      auto c = crypto::Certificate::from_base64_der(xml::text(xc));
      if (c) cert = *c;
    }
    if (!cert) return sender_not_registered("в сообщении нет сертификата ЭП-ОВ");
  }
  if (!cert->issued_by(world_.ca)) {
    return signature_fault("CertificateIsNotFound", "сертификат " + cert->subject_text() +
                                                        " выдан не тестовым УЦ эмулятора (" + world_.ca.subject_text() + ")");
  }
  auto now = clock_.now();
  if (now < cert->not_before() || now >= cert->not_after()) {
    return signature_fault("CertificateIsExpired", "Сертификат действителен с " + format_datetime(cert->not_before()) +
                                                       " до " + format_datetime(cert->not_after()));
  }
  // A revoked certificate no longer makes a valid signature (emulator contract: the fault value
  // SMEV uses for revocation is not public; docs/smev3.md).
  if (auto when = registry_.revocations().revoked_at(*cert, now)) {
    return signature_fault("SignatureIsInvalid", "сертификат " + cert->subject_text() + " (серийный номер " + cert->serial_hex() +
                                                     ") отозван УЦ " + format_datetime(*when) + " (список отозванных сертификатов)");
  }
  if (!cert->allows_signing()) {
    return signature_fault("SignatureIsInvalid", "сертификат " + cert->subject_text() +
                                                     " не предназначен для подписи (в keyUsage нет digitalSignature)");
  }
  auto p = registry_.participant_by_certificate(*cert);
  if (!p) {
    return sender_not_registered("сертификат " + cert->subject_text() + " (серийный номер " + cert->serial_hex() +
                                 ") не зарегистрирован ни за одной ИС");
  }
  if (refuse_replay && verified) {
    xmlNode* sig = xml::child(wrapper, xmldsig::kDsNs, "Signature");
    xmlNode* value = sig ? xml::child(sig, xmldsig::kDsNs, "SignatureValue") : nullptr;
    if (auto first = replays_.check(value ? xml::text(value) : "", now, world_.settings.replay_window)) {
      return signature_fault("SignatureIsInvalid", "эта ЭП-ОВ уже была предъявлена в " + format_datetime(*first) +
                                                       ": повтор подписанного запроса (каждый вызов подписывается заново)");
    }
  }
  return Caller{*p};
}

std::optional<FaultInfo> Service::check_personal_signature(const s3::Envelope& env, const s3::SendRequestCall& call,
                                                          const Participant& caller) {
  if (!call.personal_signature || world_.settings.signature_check == "off") return std::nullopt;
  // ЭП-СП covers the business element by its Id (domain/smev3.md §5.3).
  std::string id = xml::attr(call.business.node, "Id");
  if (id.empty()) {
    return signature_fault("IncorrectSignatureTarget", "ЭП-СП: у элемента " + xml::path(call.business.node) + " нет Id");
  }
  auto v = xmldsig::verify_signature(env.doc.get(), call.personal_signature, id);
  std::string problem;
  if (!v) problem = v.error().message;
  else if (!v->certificate.issued_by(world_.ca)) problem = "сертификат ЭП-СП выдан не тестовым УЦ эмулятора";
  else if (clock_.now() >= v->certificate.not_after() || clock_.now() < v->certificate.not_before()) {
    return signature_fault("CertificateIsExpired", "ЭП-СП: сертификат действителен до " +
                                                       format_datetime(v->certificate.not_after()));
  } else if (auto when = registry_.revocations().revoked_at(v->certificate, clock_.now())) {
    return signature_fault("SignatureIsInvalid", "ЭП-СП: сертификат (серийный номер " + v->certificate.serial_hex() +
                                                     ") отозван УЦ " + format_datetime(*when));
  }
  if (problem.empty()) return check_personal_access(caller, v->certificate, env.version);
  if (world_.settings.signature_check == "warn") {
    journal("signature-warning", "", call.data.message_id, "ЭП-СП: " + problem);
    return std::nullopt;
  }
  return signature_fault(v ? "CertificateIsNotFound" : "SignatureIsInvalid", "ЭП-СП: " + problem);
}

std::optional<FaultInfo> Service::check_attachments(const s3::SendRequestCall& call) {
  const auto& headers = call.data.attachments;
  const auto& contents = call.contents;
  if (headers.empty() && contents.empty()) return std::nullopt;
  if (headers.size() != contents.size()) {
    return attachment_miscoordination(std::to_string(headers.size()) + " заголовков, " + std::to_string(contents.size()) +
                                      " вложений");
  }
  std::set<std::string> ids;
  long long total = 0;
  for (const auto& c : contents) {
    if (!ids.insert(c.id).second) return attachment_miscoordination("Id вложения '" + c.id + "' повторяется");
    total += static_cast<long long>(c.content.size());
  }
  for (const auto& h : headers) {
    if (!ids.count(h.content_id)) return attachment_miscoordination("contentId '" + h.content_id + "' не найден");
  }
  if (total > static_cast<long long>(world_.settings.max_attachment_bytes)) {
    return attachment_size_exceeded(static_cast<long long>(world_.settings.max_attachment_bytes), total);
  }
  for (const auto& h : headers) {
    if (!h.signature_pkcs7_b64) continue;
    const auto& content = *std::find_if(contents.begin(), contents.end(), [&](const auto& c) { return c.id == h.content_id; });
    // The real СМЭВ text for this failure (domain/smev3.md §7.3).
    std::string prefix = "Проверка подписи на вложении " + h.content_id + ": ";
    auto der = base64_decode(*h.signature_pkcs7_b64);
    if (!der) return signature_fault_text("SignatureIsInvalid", prefix + "SignaturePKCS7 не в base64");
    auto v = crypto::cms_verify_detached(*der, as_bytes(content.content));
    if (!v) return signature_fault_text("SignatureIsInvalid", prefix + "Подпись не прошла проверку по сертификату");
    if (!v->signer.issued_by(world_.ca)) {
      return signature_fault_text("CertificateIsNotFound", prefix + "сертификат выдан не тестовым УЦ эмулятора");
    }
    auto now = clock_.now();
    if (now < v->signer.not_before() || now >= v->signer.not_after()) {
      return signature_fault_text("CertificateIsExpired", prefix + "сертификат действителен до " +
                                                         format_datetime(v->signer.not_after()));
    }
  }
  return std::nullopt;
}

std::optional<FaultInfo> Service::check_message_id(const std::string& id) {
  auto info = inspect_uuid(id);
  if (!is_lowercase_uuid(id) || !info) return invalid_message_id(id, "не в каноническом виде 8-4-4-4-12 строчными");
  if (info->version != 1 || !info->rfc4122_variant) {
    return invalid_message_id(id, "версия UUID " + std::to_string(info->version) + ", требуется 1");
  }
  auto now = clock_.now();
  if (*info->time < now - world_.settings.stale_message_window) {
    return stale_message_id(id, "время в UUID " + format_datetime(*info->time) + " старше " +
                                    std::to_string(world_.settings.stale_message_window.count()) + " ч");
  }
  if (store_.seen(id)) return message_already_sent(id);
  return std::nullopt;
}

std::string Service::sign(const s3::UnsignedEnvelope& e) const {
  auto s = s3::sign_envelope(e, world_.smev.key, world_.smev.certificate);
  return s ? *s : e.text;  // a signing failure here is an emulator bug; the client will see no SMEVSignature
}

std::string Service::reply_to_for(const StoredMessage& m, std::uint64_t sid) const {
  // Opaque to clients; shaped like the observed base64 JSON (domain/smev3.md §2.8).
  nlohmann::json j{{"sid", sid}, {"mid", m.id}, {"tcd", ""}, {"eol", 0},
                   {"slc", m.type_ns + "_" + m.business_root}, {"mnm", m.sender}};
  return base64_encode(j.dump());
}

Service::Answer Service::send_request(const s3::Envelope& env) {
  auto call = s3::read_send_request(env);
  if (!call) {
    journal("SendRequest", "", "", "InvalidContent");
    return {{}, invalid_content({call.error().message})};
  }
  auto who = authenticate(env, call->signature_wrapper, call->data_node);
  if (auto* f = std::get_if<FaultInfo>(&who)) {
    journal("SendRequest", "", call->data.message_id, f->name);
    return {{}, *f};
  }
  const Participant& caller = std::get<Caller>(who).participant;
  auto fail = [&](FaultInfo f) {
    journal("SendRequest", caller.mnemonic, call->data.message_id, f.name);
    return Answer{{}, std::move(f)};
  };
  if (auto f = check_personal_signature(env, *call, caller)) return fail(*f);
  if (auto f = check_message_id(call->data.message_id)) return fail(*f);
  if (auto f = check_transaction_code(call->data.transaction_code)) return fail(*f);
  if (auto f = check_attachments(*call)) return fail(*f);
  auto now = clock_.now();
  std::optional<TimePoint> eol;
  if (call->data.eol) {
    eol = *parse_datetime(*call->data.eol);
    if (*eol <= now) return fail(end_of_life(*call->data.eol));
  }
  auto type = registry_.business_type_by_request(call->business.ns, call->business.root);
  if (!type) return fail(business_type_not_supported(call->business.ns, call->business.root));
  if (!type->consumers.count(caller.mnemonic) && !type->consumers.count("*")) {
    return fail(access_denied("ИС " + caller.mnemonic + " не является потребителем вида сведений {" + type->ns + "}" +
                              type->request_root + " у поставщика " + type->provider));
  }
  auto provider = registry_.participant(type->provider);
  if (!provider) {
    return fail(recipient_not_found("поставщик " + type->provider + " вида сведений {" + type->ns + "}" +
                                    type->request_root + " не зарегистрирован в СМЭВ"));
  }
  if (auto f = check_queue_room(provider->mnemonic, Kind::request)) return fail(*f);
  long long attachment_bytes = 0;
  for (const auto& c : call->contents) attachment_bytes += static_cast<long long>(c.content.size());
  if (auto f = reserve_quota(caller.mnemonic, attachment_bytes)) return fail(*f);
  // Given back unless the message is accepted below.
  struct QuotaGuard {
    Service* s;
    std::string sender;
    long long bytes;
    bool keep = false;
    ~QuotaGuard() {
      if (!keep) s->release_quota(sender, bytes);
    }
  } quota_guard{this, caller.mnemonic, attachment_bytes};
  StoredMessage m;
  m.id = call->data.message_id;
  m.kind = Kind::request;
  m.sender = caller.mnemonic;
  m.sender_name = caller.name;
  m.recipient = type->provider;
  m.recipient_name = provider->name;
  m.type_ns = type->ns;
  m.business_root = type->request_root;
  m.node_id = call->data.node_id.value_or("");
  m.reference_message_id = call->data.reference_message_id;
  m.transaction_code = call->data.transaction_code;
  m.test_message = call->data.test_message;
  m.version = s3::version_name(env.version);
  m.sending_timestamp = now;
  m.eol = eol;
  m.status = "requestIsQueued";
  auto content = s3::standalone(env.doc.get(), call->data_node);
  xmlNode* ds = xml::child(call->signature_wrapper, xmldsig::kDsNs, "Signature");
  auto sig = ds ? s3::standalone(env.doc.get(), ds) : Result<std::string>(std::string{});
  if (!content || !sig) return fail(smev_failure("cannot serialise the accepted message"));
  m.content_xml = std::move(*content);
  m.sender_signature_xml = std::move(*sig);
  if (call->attachment_contents) {
    auto list = s3::standalone(env.doc.get(), call->attachment_contents);
    if (!list) return fail(smev_failure("cannot serialise the attachments"));
    m.attachments_xml = std::move(*list);
  }
  m.reply_to = reply_to_for(m, ++sid_);

  // СМЭВ checks business content against the registered schema after queuing (§3.2): a failure
  // comes back later as its own signed status message in the consumer's response queue.
  std::vector<std::string> schema_errors;
  if (type->schema) {
    for (const auto& issue : type->schema->validate_element(call->business.node)) {
      schema_errors.push_back(issue.message);
    }
  }
  if (schema_errors.empty()) {
    if (!store_.put(m)) return fail(message_already_sent(m.id));
    push_status(caller.mnemonic, m.id, "requestIsAcceptedBySmev", "запрос принят СМЭВ и поставлен в очередь поставщика");
  } else {
    m.status = "requestIsRejectedBySmev";  // never reaches the provider
    if (!store_.record_only(m)) return fail(message_already_sent(m.id));
    reject_async(m, schema_errors, env.version);
    push_status(caller.mnemonic, m.id, "requestIsRejectedBySmev", "SMEV-403: " + schema_errors.front());
  }
  quota_guard.keep = true;
  journal("SendRequest", caller.mnemonic, m.id, "requestIsQueued");

  s3::MessageMetadata md;
  md.id = s3::kSmevId;
  md.message_id = m.id;
  md.message_type = "REQUEST";
  md.sender_mnemonic = caller.mnemonic;
  md.sender_name = caller.name;
  md.sending_timestamp = format_datetime(now);
  md.recipient_mnemonic = m.recipient;
  md.recipient_name = m.recipient_name;
  md.status = "requestIsQueued";
  std::string body = sign(s3::build_send_request_response(env.version, md));
  if (schema_errors.empty() && on_request_) on_request_(m.recipient);
  return {std::move(body), std::nullopt};
}

Service::Answer Service::send_response(const s3::Envelope& env) {
  auto call = s3::read_send_response(env);
  if (!call) {
    journal("SendResponse", "", "", "InvalidContent");
    return {{}, invalid_content({call.error().message})};
  }
  auto who = authenticate(env, call->signature_wrapper, call->data_node);
  if (auto* f = std::get_if<FaultInfo>(&who)) {
    journal("SendResponse", "", call->data.message_id, f->name);
    return {{}, *f};
  }
  const Participant& caller = std::get<Caller>(who).participant;
  auto fail = [&](FaultInfo f) {
    journal("SendResponse", caller.mnemonic, call->data.message_id, f.name);
    return Answer{{}, std::move(f)};
  };
  if (auto f = check_message_id(call->data.message_id)) return fail(*f);
  // To carries our own ReplyTo: base64 JSON whose "mid" names the request.
  std::string request_id;
  if (auto raw = base64_decode(call->data.to)) {
    auto j = nlohmann::json::parse(as_view(*raw), nullptr, false);
    if (j.is_object() && j.contains("mid") && j["mid"].is_string()) request_id = j["mid"].get<std::string>();
  }
  auto route = request_id.empty() ? std::nullopt : store_.route(request_id);
  if (!route || route->provider != caller.mnemonic) {
    return fail(recipient_not_found("To не соответствует ни одному запросу, полученному ИС " + caller.mnemonic));
  }
  std::string root;
  if (call->business.node) {
    auto type = registry_.business_type_by_response(call->business.ns, call->business.root);
    if (!type) {
      if (registry_.business_type_by_request(call->business.ns, call->business.root)) {
        return fail(incorrect_response_type("{" + call->business.ns + "}" + call->business.root +
                                            " зарегистрирован как запрос, а не ответ"));
      }
      return fail(business_type_not_supported(call->business.ns, call->business.root));
    }
    if (type->schema) {
      std::vector<std::string> errs;
      for (const auto& i : type->schema->validate_element(call->business.node)) errs.push_back(i.message);
      if (!errs.empty()) return fail(invalid_content(errs));
    }
    root = call->business.root;
  }
  if (auto f = check_queue_room(route->consumer, Kind::response)) return fail(*f);
  auto now = clock_.now();
  StoredMessage m;
  m.id = call->data.message_id;
  m.kind = Kind::response;
  m.sender = caller.mnemonic;
  m.sender_name = caller.name;
  m.recipient = route->consumer;
  m.recipient_name = route->consumer_name;
  m.type_ns = route->type_ns;
  m.business_root = root;
  m.node_id = route->node_id;
  m.original_message_id = request_id;
  m.reference_message_id = route->reference_message_id;
  m.transaction_code = route->transaction_code;
  m.version = s3::version_name(env.version);
  m.sending_timestamp = now;
  m.status = "responseIsQueued";
  auto content = s3::standalone(env.doc.get(), call->data_node);
  xmlNode* ds = xml::child(call->signature_wrapper, xmldsig::kDsNs, "Signature");
  auto sig = ds ? s3::standalone(env.doc.get(), ds) : Result<std::string>(std::string{});
  if (!content || !sig) return fail(smev_failure("cannot serialise the accepted response"));
  m.content_xml = std::move(*content);
  m.sender_signature_xml = std::move(*sig);
  if (!store_.put(m)) return fail(message_already_sent(m.id));
  store_.set_status(request_id, "responseIsQueued");
  journal("SendResponse", caller.mnemonic, m.id, "ok");
  push_status(caller.mnemonic, m.id, "responseIsAcceptedBySmev", "ответ принят СМЭВ и поставлен в очередь потребителя");
  s3::MessageMetadata md;
  md.id = s3::kSmevId;
  md.message_id = m.id;
  md.message_type = "RESPONSE";
  md.sender_mnemonic = caller.mnemonic;
  md.sender_name = caller.name;
  md.sending_timestamp = format_datetime(now);
  md.recipient_mnemonic = m.recipient;
  md.recipient_name = m.recipient_name;
  md.status = "responseIsAcceptedBySmev";
  return {sign(s3::build_send_response_response(env.version, md)), std::nullopt};
}

}  // namespace gosdoki::emulator::smev3
