#include "emulator/smev3/replay_guard.hpp"

#include "core/crypto/crypto.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::emulator::smev3 {

namespace {

std::string key_of(std::string_view value) {
  // Whitespace inside base64 does not make another signature.
  std::string compact;
  compact.reserve(value.size());
  for (char c : value) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact.push_back(c);
  }
  auto d = crypto::digest(crypto::DigestAlg::sha256, as_bytes(compact));
  if (!d) return compact;
  return std::string(reinterpret_cast<const char*>(d->data()), 16);
}

}  // namespace

std::optional<TimePoint> ReplayGuard::check(std::string_view signature_value, TimePoint now, std::chrono::seconds window) {
  if (window.count() <= 0 || signature_value.empty()) return std::nullopt;
  std::string key = key_of(signature_value);
  std::lock_guard lock(mu_);
  // Forget what fell out of the window (by emulator time, which scenarios may move), and make
  // room for one more.
  while (!order_.empty() && (order_.front().second + window < now || order_.size() >= capacity_)) {
    auto it = seen_.find(order_.front().first);
    if (it != seen_.end() && it->second == order_.front().second) seen_.erase(it);
    order_.pop_front();
  }
  auto [it, inserted] = seen_.try_emplace(key, now);
  if (!inserted) {
    if (it->second + window >= now && it->second <= now) return it->second;
    it->second = now;  // seen long ago (or in a future the clock was moved back from): a fresh start
  }
  order_.emplace_back(std::move(key), now);
  return std::nullopt;
}

std::size_t ReplayGuard::size() const {
  std::lock_guard lock(mu_);
  return seen_.size();
}

}  // namespace gosdoki::emulator::smev3
