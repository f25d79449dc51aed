#include "emulator/registry/registry.hpp"

#include <mutex>

#include "protocol/gosqr/contract.hpp"

namespace gosdoki::emulator {

void Registry::add_participant(Participant p) {
  std::unique_lock lock(mu_);
  participants_.push_back(std::move(p));
}

std::optional<Participant> Registry::participant_by_certificate(const crypto::Certificate& cert) const {
  std::string fp = cert.fingerprint_sha256();
  std::shared_lock lock(mu_);
  for (const auto& p : participants_) {
    if (p.certificate.fingerprint_sha256() == fp) return p;
  }
  return std::nullopt;
}

std::optional<Participant> Registry::participant(const std::string& mnemonic) const {
  std::shared_lock lock(mu_);
  for (const auto& p : participants_) {
    if (p.mnemonic == mnemonic) return p;
  }
  return std::nullopt;
}

void Registry::add_business_type(BusinessType t) {
  std::unique_lock lock(mu_);
  types_.push_back(std::move(t));
}

std::optional<BusinessType> Registry::business_type_by_request(const std::string& ns, const std::string& root) const {
  std::shared_lock lock(mu_);
  for (const auto& t : types_) {
    if (t.ns == ns && t.request_root == root) return t;
  }
  return std::nullopt;
}

std::optional<BusinessType> Registry::business_type_by_response(const std::string& ns, const std::string& root) const {
  std::shared_lock lock(mu_);
  for (const auto& t : types_) {
    if (t.ns == ns && t.response_root == root) return t;
  }
  return std::nullopt;
}

std::optional<BusinessType> Registry::business_type_by_namespace(const std::string& ns) const {
  std::shared_lock lock(mu_);
  for (const auto& t : types_) {
    if (t.ns == ns) return t;
  }
  return std::nullopt;
}

void Registry::put_organisation(Organisation o) {
  std::unique_lock lock(mu_);
  for (auto& existing : organisations_) {
    if (existing.mnemonic == o.mnemonic) {
      existing = std::move(o);
      return;
    }
  }
  organisations_.push_back(std::move(o));
}

std::optional<Organisation> Registry::organisation_by_mnemonic(const std::string& mnemonic) const {
  std::shared_lock lock(mu_);
  for (const auto& o : organisations_) {
    if (o.mnemonic == mnemonic) return o;
  }
  return std::nullopt;
}

void load_registry(Registry& r, const World& w) {
  r.add_participant(Participant{w.epgu.mnemonic, w.epgu.name, w.epgu.certificate});
  BusinessType gosqr{gosqr::kNamespace, gosqr::kRequestRoot, gosqr::kResponseRoot, w.epgu.mnemonic, {}, nullptr};
  auto schema = xml::Schema::load_memory(gosqr::schema_xsd(), "gosqr-docs-emul-1.0.0.xsd");
  if (schema) gosqr.schema = std::make_shared<const xml::Schema>(std::move(*schema));
  for (const auto& o : w.organisations) {
    if (o.smev_participant && o.certificate) r.add_participant(Participant{o.mnemonic, o.name, *o.certificate});
    if (o.smev_participant && o.smev_consumer_grant) gosqr.consumers.insert(o.mnemonic);
    if (o.epgu_registry) r.put_organisation(o);
  }
  r.add_business_type(std::move(gosqr));
}

}  // namespace gosdoki::emulator
