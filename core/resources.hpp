#pragma once
// Files built into the binary (default fixtures and the smoke suite), keyed by their path in
// the source tree, e.g. "fixtures/persons.json". See cmake/Embed.cmake.
#include <string_view>
#include <vector>

namespace gosdoki::resources {

struct Entry {
  std::string_view path;
  std::string_view data;
};

// Defined by the generated table of an embedding library; links only where one is linked.
std::vector<Entry> embedded_entries();

}  // namespace gosdoki::resources
