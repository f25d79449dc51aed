#pragma once
// The built-in ЕПГУ as a СМЭВ 3 provider: it takes requests with a signed GetRequest, checks
// СМЭВ's signature, acks, runs the check and answers with a signed SendResponse — over HTTP,
// exactly as an outside provider would.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"
#include "emulator/epgu/provider.hpp"
#include "emulator/journal.hpp"
#include "emulator/model.hpp"
#include "protocol/smev3/messages.hpp"

namespace gosdoki::emulator {

class EpguAgent {
 public:
  EpguAgent(const World& world, EpguProvider& provider, const Clock& clock, Journal& journal, std::uint64_t seed,
            std::string host, std::uint16_t port, std::string path, smev3::Version version);
  ~EpguAgent();
  void start();
  void stop();
  void notify();  // a request was queued for us

  // Takes and answers queued requests until the queue is empty; returns how many.
  int drain();

 private:
  void run();
  bool handle_one(class AgentConnection& conn);

  const World& world_;
  EpguProvider& provider_;
  const Clock& clock_;
  Journal& journal_;
  UuidGenerator ids_;
  std::string host_;
  std::uint16_t port_;
  std::string path_;
  smev3::Version version_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  std::atomic<bool> stop_{false};
};

}  // namespace gosdoki::emulator
