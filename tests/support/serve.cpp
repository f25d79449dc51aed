#include "tests/support/serve.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace gosdoki::testkit {

Serve start_serve(const std::filesystem::path& binary, const std::filesystem::path& fixtures, const std::filesystem::path& dir,
                  int n, const std::vector<std::string>& extra) {
  auto port_file = dir / ("ports-" + std::to_string(n) + ".json");
  auto log_dir = dir / ("log-" + std::to_string(n));
  std::filesystem::create_directories(log_dir);
  std::vector<std::string> argv{binary.string(), "serve", "--smev3-port", "0", "--admin-port", "0", "--esia-port", "0",
                                "--smev4-port", "0", "--port-file", port_file.string(), "--fixtures", fixtures.string(),
                                "--data-dir", (dir / "data").string(), "--clock", "2026-01-15T10:00:00+03:00", "--frozen"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Serve s;
  s.proc = std::make_unique<Background>(argv, log_dir);
  // The file may exist before it is complete: wait until it parses.
  for (int i = 0; i < 600; ++i) {
    std::ifstream in(port_file);
    std::stringstream text;
    text << in.rdbuf();
    auto j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_object() && j.contains("admin")) {
      s.smev3 = j.value("smev3", 0);
      s.admin = j.value("admin", 0);
      s.esia = j.value("esia", 0);
      s.smev4 = j.value("smev4", 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return s;
}

}  // namespace gosdoki::testkit
