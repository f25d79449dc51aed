#include "emulator/epgu/provider.hpp"

#include <algorithm>

#include "core/time/datetime.hpp"
#include "emulator/apps/apps.hpp"
#include "protocol/gosqr/result_codes.hpp"

namespace gosdoki::emulator {

std::string CheckOutcome::rejection_description() const {
  const auto* info = gosqr::find_result_code(result_code);
  std::string s = result_code + ": " + std::string(info ? info->meaning_ru : "");
  if (!detail.empty()) s += " (" + detail + ")";
  return s;
}

EpguProvider::EpguProvider(const Registry& registry, const EsiaStore& esia, Wallet& wallet, const Clock& clock,
                           const Settings& settings, std::uint64_t seed)
    : registry_(registry),
      esia_(esia),
      wallet_(wallet),
      clock_(clock),
      settings_(settings),
      matcher_(nullptr),
      ids_(clock, seed) {
  // Emulator::start refused an unknown matcher name; the default stands in only for direct users.
  auto m = face::make_matcher(settings.face_matcher, settings.face_threshold);
  matcher_ = m ? std::move(*m) : face::make_descriptor_matcher(settings.face_threshold);
  rate_limits_["smev3"] = settings.rate_limit_smev3_per_minute;
  rate_limits_["smev4"] = settings.rate_limit_smev4_per_minute;
}

void EpguProvider::set_rate_limit(const std::string& channel, int per_minute) {
  std::lock_guard lock(rate_mu_);
  rate_limits_[channel] = per_minute;
}

int EpguProvider::over_rate_limit(const CheckContext& c) {
  std::lock_guard lock(rate_mu_);
  int limit = rate_limits_[c.channel];
  if (limit <= 0) return 0;
  // A fixed window per minute of virtual time: deterministic under a frozen clock.
  long long minute = std::chrono::duration_cast<std::chrono::minutes>(clock_.now().time_since_epoch()).count();
  auto& w = rate_windows_[c.channel + "/" + c.mnemonic];
  if (w.first != minute) w = {minute, 0};
  return ++w.second > limit ? limit : 0;
}

CheckOutcome EpguProvider::reject(std::string code, std::string detail) {
  CheckOutcome o;
  o.result_code = code;
  o.detail = std::move(detail);
  const auto* info = gosqr::find_result_code(code);
  if (info && info->smev3_reject_code) o.smev3_reject_code = std::string(*info->smev3_reject_code);
  auto now = clock_.now();
  o.response.timestamp = format_datetime(now);
  o.response.result = "REJECTED";
  o.response.result_code = code;
  o.response.result_message = info ? std::string(info->meaning_ru) : code;
  if (!o.detail.empty()) o.response.result_message += ": " + o.detail;
  o.response.check_id = ids_.v4();
  o.response.checked_at = format_datetime(now);
  return o;
}

std::optional<CheckOutcome> EpguProvider::authorise(const gosqr::CheckRequest& r, const CheckContext& ctx) {
  const std::string& mnemonic = ctx.mnemonic;
  auto org = registry_.organisation_by_mnemonic(mnemonic);
  if (!org) {
    if (auto app = registry_.latest_application(mnemonic); app && app->status != "approved") {
      return reject("ORG_NOT_REGISTERED", "заявка " + app->id + " ИС " + mnemonic + " на включение в реестр от " +
                                              format_date(app->submitted_at) +
                                              (app->status == "pending" ? " ещё не рассмотрена" : " отклонена: " + app->reason));
    }
    return reject("ORG_NOT_REGISTERED", "ИС " + mnemonic + " нет в реестре организаций ЕПГУ");
  }
  if (!org->scope_granted) return reject("SCOPE_MISSING", "ИС " + mnemonic + " не выдан scope gosqr_docs_digpassport");
  if (ctx.token_scopes &&
      std::find(ctx.token_scopes->begin(), ctx.token_scopes->end(), "gosqr_docs_digpassport") == ctx.token_scopes->end()) {
    return reject("SCOPE_MISSING", "в маркере доступа ЕСИА нет scope gosqr_docs_digpassport");
  }
  if (std::find(org->channels.begin(), org->channels.end(), ctx.channel) == org->channels.end()) {
    return reject("ORG_NOT_REGISTERED", "запись реестра для ИС " + mnemonic + " не разрешает канал " +
                                            (ctx.channel == "smev4" ? "СМЭВ 4" : "СМЭВ 3"));
  }
  if (r.organization.ogrn != org->ogrn || r.organization.inn != org->inn) {
    return reject("ORG_NOT_REGISTERED", "ОГРН/ИНН запроса (" + r.organization.ogrn + "/" + r.organization.inn +
                                            ") не совпадают с записью реестра для ИС " + mnemonic);
  }
  auto now = clock_.now();
  if ((org->valid_from && now < *org->valid_from) || (org->valid_to && now >= *org->valid_to)) {
    return reject("ORG_NOT_REGISTERED", "запись реестра для ИС " + mnemonic + " не действует на " + format_date(now));
  }
  bool allowed = false;
  for (const auto& p : org->allowed_purposes) allowed = allowed || p == r.purpose;
  if (!allowed) return reject("PURPOSE_NOT_ALLOWED", "цель " + r.purpose + " не разрешена организации");
  if (gosqr::is_stage_two(r.purpose) && now < settings_.stage_two_start) {
    return reject("PURPOSE_NOT_ALLOWED", "цель " + r.purpose + " второго этапа доступна с " +
                                             format_date(settings_.stage_two_start));
  }
  if (int limit = over_rate_limit(ctx)) {
    return reject("RATE_LIMITED", "превышен лимит для ИС " + mnemonic + ": " + std::to_string(limit) + " в минуту");
  }
  return std::nullopt;
}

std::optional<CheckOutcome> EpguProvider::check_face_image(const gosqr::CheckRequest& r, image::Image& decoded) {
  std::size_t n = r.face_image.size();
  if (n < settings_.min_face_bytes || n > settings_.max_face_bytes) {
    return reject("FACE_IMAGE_INVALID", "размер " + std::to_string(n) + " байт вне допустимого диапазона " +
                                            std::to_string(settings_.min_face_bytes) + "–" +
                                            std::to_string(settings_.max_face_bytes));
  }
  auto fmt = image::sniff(r.face_image);
  if (fmt == image::Format::unknown || (fmt == image::Format::png && !settings_.accept_png_faces)) {
    return reject("FACE_IMAGE_INVALID", std::string("формат ") + image::format_name(fmt) + " не принимается");
  }
  auto img = image::decode(r.face_image, 3);
  if (!img) return reject("FACE_IMAGE_INVALID", "изображение не декодируется: " + img.error().message);
  if (img->width < 480 || img->height < 640) {
    return reject("FACE_IMAGE_INVALID", "разрешение " + std::to_string(img->width) + "×" + std::to_string(img->height) +
                                            " меньше 480×640");
  }
  auto captured = parse_datetime(r.face_image_captured_at);
  auto now = clock_.now();
  if (!captured) return reject("FACE_IMAGE_INVALID", "faceImageCapturedAt: " + captured.error().message);
  if (*captured < now - settings_.capture_skew || *captured > now + settings_.capture_skew) {
    return reject("FACE_IMAGE_INVALID", "снимок сделан " + r.face_image_captured_at + ", допустимо не старше " +
                                            std::to_string(settings_.capture_skew.count()) + " с");
  }
  decoded = std::move(*img);
  return std::nullopt;
}

CheckOutcome EpguProvider::check(const gosqr::CheckRequest& r, const CheckContext& ctx) {
  const bool test_message = ctx.test_message;
  if (auto o = authorise(r, ctx)) return *o;
  image::Image probe;
  if (auto o = check_face_image(r, probe)) return *o;
  auto qr = wallet_.lookup(as_view(r.qr_code));
  if (qr.code != "OK") return reject(qr.code, qr.detail);
  auto citizen = esia_.by_oid(qr.record->oid);
  if (!citizen) return reject("USER_NOT_FOUND", "");
  // The same prerequisites the app checked when it showed the QR: the state may have changed since.
  if (auto refused = person_refusal(*citizen, qr.record->source, clock_.now(), settings_)) {
    return reject(refused->code, refused->detail);
  }
  if (qr.record->source == 'M' && qr.record->consent_id.empty()) return reject("NO_CONSENT", "QR выдан без согласия");
  if (!citizen->reference_face) return reject("PHOTO_NOT_CONFIRMED", "нет подтверждённого фото");

  std::optional<face::Verdict> forced;
  {
    std::lock_guard lock(forced_mu_);
    forced.swap(forced_verdict_);
  }
  face::Comparison cmp;
  if (forced) {
    cmp.verdict = *forced;
    cmp.threshold = matcher_->threshold();
    cmp.score = *forced == face::Verdict::match ? 1.0 : 0.0;
    cmp.reason = std::string("вердикт задан сценарием: ") + face::verdict_name(*forced);
  } else {
    cmp = matcher_->compare(probe, *citizen->reference_face);
  }
  if (cmp.verdict == face::Verdict::low_quality) return reject("FACE_LOW_QUALITY", cmp.reason);  // not consumed
  if (!test_message) wallet_.consume(qr.record->sid);
  if (cmp.verdict == face::Verdict::presentation_attack) return reject("FACE_PRESENTATION_ATTACK", cmp.reason);
  if (cmp.verdict == face::Verdict::mismatch) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "сходство %.3f ниже порога %.3f", cmp.score, cmp.threshold);
    return reject("FACE_MISMATCH", buf);
  }
  if (auto o = check_documents(r, *citizen)) return *o;
  return disclose(r, *citizen, qr.record->source);
}

