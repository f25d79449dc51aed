#include "emulator/smev3/faults.hpp"

namespace gosdoki::emulator::smev3 {
namespace {

// Shaped like the observed "tsmev3:PRODUCTION_AREA:TSMEV3_CORE2 : TR:SYNC:SPS:4", marked as ours.
constexpr const char* kSyncCode = "gosdoki:SANDBOX:SMEV3_EMULATOR : TR:SYNC:SPS:4";

// Appended to a Description whose numeric code or rule the emulator chose (domain/smev3.md §4.2:
// only SMEV-100 and SMEV-403 are observed), so nobody mistakes it for a real СМЭВ code.
constexpr const char* kEmulatorMade = " [код назначен эмулятором GosDoki Sandbox, в реальном СМЭВ не наблюдался]";

FaultInfo make(const char* name, const char* faultcode, std::string faultstring) {
  FaultInfo f;
  f.name = name;
  f.faultcode = faultcode;
  f.faultstring = std::move(faultstring);
  return f;
}

}  // namespace

FaultInfo invalid_content(const std::vector<std::string>& errors) {
  std::string text = "Нарушение формата сообщения";
  if (!errors.empty()) text += ": " + errors.front();
  FaultInfo f = make("InvalidContent", "soap:Client", text);
  f.code = kSyncCode;
  f.description = "SMEV-400:" + text + kEmulatorMade;
  f.validation_errors = errors;
  return f;
}

FaultInfo signature_fault(const std::string& kind, const std::string& detail) {
  std::string text;
  if (kind == "CertificateIsExpired") text = "Срок действия сертификата ЭП-ОВ истёк. " + detail;
  else if (kind == "CertificateIsNotFound") text = "Сертификат ЭП-ОВ не найден. " + detail;
  else if (kind == "NoSignatureFound") text = "ЭП-ОВ не найдена. " + detail;
  else if (kind == "IncorrectSignatureTarget") text = "ЭП-ОВ подписывает не тот элемент. " + detail;
  else if (kind == "PoorSOAPEnvelopeFormat") text = "Неверный формат SOAP-конверта. " + detail;
  else text = "ЭП-ОВ не прошла проверку. " + detail;
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return signature_fault_text(kind, text);
}

FaultInfo signature_fault_text(const std::string& kind, const std::string& text) {
  FaultInfo f = make("SignatureVerificationFault", "soap:Server", text);
  f.code = kSyncCode;
  f.description = "SMEV-100:" + text;
  f.signature_fault = kind;
  return f;
}

FaultInfo sender_not_registered(const std::string& detail) {
  return make("SenderIsNotRegistered", "soap:Client", "Отправитель не зарегистрирован в СМЭВ. " + detail);
}

FaultInfo access_denied(const std::string& detail) {
  return make("AccessDenied", "soap:Client", "Доступ запрещён. " + detail);
}

FaultInfo business_type_not_supported(const std::string& ns, const std::string& root) {
  FaultInfo f = make("BusinessDataTypeIsNotSupported", "soap:Client",
                     "Вид сведений {" + ns + "}" + root + " не зарегистрирован в СМЭВ");
  f.code = kSyncCode;
  f.description = f.faultstring;
  f.root_element_local_name = root;
  f.root_element_namespace = ns;
  return f;
}

FaultInfo invalid_message_id(const std::string& id, const std::string& detail) {
  return make("InvalidMessageIdFormat", "soap:Client",
              "MessageID '" + id + "' должен быть UUID версии 1 в нижнем регистре: " + detail);
}

FaultInfo stale_message_id(const std::string& id, const std::string& detail) {
  return make("StaleMessageId", "soap:Client", "MessageID '" + id + "' устарел: " + detail);
}

FaultInfo message_already_sent(const std::string& id) {
  return make("MessageIsAlreadySent", "soap:Client", "Сообщение с MessageID '" + id + "' уже было отправлено");
}

FaultInfo end_of_life(const std::string& eol) {
  FaultInfo f = make("EndOfLifeReached", "soap:Client", "Превышено время жизни сообщения: EOL " + eol);
  f.code = kSyncCode;
  f.description = f.faultstring;
  return f;
}

FaultInfo target_not_found(const std::string& id) {
  // The text СМЭВ uses (domain/smev3.md §3.3).
  return make("TargetMessageIsNotFound", "soap:Client", "Сообщение '" + id + "' не найдено среди неподтверждённых.");
}

FaultInfo unknown_message_type(const std::string& detail) {
  return make("UnknownMessageType", "soap:Client", "Неизвестный тип сообщения. " + detail);
}

FaultInfo recipient_not_found(const std::string& detail) {
  return make("RecipientIsNotFound", "soap:Client", "Получатель не найден. " + detail);
}

FaultInfo incorrect_response_type(const std::string& detail) {
  return make("IncorrectResponseContentType", "soap:Client", "Неверный тип ответа. " + detail);
}

FaultInfo attachment_miscoordination(const std::string& detail) {
  return make("AttachmentContentMiscoordination", "soap:Client",
              "Заголовки вложений не согласованы с их содержимым. " + detail);
}

FaultInfo attachment_size_exceeded(long long permitted, long long real) {
  FaultInfo f = make("AttachmentSizeLimitExceeded", "soap:Client",
                     "Превышен допустимый размер вложений: " + std::to_string(real) + " байт при допустимых " +
                         std::to_string(permitted));
  f.code = kSyncCode;
  f.description = f.faultstring;
  f.permitted_size = permitted;
  f.real_size = real;
  return f;
}

FaultInfo quota_exceeded(long long remained, long long real) {
  FaultInfo f = make("QuoteLimitExceeded", "soap:Client",
                     "Суммарный размер вложений " + std::to_string(real) + " байт превышает оставшуюся квоту " +
                         std::to_string(remained) + " байт");
  f.code = kSyncCode;
  f.description = f.faultstring + kEmulatorMade;
  f.remained_quota = remained;
  f.real_size = real;
  return f;
}

FaultInfo destination_overflow(const std::string& broker, const std::string& destination, std::size_t depth) {
  FaultInfo f = make("DestinationOverflow", "soap:Server",
                     "Входящая очередь получателя переполнена: " + destination + " содержит " + std::to_string(depth) +
                         " сообщений. Продолжайте посылать сообщение.");
  f.code = kSyncCode;
  f.description = f.faultstring + kEmulatorMade;
  f.broker_address = broker;
  f.destination_name = destination;
  return f;
}

FaultInfo transaction_code_invalid(const std::string& detail) {
  FaultInfo f = make("TransactionCodeInvalid", "soap:Client", "Неверный код транзакции (TransactionCode): " + detail);
  f.code = kSyncCode;
  f.description = f.faultstring + " [правило проверки выбрано эмулятором GosDoki Sandbox: реальное не опубликовано]";
  return f;
}

FaultInfo personal_access_denied(const std::string& detail) {
  FaultInfo f = make("PersonalAccessDenied", "soap:Client",
                     "Отправителю не разрешена посылка сообщений получателю на основании сертификата персонального "
                     "доступа. " + detail);
  f.code = kSyncCode;
  f.description = f.faultstring + kEmulatorMade;
  return f;
}

FaultInfo smev_failure(const std::string& detail) {
  return make("SMEVFailure", "soap:Server", "Внутренняя ошибка СМЭВ. " + detail);
}

FaultInfo fault_by_name(const std::string& name, const std::string& detail, const Settings& settings) {
  const auto limit = static_cast<long long>(settings.max_attachment_bytes);
  if (name == "InvalidContent") return invalid_content({detail});
  if (name == "SignatureVerificationFault") return signature_fault("SignatureIsInvalid", detail);
  if (name == "SenderIsNotRegistered") return sender_not_registered(detail);
  if (name == "AccessDenied") return access_denied(detail);
  if (name == "PersonalAccessDenied") return personal_access_denied(detail);
  if (name == "BusinessDataTypeIsNotSupported") return business_type_not_supported("urn://injected", "Injected");
  if (name == "InvalidMessageIdFormat") return invalid_message_id("", detail);
  if (name == "StaleMessageId") return stale_message_id("", detail);
  if (name == "MessageIsAlreadySent") return message_already_sent(detail);
  if (name == "EndOfLifeReached") return end_of_life(detail);
  if (name == "TargetMessageIsNotFound") return target_not_found(detail);
  if (name == "UnknownMessageType") return unknown_message_type(detail);
  if (name == "RecipientIsNotFound") return recipient_not_found(detail);
  if (name == "IncorrectResponseContentType") return incorrect_response_type(detail);
  if (name == "AttachmentContentMiscoordination") return attachment_miscoordination(detail);
  if (name == "AttachmentSizeLimitExceeded") return attachment_size_exceeded(limit, limit + 1);
  if (name == "QuoteLimitExceeded") return quota_exceeded(0, 1);
  if (name == "DestinationOverflow") return destination_overflow("gosdoki-sandbox", "injected", settings.max_queue_depth);
  if (name == "TransactionCodeInvalid") return transaction_code_invalid(detail);
  return smev_failure(detail);
}

}  // namespace gosdoki::emulator::smev3
