#pragma once
// What the emulator is loaded with: citizens (ЕСИА), organisations (registries), its own keys.
// Plain data; the harness fills it from fixtures.
#include <memory>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/crl.hpp"
#include "core/crypto/crypto.hpp"
#include "core/image/image.hpp"
#include "core/time/clock.hpp"

namespace gosdoki::emulator {

struct Passport {
  std::string series, number;
  std::string issue_date;  // yyyy-MM-dd
  std::string issue_id;    // код подразделения, 6 digits
  std::string issued_by;
  std::optional<std::string> expiry_date;
  std::string vrf_stu = "VERIFIED";
  bool fms_valid = true;
};

// MAX «Цифровой ID» (domain/gosdoki.md §2.2): made by one of three routes, bound to the device
// it was created on, shows statuses only.
struct MaxDigitalId {
  std::string route;      // nfc-passport (загранпаспорт read over NFC) | driving-licence (with photo) | ebs (ЕБС biometrics)
  std::string device_id;  // the phone it was created on; empty = the citizen's phone
  std::vector<std::string> statuses{"adult"};  // adult, student, pensioner, large-family, disabled, svo
};
inline constexpr const char* kMaxRoutes[] = {"nfc-passport", "driving-licence", "ebs"};

struct Citizen {
  std::string id;   // fixture key, e.g. "petrov-p"
  std::string oid;  // ЕСИА OID (never shown to organisations)
  std::string last_name, first_name, middle_name;
  std::string birth_date;  // yyyy-MM-dd
  std::string birth_place;
  std::string gender;  // M | F
  std::string citizenship = "RUS";
  std::string snils;
  bool trusted = true;     // confirmed ЕСИА account
  bool consent = true;     // consent recorded (Госключ / simple ES)
  std::string consent_method = "goskey";  // goskey | simple (a simple ES counts only before Settings::simple_signature_deadline)
  bool biometrics = true;  // biometric identification done
  std::string photo = "confirmed";  // the photo of the app's ГосДоки section: confirmed | pending | none
  std::string device_id;   // the citizen's phone; empty = id + "-phone"
  std::optional<MaxDigitalId> max_id;  // MAX «Цифровой ID», if created
  std::optional<Passport> passport;
  // The confirmed photo ЕПГУ holds; shared, as the world is copied into every emulator.
  std::shared_ptr<const image::Image> reference_face;
};

struct Organisation {
  std::string id;  // fixture key, e.g. "hotel-sever"
  std::string ogrn, inn, kpp;
  std::string name;
  std::string mnemonic;  // IS mnemonic in СМЭВ
  std::optional<crypto::Certificate> certificate;  // ЭП-ОВ
  std::vector<std::string> allowed_purposes;
  bool smev_participant = true;    // registered with СМЭВ (its certificate is known)
  bool smev_consumer_grant = true; // may send the Госдоки вид сведений to ЕПГУ
  bool epgu_registry = true;       // in ЕПГУ's registry of organisations and activity types
  bool scope_granted = true;       // administrative gosqr_docs_digpassport grant
  std::optional<TimePoint> valid_from, valid_to;
  std::string esia_oid;                          // the organisation's ЕСИА OID (org_ogrn?org_oid=)
  std::vector<std::string> channels{"smev3", "smev4"};  // channels its registry row allows
  std::vector<crypto::Certificate> esia_certificates;   // registered with ЕСИА for client_secret
};

struct Identity {  // a system actor's own signing identity
  std::string mnemonic;
  std::string name;
  crypto::PrivateKey key;
  crypto::Certificate certificate;
};

struct Settings {
  std::chrono::seconds mpgu_qr_ttl{180};
  std::chrono::seconds max_qr_ttl{30};
  std::chrono::seconds capture_skew{60};        // faceImageCapturedAt may be this old
  std::chrono::seconds redelivery_delay{60};    // unacked message comes back after this
  std::chrono::hours stale_message_window{48};  // MessageID older than this -> StaleMessageId
  std::chrono::seconds replay_window{3600};     // a signed Get*/GetStatus presented again within it is refused; 0 = off
  TimePoint stage_two_start{};                  // 2025-12-29 00:00 MSK unless set
  TimePoint simple_signature_deadline{std::chrono::seconds{1814389200}};  // a simple ES counts for the consent until 2027-07-01 00:00 MSK
  std::string max_disclosure = "status";        // status (MAX tokens disclose statuses only) | purpose (as МПГУ tokens)
  std::string face_matcher = "descriptor";      // a name face::make_matcher knows (emulator.json "faceMatcher")
  double face_threshold = 0;                    // 0 = the matcher's documented default
  std::size_t min_face_bytes = 20 * 1000;
  std::size_t max_face_bytes = 2 * 1000 * 1000;
  bool accept_png_faces = true;
  std::string signature_check = "enforce";  // enforce | warn | off
  std::size_t max_attachment_bytes = 5u << 20;  // total per message, as the official client's MTOM limit
  // Emulator choices where СМЭВ's real thresholds are not public (docs/smev3.md "Limits"):
  std::size_t max_queue_depth = 100000;              // per recipient queue -> DestinationOverflow; 0 = none
  std::size_t attachment_quota_bytes = 1ull << 30;   // per sender per Moscow day -> QuoteLimitExceeded; 0 = none
  std::string transaction_code_check = "shape";      // shape (the observed forms) | off -> TransactionCodeInvalid
  std::string mtom_answers = "auto";
  // ЕСИА and СМЭВ 4 (domain/gosdoki.md §11.8, §11.12, §11.14).
  std::string esia_jwt_alg = "RS256";              // RS256 | GOST3410_2012_256
  std::chrono::seconds esia_timestamp_skew{180};   // client_secret timestamp window
  std::chrono::seconds esia_token_ttl{3600};
  bool esia_sha256_certificate_hash = false;       // accept SHA-256 over DER too (a flagged deviation)
  std::string esia_issuer = "http://esia.gosuslugi.ru/";
  int rate_limit_smev3_per_minute = 2000;          // per ИС, by the virtual clock; 0 = off
  int rate_limit_smev4_per_minute = 2000;        // auto (in the framing of the request) | always | never
  std::uint64_t seed = 1;
};

struct World {
  std::vector<Citizen> citizens;
  std::vector<Organisation> organisations;
  crypto::Certificate ca;  // the test CA every participant certificate chains to
  std::optional<crypto::PrivateKey> ca_key;  // to re-sign the revocation list after a run-time revocation
  std::optional<crypto::Crl> crl;            // the CA's revocation list (fixtures: pki/ca.crl)
  Identity smev;           // СМЭВ's own signature (ЭП-СМЭВ)
  Identity epgu;           // ЕПГУ as the provider of the вид сведений
  Identity esia;           // ЕСИА's GOST key (GOST3410_2012_256 tokens)
  Identity esia_rsa;       // ЕСИА's RSA key (RS256 tokens, the default)
  std::string qr_hmac_key;
  Settings settings;
};

}  // namespace gosdoki::emulator
