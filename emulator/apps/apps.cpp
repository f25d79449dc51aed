#include "emulator/apps/apps.hpp"

#include <algorithm>

#include "core/time/datetime.hpp"

namespace gosdoki::emulator {

bool is_max_route(std::string_view route) {
  return std::find(std::begin(kMaxRoutes), std::end(kMaxRoutes), route) != std::end(kMaxRoutes);
}

Status change_citizen(Citizen& c, const std::string& key, const std::string& value) {
  auto boolean = [&](bool& field) -> Status {
    if (value != "true" && value != "false") return make_error("citizen.value", key + ": '" + value + "' is not true or false");
    field = value == "true";
    return {};
  };
  auto one_of = [&](std::string& field, std::initializer_list<const char*> allowed) -> Status {
    std::string list;
    for (const char* a : allowed) {
      if (value == a) {
        field = value;
        return {};
      }
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    return make_error("citizen.value", key + ": '" + value + "' is not one of " + list);
  };
  if (key == "trusted") return boolean(c.trusted);
  if (key == "consent") return boolean(c.consent);
  if (key == "biometrics") return boolean(c.biometrics);
  if (key == "consentMethod") return one_of(c.consent_method, {"goskey", "simple"});
  if (key == "photo") return one_of(c.photo, {"confirmed", "pending", "none"});
  if (key == "deviceId") {
    c.device_id = value;
    return {};
  }
  if (key == "birthDate") {
    if (!parse_date(value)) return make_error("citizen.value", "birthDate: '" + value + "' is not a yyyy-MM-dd date");
    c.birth_date = value;
    return {};
  }
  if (key == "maxId" || key == "maxId.route") {
    if (value == "none") {
      c.max_id.reset();
      return {};
    }
    if (!is_max_route(value)) return make_error("citizen.value", key + ": '" + value + "' is not none, nfc-passport, driving-licence or ebs");
    if (!c.max_id) c.max_id = MaxDigitalId{};
    c.max_id->route = value;
    return {};
  }
  if (key == "maxId.device" || key == "maxId.statuses") {
    if (!c.max_id) return make_error("citizen.value", key + ": the citizen has no MAX Цифровой ID (set maxId first)");
    if (key == "maxId.device") {
      c.max_id->device_id = value;
    } else {
      c.max_id->statuses.clear();
      std::size_t at = 0;
      while (at <= value.size()) {
        auto comma = value.find(',', at);
        std::string item = value.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) c.max_id->statuses.push_back(item);
        if (comma == std::string::npos) break;
        at = comma + 1;
      }
    }
    return {};
  }
  return make_error("citizen.key", "unknown citizen field '" + key +
                                       "' (known: trusted, consent, consentMethod, biometrics, photo, birthDate, deviceId, "
                                       "maxId, maxId.device, maxId.statuses)");
}

std::string default_device(const Citizen& c) { return c.device_id.empty() ? c.id + "-phone" : c.device_id; }

std::optional<Refusal> person_refusal(const Citizen& c, char source, TimePoint now, const Settings& settings) {
  auto birth = parse_date(c.birth_date);
  const int age = birth ? years_between(*birth, now) : -1;
  if (!c.trusted) return Refusal{"ACCOUNT_NOT_CONFIRMED", "учётная запись ЕСИА не подтверждена"};
  if (source == 'X') {
    if (!c.max_id) return Refusal{"MAX_ID_NOT_CREATED", "Цифровой ID в MAX не создан"};
    if (age < 18) return Refusal{"AGE_UNDER_18", "Цифровой ID доступен только с 18 лет"};
    if (c.max_id->route == "ebs" && !c.biometrics) {
      return Refusal{"NO_BIOMETRICS", "Цифровой ID создан по биометрии ЕБС, а её в ЕБС нет"};
    }
    return std::nullopt;
  }
  if (!c.consent) return Refusal{"NO_CONSENT", "согласие на предъявление документов не подписано"};
  if (c.consent_method == "simple" && now >= settings.simple_signature_deadline) {
    return Refusal{"NO_CONSENT", "согласие подписано простой ЭП, а она допускается только до " +
                                     format_date(settings.simple_signature_deadline) + "; нужна подпись Госключом"};
  }
  if (!c.biometrics) return Refusal{"NO_BIOMETRICS", "биометрическая идентификация не пройдена"};
  if (c.photo == "none" || !c.reference_face) return Refusal{"PHOTO_NOT_CONFIRMED", "фото для предъявления не добавлено"};
  if (c.photo != "confirmed") return Refusal{"PHOTO_NOT_CONFIRMED", "фото для предъявления ещё не подтверждено"};
  if (age < 14) return Refusal{"AGE_UNDER_14", "предъявление документов доступно с 14 лет"};
  return std::nullopt;
}

namespace {

// What the app says instead of a QR: the app's own wording for each prerequisite.
std::string refusal_text(const Refusal& r, std::string_view app) {
  if (r.code == "ACCOUNT_NOT_CONFIRMED") return "Подтвердите учётную запись на Госуслугах";
  if (r.code == "NO_CONSENT") return "Подпишите согласие на предъявление документов: " + r.detail;
  if (r.code == "NO_BIOMETRICS") {
    return app == "max" ? "Подтвердите личность биометрией: " + r.detail : "Пройдите биометрическую идентификацию";
  }
  if (r.code == "PHOTO_NOT_CONFIRMED") {
    return r.detail.find("не добавлено") != std::string::npos ? "Добавьте фото для предъявления документов"
                                                              : "Фото проверяется, QR-код появится после проверки";
  }
  if (r.code == "AGE_UNDER_14") return "Предъявление документов доступно с 14 лет";
  if (r.code == "MAX_ID_NOT_CREATED") return "Создайте Цифровой ID: Профиль → Цифровой ID";
  if (r.code == "AGE_UNDER_18") return "Цифровой ID доступен с 18 лет";
  if (r.code == "DEVICE_MISMATCH") return "Цифровой ID работает только на устройстве, где он создан";
  return r.detail;
}

}  // namespace

Result<IssueResult> issue_from_app(Wallet& wallet, const Citizen& c, std::string_view app, const std::string& device,
                                   TimePoint now, const Settings& settings) {
  if (app != "mpgu" && app != "max") {
    return make_error("wallet.app", "unknown app '" + std::string(app) + "' (expected mpgu or max)");
  }
  IssueResult out;
  out.screen.app = std::string(app);
  std::optional<Refusal> refused = person_refusal(c, app == "max" ? 'X' : 'M', now, settings);
  if (!refused && app == "max") {
    const std::string bound = c.max_id->device_id.empty() ? default_device(c) : c.max_id->device_id;
    if (device != bound) refused = Refusal{"DEVICE_MISMATCH", "Цифровой ID создан на устройстве " + bound + ", а не на " + device};
  }
  if (refused) {
    out.screen.code = refused->code;
    out.screen.title = "QR-код недоступен";
    out.screen.text = refusal_text(*refused, app);
    return out;
  }
  auto rec = wallet.issue(c, app, device);
  if (!rec) return rec.error();
  out.record = *rec;
  out.screen.code = "OK";
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(rec->expires_at - rec->issued_at).count();
  if (app == "max") {
    out.screen.title = "Цифровой ID";
    out.screen.text = "Покажите QR-код проверяющему; код обновится через " + std::to_string(secs) + " с";
  } else {
    out.screen.title = "Документы для предъявления";
    out.screen.text = "Покажите QR-код и фото; код действует " + std::to_string(secs) + " с";
  }
  return out;
}

}  // namespace gosdoki::emulator
