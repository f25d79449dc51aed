#include "emulator/smev3/store.hpp"

#include <algorithm>

namespace gosdoki::emulator::smev3 {

bool MemoryStore::put(const StoredMessage& m) {
  std::lock_guard lock(mu_);
  if (history_.count(m.id)) return false;
  history_[m.id] = m.status;
  order_.push_back(m.id);
  if (m.kind == Kind::request) {
    routes_[m.id] = Route{m.sender, m.sender_name, m.recipient, m.type_ns, m.node_id, m.reference_message_id, m.transaction_code};
  }
  messages_.emplace(m.id, m);
  return true;
}

bool MemoryStore::record_only(const StoredMessage& m) {
  std::lock_guard lock(mu_);
  if (history_.count(m.id)) return false;
  history_[m.id] = m.status;
  if (m.kind == Kind::request) {
    routes_[m.id] = Route{m.sender, m.sender_name, m.recipient, m.type_ns, m.node_id, m.reference_message_id, m.transaction_code};
  }
  return true;
}

bool MemoryStore::seen(const std::string& id) const {
  std::lock_guard lock(mu_);
  return history_.count(id) != 0;
}

bool selector_matches(const StoredMessage& m, const Selector& s) {
  if (s.ns && *s.ns != m.type_ns) return false;
  // A rejection or status has no business root: the namespace of its вид сведений decides.
  if (s.root && !m.business_root.empty() && *s.root != m.business_root) return false;
  if (s.node_id && *s.node_id != m.node_id) return false;
  return true;
}

std::optional<StoredMessage> MemoryStore::take(const std::string& recipient, Kind kind, const Selector& s,
                                                TimePoint now, std::chrono::microseconds redelivery) {
  std::lock_guard lock(mu_);
  for (const auto& id : order_) {
    auto it = messages_.find(id);
    if (it == messages_.end()) continue;
    StoredMessage& m = it->second;
    if (m.recipient != recipient || m.kind != kind || !selector_matches(m, s)) continue;
    if (m.in_flight && now < m.visible_at) continue;
    m.in_flight = true;
    m.visible_at = now + redelivery;
    ++m.deliveries;
    return m;
  }
  return std::nullopt;
}

bool MemoryStore::ack(const std::string& recipient, const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = messages_.find(id);
  if (it == messages_.end() || it->second.recipient != recipient || !it->second.in_flight) return false;
  Kind k = it->second.kind;
  history_[id] = k == Kind::request ? "requestIsProcessed" : k == Kind::response ? "responseIsProcessed" : "delivered";
  messages_.erase(it);
  order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
  return true;
}

std::optional<StoredMessage> MemoryStore::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = messages_.find(id);
  if (it == messages_.end()) return std::nullopt;
  return it->second;
}

void MemoryStore::set_status(const std::string& id, const std::string& status) {
  std::lock_guard lock(mu_);
  if (auto it = messages_.find(id); it != messages_.end()) it->second.status = status;
  if (history_.count(id)) history_[id] = status;
}

std::string MemoryStore::status(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = history_.find(id);
  return it == history_.end() ? std::string{} : it->second;
}

std::size_t MemoryStore::pending(const std::string& recipient, Kind kind) const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [id, m] : messages_) n += m.recipient == recipient && m.kind == kind;
  return n;
}

std::optional<Route> MemoryStore::route(const std::string& request_id) const {
  std::lock_guard lock(mu_);
  auto it = routes_.find(request_id);
  if (it == routes_.end()) return std::nullopt;
  return it->second;
}

}  // namespace gosdoki::emulator::smev3
