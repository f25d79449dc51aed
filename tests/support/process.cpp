#include "tests/support/process.hpp"

#include <atomic>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/util/bytes.hpp"

extern char** environ;

namespace gosdoki::testkit {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) pid = -1;  // searches PATH
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

int wait_for(pid_t pid, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0) return -1;  // already reaped
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string slurp(const std::filesystem::path& p) {
  auto r = read_file(p);
  return r ? *r : std::string{};
}

}  // namespace

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("gosdoki-test-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  static std::atomic<int> counter{0};  // tests call this from several threads at once
  auto dir = std::filesystem::temp_directory_path();
  std::string base = (dir / ("gosdoki-proc-" + std::to_string(getpid()) + "-" + std::to_string(++counter))).string();
  ProcessResult r;
  pid_t pid = spawn(argv, base + ".out", base + ".err");
  if (pid < 0) {
    r.err = "cannot start " + argv[0];
    return r;
  }
  r.exit_code = wait_for(pid, timeout);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return r;
}

Background::Background(const std::vector<std::string>& argv, const std::filesystem::path& log_dir)
    : log_(log_dir / "background.log") {
  pid_ = spawn(argv, log_.string(), (log_dir / "background.err").string());
}

Background::~Background() {
  if (running()) terminate();
}

bool Background::running() const {
  if (pid_ <= 0) return false;
  int status = 0;
  return waitpid(pid_, &status, WNOHANG) == 0;
}

int Background::terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int rc = wait_for(pid_, std::chrono::seconds(20));
  pid_ = -1;
  return rc;
}

void Background::kill_hard() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Background::log() const {
  return slurp(log_) + slurp(log_.parent_path() / "background.err");
}

}  // namespace gosdoki::testkit
