#pragma once
// СМЭВ 4 as a channel: the регламентированный запрос through the local ПОДД agent gateway,
// POST /<mnemonic>/gosqr/api/gosqr/v1/check with the ЕСИА token, synchronous JSON answer.
// On a 401 it gets a new token and tries once more, as the contract tells clients to.
#include <string>

#include "client/channel.hpp"
#include "client/esia_client.hpp"

namespace gosdoki::client {

struct Smev4Config {
  std::string base_url;  // http://127.0.0.1:8171
  std::string mnemonic;  // path prefix; empty = /api/gosqr/v1/check
  bool retry_on_401 = true;
};

class Smev4Channel final : public Channel {
 public:
  Smev4Channel(Smev4Config config, EsiaClient& esia, const Clock& clock, std::uint64_t seed);
  std::string name() const override { return "smev4"; }
  std::string display_name() const override { return "СМЭВ 4"; }
  CheckReport send(const gosqr::CheckRequest& request) override;

 private:
  Smev4Config config_;
  EsiaClient& esia_;
  UuidGenerator ids_;
};

}  // namespace gosdoki::client
