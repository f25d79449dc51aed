#pragma once
// Runs the real gosdoki-sandbox binary as a child process, for end-to-end tests.
#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace gosdoki::testkit {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out, err;
};

// Runs to completion (killed after `timeout`).
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::seconds timeout = std::chrono::seconds(60));

// A background process (e.g. `serve`), terminated on destruction.
class Background {
 public:
  Background(const std::vector<std::string>& argv, const std::filesystem::path& log_dir);
  ~Background();
  pid_t pid() const { return pid_; }
  bool running() const;
  int terminate();  // SIGTERM, wait; returns the exit code
  void kill_hard();  // SIGKILL: a crash, no clean shutdown
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

std::filesystem::path temp_dir(const std::string& name);

}  // namespace gosdoki::testkit
