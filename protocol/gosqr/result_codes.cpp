#include "protocol/gosqr/result_codes.hpp"

#include <array>

namespace gosdoki::gosqr {
namespace {

constexpr std::array<ResultCodeInfo, 25> kCodes{{
    {"OK", "Личность подтверждена", std::nullopt},
    {"QR_MALFORMED", "QR-код не распознан как код Госуслуг", std::nullopt},
    {"QR_NOT_FOUND", "QR-код не найден", std::nullopt},
    {"QR_EXPIRED", "Срок действия QR-кода истёк", std::nullopt},
    {"QR_ALREADY_USED", "QR-код уже использован", std::nullopt},
    {"QR_REVOKED", "QR-код заменён новым", std::nullopt},
    {"FACE_IMAGE_INVALID", "Фотография лица не подходит (формат, размер или время съёмки)", std::nullopt},
    {"FACE_LOW_QUALITY", "Недостаточное качество фотографии лица", std::nullopt},
    {"FACE_MISMATCH", "Лицо не совпадает с фотографией владельца QR-кода", std::nullopt},
    {"FACE_PRESENTATION_ATTACK", "Снимок не с живого лица (фото эталона или снимок экрана)", std::nullopt},
    {"USER_NOT_FOUND", "Пользователь не найден", "NO_DATA"},
    {"ACCOUNT_NOT_CONFIRMED", "Учётная запись не подтверждена", std::nullopt},
    {"NO_CONSENT", "Нет согласия гражданина", std::nullopt},
    {"NO_BIOMETRICS", "Нет биометрической идентификации", std::nullopt},
    {"PHOTO_NOT_CONFIRMED", "Фото для предъявления не добавлено или не подтверждено", std::nullopt},
    {"MAX_ID_NOT_CREATED", "Цифровой ID не создан", std::nullopt},
    {"AGE_UNDER_18", "Цифровой ID доступен с 18 лет", std::nullopt},
    {"DOC_NOT_FOUND", "Документ не найден", "NO_DATA"},
    {"DOC_NOT_VERIFIED", "Документ не проверен", std::nullopt},
    {"AGE_UNDER_14", "Гражданину нет 14 лет", std::nullopt},
    {"ORG_NOT_REGISTERED", "Организация не зарегистрирована в реестре", "ACCESS_DENIED", 403, "access_denied_system"},
    {"PURPOSE_NOT_ALLOWED", "Цель проверки не разрешена организации", "ACCESS_DENIED", 403, "access_denied_service"},
    {"SCOPE_MISSING", "Нет разрешения gosqr_docs_digpassport", "ACCESS_DENIED", 403, "access_denied_system"},
    {"RATE_LIMITED", "Превышен лимит запросов", std::nullopt, 429, "limitation_exception"},
    {"INTERNAL_ERROR", "Внутренняя ошибка", "FAILURE", 500, "internal_error"},
}};

}  // namespace

const ResultCodeInfo* find_result_code(std::string_view code) {
  for (const auto& c : kCodes) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

bool is_result_code(std::string_view code) { return find_result_code(code) != nullptr; }

}  // namespace gosdoki::gosqr
