#pragma once
// A built-in СМЭВ 3 provider (ЕПГУ, the test environment's `emu`): it takes requests with a
// signed GetRequest, checks СМЭВ's signature, acks, asks its answerer and sends the answer with
// a signed SendResponse — over HTTP, exactly as an outside provider would.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/time/clock.hpp"
#include "core/util/uuid.hpp"
#include "core/http/http.hpp"
#include "emulator/journal.hpp"
#include "emulator/model.hpp"
#include "protocol/smev3/messages.hpp"
#include "protocol/smev3/parse.hpp"

namespace gosdoki::emulator {

struct ProviderAgentConfig {
  std::string channel;  // journal channel: "epgu", "emu"
  const Identity* identity = nullptr;
  std::optional<gosdoki::smev3::MessageTypeSelector> selector;  // none: every request addressed to it
  std::string host;
  std::uint16_t port = 0;
  std::string path;
  std::optional<http::ClientTls> tls;  // serve --tls: СМЭВ 3 speaks HTTPS, and this is whom to trust
  gosdoki::smev3::Version version = gosdoki::smev3::Version::v1_3;
  std::uint64_t seed = 1;
  // Threads taking requests at once, each with its own connection: one answer takes a few
  // milliseconds of face matching and signing, so one thread caps a busy run well below what
  // the cores can do.
  int workers = 1;
};

// Fills the answer (business_xml or rejections) to one verified request; returns the journal outcome.
using Answerer = std::function<std::string(const gosdoki::smev3::RequestMessage& request, gosdoki::smev3::SenderProvidedResponseData& out)>;

class ProviderAgent {
 public:
  ProviderAgent(const World& world, const Clock& clock, Journal& journal, ProviderAgentConfig config, Answerer answerer);
  ~ProviderAgent();
  void start();
  void stop();
  void notify();  // a request was queued for us

  // Takes and answers queued requests until the queue is empty; returns how many.
  int drain();

 private:
  void run();
  bool handle_one(class AgentConnection& conn);

  const World& world_;
  const Clock& clock_;
  Journal& journal_;
  ProviderAgentConfig config_;
  Answerer answerer_;
  UuidGenerator ids_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false;
  std::atomic<bool> stop_{false};
};

// The built-in ЕПГУ's answerer: the Госдоки check (emulator/epgu/provider).
class EpguProvider;
Answerer epgu_answerer(EpguProvider& provider, const Clock& clock);

}  // namespace gosdoki::emulator
