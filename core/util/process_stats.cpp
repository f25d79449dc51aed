#include "core/util/process_stats.hpp"

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gosdoki {

ProcessStats process_stats() {
  ProcessStats s;
  std::ifstream status("/proc/self/status");
  std::string line;
  auto kib = [&](std::size_t prefix) { return std::stoull(line.substr(prefix)) * 1024; };
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_bytes = kib(6);
    else if (line.rfind("VmHWM:", 0) == 0) s.peak_rss_bytes = kib(6);
    else if (line.rfind("Threads:", 0) == 0) s.threads = std::stoull(line.substr(8));
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    ++s.open_fds;
  }
  if (s.open_fds) --s.open_fds;  // the directory iterator's own descriptor
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    s.cpu_seconds = sec(ru.ru_utime) + sec(ru.ru_stime);
  }
  return s;
}

}  // namespace gosdoki
