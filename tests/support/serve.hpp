#pragma once
// `gosdoki-sandbox serve` as a child process on ephemeral ports, for end-to-end tests that
// restart or kill it.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace gosdoki::testkit {

struct Serve {
  std::unique_ptr<Background> proc;
  int smev3 = 0, admin = 0, esia = 0, smev4 = 0;
};

// Starts serve on the built-in fixtures with its data in dir/data, a frozen clock at
// 2026-01-15T10:00:00+03:00, and waits for its port file. `n` numbers the start (logs, ports).
Serve start_serve(const std::filesystem::path& binary, const std::filesystem::path& fixtures, const std::filesystem::path& dir,
                  int n, const std::vector<std::string>& extra = {});

}  // namespace gosdoki::testkit
