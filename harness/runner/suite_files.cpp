// Where scenarios come from: files and folders given on the command line, or the suites built
// into the binary.
#include <algorithm>

#include "harness/fixtures/source.hpp"
#include "harness/runner/runner.hpp"

namespace gosdoki::harness {

Result<std::vector<ScenarioFile>> collect_scenarios(const std::vector<std::filesystem::path>& paths) {
  std::vector<ScenarioFile> out;
  if (paths.empty()) return builtin_suite("smoke");
  for (const auto& p : paths) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(p, ec)) {
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        auto ext = it->path().extension();
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) return make_error("scenario.none", p.string() + ": no *.yaml scenario files in this directory");
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {
      return make_error("file.not_found", p.string() + ": no such file or directory");
    }
    for (const auto& f : files) {
      auto text = read_file(f, 1u << 20);
      if (!text) return text.error();
      out.push_back({f.string(), *text});
    }
  }
  return out;
}

Result<std::vector<ScenarioFile>> builtin_suite(const std::string& suite) {
  std::vector<ScenarioFile> out;
  auto src = embedded_source("");
  for (const auto& rel : src->list("scenarios/" + suite + "/")) {
    if (rel.size() < 5 || (rel.substr(rel.size() - 5) != ".yaml" && rel.substr(rel.size() - 4) != ".yml")) continue;
    auto text = src->read(rel);
    if (!text) return text.error();
    out.push_back({src->describe(rel), *text});
  }
  if (out.empty()) return make_error("scenario.none", "this binary has no built-in " + suite + " suite");
  return out;
}

Result<ScenarioFile> load_scenario_file(const std::string& name) {
  const std::string builtin = "<built-in>/";
  if (name.rfind(builtin, 0) == 0) {
    auto src = embedded_source("");
    auto text = src->read(name.substr(builtin.size()));
    if (!text) return text.error();
    return ScenarioFile{name, *text};
  }
  auto text = read_file(name, 1u << 20);
  if (!text) return text.error();
  return ScenarioFile{name, *text};
}

}  // namespace gosdoki::harness
