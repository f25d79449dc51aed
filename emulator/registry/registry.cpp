#include "emulator/registry/registry.hpp"

#include <algorithm>
#include <cstdio>
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

bool Registry::remove_organisation(const std::string& mnemonic) {
  std::unique_lock lock(mu_);
  auto it = std::find_if(organisations_.begin(), organisations_.end(), [&](const auto& o) { return o.mnemonic == mnemonic; });
  if (it == organisations_.end()) return false;
  organisations_.erase(it);
  return true;
}

std::vector<Organisation> Registry::organisations() const {
  std::shared_lock lock(mu_);
  return organisations_;
}

Registry::Application Registry::apply(Organisation o, TimePoint now) {
  std::unique_lock lock(mu_);
  char id[16];
  std::snprintf(id, sizeof id, "ZV-%06zu", applications_.size() + 1);
  applications_.push_back(Application{id, std::move(o), "pending", now, std::nullopt, ""});
  return applications_.back();
}

Result<Registry::Application> Registry::approve(const std::string& id, TimePoint now) {
  std::unique_lock lock(mu_);
  for (auto& a : applications_) {
    if (a.id != id) continue;
    if (a.status != "pending") return make_error("registry.decided", "application " + id + " is already " + a.status);
    a.status = "approved";
    a.decided_at = now;
    Organisation o = a.org;
    auto it = std::find_if(organisations_.begin(), organisations_.end(), [&](const auto& x) { return x.mnemonic == o.mnemonic; });
    if (it != organisations_.end()) *it = o;
    else organisations_.push_back(o);
    return a;
  }
  return make_error("registry.not_found", "no application " + id);
}

Result<Registry::Application> Registry::reject(const std::string& id, const std::string& reason, TimePoint now) {
  std::unique_lock lock(mu_);
  for (auto& a : applications_) {
    if (a.id != id) continue;
    if (a.status != "pending") return make_error("registry.decided", "application " + id + " is already " + a.status);
    a.status = "rejected";
    a.decided_at = now;
    a.reason = reason;
    return a;
  }
  return make_error("registry.not_found", "no application " + id);
}

std::vector<Registry::Application> Registry::applications() const {
  std::shared_lock lock(mu_);
  return applications_;
}

std::optional<Registry::Application> Registry::latest_application(const std::string& mnemonic) const {
  std::shared_lock lock(mu_);
  for (auto it = applications_.rbegin(); it != applications_.rend(); ++it) {
    if (it->org.mnemonic == mnemonic) return *it;
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
  // The fixtures checked the list's signature when they loaded it.
  (void)r.revocations().load(w.ca, w.ca_key, w.crl);
}

}  // namespace gosdoki::emulator
