#include "emulator/esia/store.hpp"

#include <mutex>

namespace gosdoki::emulator {

EsiaStore::EsiaStore(std::vector<Citizen> citizens) : citizens_(std::move(citizens)) {}

std::optional<Citizen> EsiaStore::by_oid(const std::string& oid) const {
  std::shared_lock lock(mu_);
  for (const auto& c : citizens_) {
    if (c.oid == oid) return c;
  }
  return std::nullopt;
}

std::optional<Citizen> EsiaStore::by_id(const std::string& id) const {
  std::shared_lock lock(mu_);
  for (const auto& c : citizens_) {
    if (c.id == id) return c;
  }
  return std::nullopt;
}

bool EsiaStore::update(const std::string& id, const std::function<void(Citizen&)>& change) {
  std::unique_lock lock(mu_);
  for (auto& c : citizens_) {
    if (c.id == id) {
      change(c);
      return true;
    }
  }
  return false;
}

std::vector<std::string> EsiaStore::ids() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& c : citizens_) out.push_back(c.id);
  return out;
}

}  // namespace gosdoki::emulator
