#pragma once
// What this process uses, from /proc/self (Linux): for the load tool, the soak run and the
// admin API, so a memory or descriptor leak shows as a number, not a guess.
#include <cstdint>

namespace gosdoki {

struct ProcessStats {
  std::uint64_t rss_bytes = 0;       // VmRSS
  std::uint64_t peak_rss_bytes = 0;  // VmHWM
  std::uint64_t open_fds = 0;        // entries of /proc/self/fd
  std::uint64_t threads = 0;
  double cpu_seconds = 0;  // user + system time of all threads so far (getrusage)
};

ProcessStats process_stats();

}  // namespace gosdoki
