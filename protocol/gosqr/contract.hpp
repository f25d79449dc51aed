#pragma once
// The Госдоки QR-check вид сведений as the emulator defines it (domain/gosdoki.md §11): no
// official schema is public, so this contract is ours and says so in its namespace ("-emul").
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::gosqr {

inline constexpr const char* kNamespace = "urn://gosuslugi/gosqr-docs-emul/1.0.0";
inline constexpr const char* kRequestRoot = "RequestGosQrDocs";
inline constexpr const char* kResponseRoot = "ResponseGosQrDocs";
inline constexpr const char* kScope = "gosqr_docs_digpassport";

// Постановление № 1443 cases (§1): stage I from 2025-09-30, stage II from 2025-12-29.
inline constexpr const char* kPurposes[] = {"AGE_18_GOODS", "AGE_RESTRICTED_EVENT", "PREMISES_ACCESS", "POSTAL",
                                            "FINANCIAL",    "MFC",                  "TELECOM",         "PRIVATE_MEDICAL",
                                            "HOTEL"};
bool is_purpose(std::string_view p);
bool is_stage_two(std::string_view purpose);
std::string_view purpose_label_ru(std::string_view purpose);  // "Заселение в гостиницу", …

struct Organization {
  std::string ogrn, inn;
  std::optional<std::string> kpp;
  std::string name;
};

struct PointOfService {
  std::string place_id, terminal_id;
  std::optional<std::string> address;
};

struct CheckRequest {
  std::string id = "GQR_REQUEST";
  std::string timestamp;            // xs:dateTime
  Bytes qr_code;                    // the exact bytes the QR decoder returned
  std::optional<std::string> qr_source;  // MPGU | MAX
  Bytes face_image;                 // JPEG or PNG
  std::string face_image_captured_at;
  std::string purpose;
  Organization organization;
  PointOfService point_of_service;
  std::optional<std::string> operator_id;
  std::vector<std::string> requested_docs;  // empty = RF_PASSPORT
};

struct Person {
  std::optional<std::string> last_name, first_name, middle_name, birth_date, birth_place, gender, citizenship;
};

struct Document {
  std::optional<std::string> type, series, number, issue_date, issue_id, issued_by, expiry_date, vrf_stu;
};

struct CheckResponse {
  std::string id = "GQR_RESPONSE";
  std::string timestamp;
  std::string result;       // OK | REJECTED
  std::string result_code;  // OK or a code of §11.4
  std::string result_message;
  std::optional<bool> age_confirmed_18, age_confirmed_14;
  std::optional<Person> person;
  std::optional<Document> doc;
  std::string check_id;
  std::string checked_at;
};

// XML in the contract namespace, prefix "q", as a standalone element.
std::string to_xml(const CheckRequest& r);
std::string to_xml(const CheckResponse& r);
// Reads the element; assumes it already passed schema validation (see schema()).
Result<CheckRequest> read_request(const xmlNode* root);
Result<CheckResponse> read_response(const xmlNode* root);

// The XSD of this contract (what the emulated СМЭВ validates business content against).
std::string_view schema_xsd();

}  // namespace gosdoki::gosqr
