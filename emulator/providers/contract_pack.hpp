#pragma once
// Contract packs: a вид сведений a user registers with the emulated СМЭВ 3 from a directory —
// its namespace and roots, an optional XSD (business content is validated against it, failures
// come back asynchronously as SMEV-403), its provider and consumers, and «контрольные примеры»
// the test environment's emulator recipient `emu` answers with. Format: docs/smev3.md.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "emulator/providers/agent.hpp"
#include "emulator/registry/registry.hpp"

namespace gosdoki::emulator {

// СМЭВ's own emulator in the test environment answers as this mnemonic (domain/smev3.md §10).
inline constexpr const char* kEmuMnemonic = "emu";

struct ControlExample {
  std::string name;
  // Chosen when the request has an element with this local name and exactly this text; an
  // example without a condition matches every request (put it last).
  std::string match_element, match_text;
  std::string response_xml;  // the business answer, or
  std::optional<gosdoki::smev3::Rejection> rejection;
};

struct ContractPack {
  std::filesystem::path dir;
  BusinessType type;
  std::optional<Participant> provider;  // an outside provider registered by the pack
  std::vector<ControlExample> examples;
};

// Reads DIR/contract.json (and the files it names). Errors name the file and what is wrong.
Result<ContractPack> load_contract_pack(const std::filesystem::path& dir);

// Registers the pack's type (and outside provider) in the registry; "*" among the consumers
// means every participant.
void register_contract_pack(Registry& registry, const ContractPack& pack);

// The answerer of `emu`: the first control example of the request's вид сведений that matches,
// else a NO_DATA rejection naming the request.
Answerer emu_answerer(std::vector<ContractPack> packs);

}  // namespace gosdoki::emulator