std::optional<CheckOutcome> EpguProvider::check_documents(const gosqr::CheckRequest& r, const Citizen& c) {
  std::vector<std::string> docs = r.requested_docs.empty() ? std::vector<std::string>{"RF_PASSPORT"} : r.requested_docs;
  for (const auto& d : docs) {
    if (d != "RF_PASSPORT" || !c.passport) return reject("DOC_NOT_FOUND", "нет документа " + d);
    if (c.passport->vrf_stu != "VERIFIED" || !c.passport->fms_valid) {
      return reject("DOC_NOT_VERIFIED", "паспорт не подтверждён МВД");
    }
  }
  return std::nullopt;
}

CheckOutcome EpguProvider::disclose(const gosqr::CheckRequest& r, const Citizen& c, char source) {
  CheckOutcome o = reject("OK", "");
  o.smev3_reject_code.reset();
  o.response.result = "OK";
  o.response.result_code = "OK";
  o.response.result_message = "Личность подтверждена";
  auto birth = parse_date(c.birth_date);
  bool adult = birth && years_between(*birth, clock_.now()) >= 18;
  const std::string& p = r.purpose;
  const bool status_only = source == 'X' && settings_.max_disclosure != "purpose";
  if (status_only || p == "AGE_18_GOODS" || p == "AGE_RESTRICTED_EVENT") {
    o.response.age_confirmed_18 = adult;  // age cases and MAX status tokens: the fact only
    return o;
  }
  gosqr::Person person;
  gosqr::Document doc;
  person.last_name = c.last_name;
  person.first_name = c.first_name;
  person.middle_name = c.middle_name;
  const Passport& pp = *c.passport;
  doc.type = "RF_PASSPORT";
  doc.series = pp.series;
  doc.number = pp.number;
  if (p == "POSTAL") {
    doc.issue_date = pp.issue_date;
    doc.issued_by = pp.issued_by;
  } else if (p != "PREMISES_ACCESS") {  // FINANCIAL, TELECOM, HOTEL, MFC, PRIVATE_MEDICAL: all of it
    person.birth_date = c.birth_date;
    person.birth_place = c.birth_place;
    person.gender = c.gender;
    person.citizenship = c.citizenship;
    doc.issue_date = pp.issue_date;
    doc.issue_id = pp.issue_id;
    doc.issued_by = pp.issued_by;
    doc.expiry_date = pp.expiry_date;
    doc.vrf_stu = pp.vrf_stu;
  }
  o.response.person = person;
  o.response.doc = doc;
  return o;
}

