#pragma once
// ЕПГУ's business logic for the QR check, independent of the channel: registry and scope,
// request content, QR → OID, the person, the face, the documents, then the disclosure matrix
// (domain/gosdoki.md §11.4–11.6). Both СМЭВ 3 and (later) СМЭВ 4 call this.
#include <memory>
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

class EpguProvider {
 public:
  EpguProvider(const Registry& registry, const EsiaStore& esia, Wallet& wallet, const Clock& clock,
               const Settings& settings, std::uint64_t seed);
  // `test_message`: a СМЭВ TestMessage — the provider must not change its data, so the QR is
  // not consumed (the answer is otherwise the same).
  CheckOutcome check(const gosqr::CheckRequest& request, const std::string& sender_mnemonic, bool test_message = false);

 private:
  CheckOutcome reject(std::string code, std::string detail);
  std::optional<CheckOutcome> authorise(const gosqr::CheckRequest& r, const std::string& mnemonic);
  std::optional<CheckOutcome> check_face_image(const gosqr::CheckRequest& r, image::Image& decoded);
  CheckOutcome disclose(const gosqr::CheckRequest& r, const Citizen& c, char source);

  const Registry& registry_;
  const EsiaStore& esia_;
  Wallet& wallet_;
  const Clock& clock_;
  Settings settings_;
  std::unique_ptr<face::FaceMatcher> matcher_;
  UuidGenerator ids_;
};

}  // namespace gosdoki::emulator
