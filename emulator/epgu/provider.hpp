#pragma once
// ЕПГУ's business logic for the QR check, independent of the channel: registry and scope,
// request content, QR → OID, the person, the face, the documents, then the disclosure matrix
// (domain/gosdoki.md §11.4–11.6). Both СМЭВ 3 and (later) СМЭВ 4 call this.
#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <optional>
#include <string>

#include "core/face/face.hpp"
#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"
#include "emulator/esia/store.hpp"
#include "emulator/registry/registry.hpp"
#include "emulator/wallet/wallet.hpp"
#include "protocol/gosqr/contract.hpp"

namespace gosdoki::emulator {

struct CheckOutcome {
  std::string result_code;  // OK or the §11.4 code
  std::string detail;       // why, for the journal and the rejection text
  gosqr::CheckResponse response;  // filled for every outcome
  // СМЭВ 3 mapping (§11.5): a RequestRejected with this code, or a ResponseGosQrDocs.
  std::optional<std::string> smev3_reject_code;
  std::string rejection_description() const;  // "CODE: meaning (detail)"
};

// Who asks and how: the sender's mnemonic (СМЭВ 3: from its certificate; СМЭВ 4: the token's
// client_id), the channel, and on СМЭВ 4 the scopes of the ЕСИА token.
struct CheckContext {
  std::string mnemonic;
  std::string channel = "smev3";  // smev3 | smev4
  bool test_message = false;      // СМЭВ TestMessage: the provider changes no data (the QR is not used)
  std::optional<std::vector<std::string>> token_scopes;
};

// Госкан (domain/gosdoki.md §11.13): the scanner in the checker's own МПГУ app, logged in with
// the checker's ЕСИА account, asks ЕПГУ directly; no ИС, no СМЭВ. The phone shows the trusted
// photo and what the chosen purpose allows; the checker compares the photo with the face.
struct GoskanRequest {
  std::string checker_oid;  // the ЕСИА OID the checker's app is logged in with
  std::string qr;           // the token text as the scanner read it
  std::string purpose = "AGE_18_GOODS";
};

struct GoskanScreen {
  std::string result_code;  // OK, a §11.4 code of the QR or the person, or CHECKER_NOT_AUTHORISED
  std::string title;        // the phone's headline
  std::string message;      // the line under it
  std::string source;       // MPGU | MAX (when the QR was recognised)
  std::optional<Bytes> trusted_photo;  // JPEG of the confirmed photo, only when OK
  gosqr::CheckResponse data;           // ageConfirmed18 / person / doc as the purpose allows
  std::vector<std::string> statuses;   // a MAX Цифровой ID: what it confirms
};

class EpguProvider {
 public:
  EpguProvider(const Registry& registry, const EsiaStore& esia, Wallet& wallet, const Clock& clock,
               const Settings& settings, std::uint64_t seed);
  // `test_message`: a СМЭВ TestMessage — the provider must not change its data, so the QR is
  // not consumed (the answer is otherwise the same).
  CheckOutcome check(const gosqr::CheckRequest& request, const CheckContext& context);
  CheckOutcome check(const gosqr::CheckRequest& request, const std::string& sender_mnemonic, bool test_message = false) {
    return check(request, CheckContext{sender_mnemonic, "smev3", test_message, std::nullopt});
  }
  // The next check that reaches the face stage gets this verdict instead of the matcher's (a
  // scenario forcing an outcome); once.
  void force_next_face_verdict(face::Verdict v);
  // A Госкан scan: uses the QR up when it shows the data.
  GoskanScreen goskan_scan(const GoskanRequest& request);
  // Per-ИС requests per minute of virtual time on a channel; 0 turns the limiter off.
  void set_rate_limit(const std::string& channel, int per_minute);

 private:
  CheckOutcome reject(std::string code, std::string detail);
  std::optional<CheckOutcome> authorise(const gosqr::CheckRequest& r, const CheckContext& context);
  int over_rate_limit(const CheckContext& context);  // the limit when exceeded, else 0
  std::optional<CheckOutcome> check_face_image(const gosqr::CheckRequest& r, image::Image& decoded);
  std::optional<CheckOutcome> check_documents(const gosqr::CheckRequest& r, const Citizen& c);
  CheckOutcome disclose(const gosqr::CheckRequest& r, const Citizen& c, char source);

  const Registry& registry_;
  const EsiaStore& esia_;
  Wallet& wallet_;
  const Clock& clock_;
  Settings settings_;
  std::unique_ptr<face::FaceMatcher> matcher_;
  std::mutex forced_mu_;
  std::optional<face::Verdict> forced_verdict_;
  UuidGenerator ids_;
  std::mutex rate_mu_;
  std::map<std::string, int> rate_limits_;  // channel -> per minute
  std::map<std::string, std::pair<long long, int>> rate_windows_;  // channel/mnemonic -> (minute, count)
};

}  // namespace gosdoki::emulator