void EpguProvider::force_next_face_verdict(face::Verdict v) {
  std::lock_guard lock(forced_mu_);
  forced_verdict_ = v;
}

GoskanScreen EpguProvider::goskan_scan(const GoskanRequest& r) {
  GoskanScreen out;
  auto refuse = [&](std::string code, std::string message) {
    out.result_code = std::move(code);
    const auto* info = gosqr::find_result_code(out.result_code);
    out.title = info ? std::string(info->meaning_ru) : "Проверка невозможна";
    out.message = std::move(message);
    return out;
  };
  auto checker = esia_.by_oid(r.checker_oid);
  if (!checker) return refuse("CHECKER_NOT_AUTHORISED", "войдите в приложение Госуслуги, чтобы сканировать QR-коды");
  if (!checker->trusted) return refuse("CHECKER_NOT_AUTHORISED", "Госкан доступен с подтверждённой учётной записью");
  auto qr = wallet_.lookup(r.qr);
  if (qr.record) out.source = qr.record->source == 'X' ? "MAX" : "MPGU";
  if (qr.code != "OK") return refuse(qr.code, qr.detail);
  auto citizen = esia_.by_oid(qr.record->oid);
  if (!citizen) return refuse("USER_NOT_FOUND", "");
  if (auto refused = person_refusal(*citizen, qr.record->source, clock_.now(), settings_)) {
    return refuse(refused->code, refused->detail);
  }
  if (!citizen->reference_face) return refuse("PHOTO_NOT_CONFIRMED", "нет подтверждённого фото");
  gosqr::CheckRequest as_request;
  as_request.purpose = r.purpose;
  if (qr.record->source == 'M' || settings_.max_disclosure == "purpose") {
    if (auto o = check_documents(as_request, *citizen)) return refuse(o->result_code, o->detail);
  }
  auto photo = image::encode_jpeg(*citizen->reference_face, 90);
  if (!photo) return refuse("INTERNAL_ERROR", photo.error().message);
  wallet_.consume(qr.record->sid);
  out.data = disclose(as_request, *citizen, qr.record->source).response;
  out.result_code = "OK";
  out.trusted_photo = std::move(*photo);
  if (qr.record->source == 'X' && citizen->max_id) out.statuses = citizen->max_id->statuses;
  out.title = qr.record->source == 'X' ? "Цифровой ID подтверждён" : "Документ подтверждён";
  out.message = "Сравните фото на экране с лицом человека";
  return out;
}

}  // namespace gosdoki::emulator
