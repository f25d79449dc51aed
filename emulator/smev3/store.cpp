#include "emulator/smev3/store.hpp"


namespace gosdoki::emulator::smev3 {

bool MemoryStore::put(const StoredMessage& m) {
  std::lock_guard lock(mu_);
  if (history_.count(m.id)) return false;
  history_[m.id] = m.status;
  if (m.kind == Kind::request) {
    routes_[m.id] = Route{m.sender, m.sender_name, m.recipient, m.type_ns, m.node_id, m.reference_message_id, m.transaction_code};
  }
  std::uint64_t seq = next_seq_++;
  messages_.emplace(m.id, Queued{m, seq});
  queues_[{m.recipient, m.kind}].emplace(seq, m.id);
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
  auto q = queues_.find({recipient, kind});
  if (q == queues_.end()) return std::nullopt;
  for (const auto& [seq, id] : q->second) {
    StoredMessage& m = messages_.at(id).message;
    if (!selector_matches(m, s)) continue;
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
  if (it == messages_.end() || it->second.message.recipient != recipient || !it->second.message.in_flight) return false;
  Kind k = it->second.message.kind;
  history_[id] = k == Kind::request ? "requestIsProcessed" : k == Kind::response ? "responseIsProcessed" : "delivered";
  auto q = queues_.find({recipient, k});
  if (q != queues_.end()) {
    q->second.erase(it->second.seq);
    if (q->second.empty()) queues_.erase(q);
  }
  messages_.erase(it);
  return true;
}

std::optional<StoredMessage> MemoryStore::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = messages_.find(id);
  if (it == messages_.end()) return std::nullopt;
  return it->second.message;
}

void MemoryStore::set_status(const std::string& id, const std::string& status) {
  std::lock_guard lock(mu_);
  if (auto it = messages_.find(id); it != messages_.end()) it->second.message.status = status;
  if (history_.count(id)) history_[id] = status;
}

std::string MemoryStore::status(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = history_.find(id);
  return it == history_.end() ? std::string{} : it->second;
}

std::size_t MemoryStore::pending(const std::string& recipient, Kind kind) const {
  std::lock_guard lock(mu_);
  auto q = queues_.find({recipient, kind});
  return q == queues_.end() ? 0 : q->second.size();
}

std::optional<Route> MemoryStore::route(const std::string& request_id) const {
  std::lock_guard lock(mu_);
  auto it = routes_.find(request_id);
  if (it == routes_.end()) return std::nullopt;
  return it->second;
}

}  // namespace gosdoki::emulator::smev3
