#pragma once
// Who may do what, as the two layers of the real system see it (domain/gosdoki.md §11.10):
// СМЭВ's participants and their consumer grants per вид сведений, and ЕПГУ's registry of
// organisations and activity types. Thread-safe; read on every request, changed rarely.
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"
#include "core/xml/xml.hpp"
#include "emulator/model.hpp"
#include "emulator/registry/revocations.hpp"

namespace gosdoki::emulator {

struct Participant {
  std::string mnemonic;
  std::string name;
  crypto::Certificate certificate;
};

// A registered вид сведений: request root QName, its response root, its provider and consumers.
struct BusinessType {
  std::string ns;
  std::string request_root;
  std::string response_root;
  std::string provider;  // mnemonic
  std::set<std::string> consumers;
  std::shared_ptr<const xml::Schema> schema;  // business content is validated against it
};

class Registry {
 public:
  void add_participant(Participant p);
  // By the certificate the caller signed with (fingerprint of the DER), never by a claimed name.
  std::optional<Participant> participant_by_certificate(const crypto::Certificate& cert) const;
  std::optional<Participant> participant(const std::string& mnemonic) const;

  void add_business_type(BusinessType t);
  std::optional<BusinessType> business_type_by_request(const std::string& ns, const std::string& root) const;
  std::optional<BusinessType> business_type_by_response(const std::string& ns, const std::string& root) const;
  std::optional<BusinessType> business_type_by_namespace(const std::string& ns) const;

  void put_organisation(Organisation o);
  bool remove_organisation(const std::string& mnemonic);
  std::optional<Organisation> organisation_by_mnemonic(const std::string& mnemonic) const;
  std::vector<Organisation> organisations() const;

  // The seed's first step: an organisation applies to be added to ЕПГУ's registry, and is not
  // in it until the application is approved.
  struct Application {
    std::string id;  // ZV-000001
    Organisation org;
    std::string status;  // pending | approved | rejected
    TimePoint submitted_at;
    std::optional<TimePoint> decided_at;
    std::string reason;  // why rejected
  };
  Application apply(Organisation o, TimePoint now);
  Result<Application> approve(const std::string& id, TimePoint now);
  Result<Application> reject(const std::string& id, const std::string& reason, TimePoint now);
  std::vector<Application> applications() const;
  std::optional<Application> latest_application(const std::string& mnemonic) const;

  // The test CA's revocation list (СМЭВ 3 and ЕСИА refuse revoked certificates).
  Revocations& revocations() { return revocations_; }
  const Revocations& revocations() const { return revocations_; }

 private:
  Revocations revocations_;
  std::vector<Application> applications_;
  mutable std::shared_mutex mu_;
  std::vector<Participant> participants_;
  std::vector<BusinessType> types_;
  std::vector<Organisation> organisations_;
};

// Loads the registries of a World: СМЭВ participants (organisations that are registered, plus
// ЕПГУ), the Госдоки вид сведений with ЕПГУ as provider, and ЕПГУ's organisation registry.
void load_registry(Registry& r, const World& w);

}  // namespace gosdoki::emulator
