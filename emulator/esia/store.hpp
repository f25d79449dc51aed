#pragma once
// The ЕСИА side ЕПГУ reads from: persons and their identity documents by OID. In-process;
// no integrator calls ЕСИА's person API in this flow (domain/gosdoki.md §11.8).
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "emulator/model.hpp"

namespace gosdoki::emulator {

class EsiaStore {
 public:
  explicit EsiaStore(std::vector<Citizen> citizens);
  std::optional<Citizen> by_oid(const std::string& oid) const;
  std::optional<Citizen> by_id(const std::string& id) const;
  std::vector<std::string> ids() const;
  // Applies `change` to the citizen with this fixture id; false if there is none.
  bool update(const std::string& id, const std::function<void(Citizen&)>& change);

 private:
  mutable std::shared_mutex mu_;
  std::vector<Citizen> citizens_;
};

}  // namespace gosdoki::emulator
