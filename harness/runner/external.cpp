#include "harness/runner/external.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

namespace gosdoki::harness {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxOutput = 1u << 20;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Each known {name} replaced by its value, shell-quoted (see placeholder_at).
std::string fill(const std::string& tmpl, const std::map<std::string, std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && (i == 0 || tmpl[i - 1] != '$')) {
      auto close = tmpl.find('}', i);
      if (close != std::string::npos) {
        auto it = values.find(tmpl.substr(i + 1, close - i - 1));
        if (it != values.end()) {
          out += shell_quote(it->second);
          i = close;
          continue;
        }
      }
    }
    out += tmpl[i];
  }
  return out;
}

Status write_bytes(const fs::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  out.close();
  if (!out) return make_error("external.write", p.string() + ": cannot write");
  return {};
}

}  // namespace

namespace {

// {name} is a placeholder when name is lower-case letters (and not ${…}, a shell variable);
// anything else in braces — JSON, ${HOME}, {} — goes to the shell as it is.
bool placeholder_at(const std::string& tmpl, std::size_t open, std::string& name) {
  if (open > 0 && tmpl[open - 1] == '$') return false;
  auto close = tmpl.find('}', open);
  if (close == std::string::npos || close == open + 1) return false;
  name = tmpl.substr(open + 1, close - open - 1);
  return std::all_of(name.begin(), name.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

}  // namespace

Status check_client_cmd(const std::string& tmpl) {
  if (tmpl.find_first_not_of(" \t") == std::string::npos) {
    return make_error("external.cmd", "--client-cmd is empty: give the command that runs your ИС");
  }
  for (std::size_t i = tmpl.find('{'); i != std::string::npos; i = tmpl.find('{', i + 1)) {
    std::string name;
    if (!placeholder_at(tmpl, i, name)) continue;
    bool known = std::find_if(std::begin(kClientCmdPlaceholders), std::end(kClientCmdPlaceholders),
                              [&](const char* p) { return name == p; }) != std::end(kClientCmdPlaceholders);
    if (!known) {
      std::string list;
      for (const char* p : kClientCmdPlaceholders) list += std::string(list.empty() ? "" : " ") + "{" + p + "}";
      return make_error("external.cmd", "--client-cmd: unknown placeholder {" + name + "} (known: " + list + ")");
    }
  }
  return {};
}

Result<ExternalResult> run_external_check(const ExternalCheck& c) {
  std::error_code ec;
  fs::create_directories(c.work_dir, ec);
  if (ec) return make_error("external.dir", c.work_dir.string() + ": " + ec.message());
  const fs::path qr = c.work_dir / "qr.png", face = c.work_dir / "face.jpg", prefill = c.work_dir / "prefill.json";
  if (auto st = write_bytes(qr, c.qr_png); !st) return st.error();
  if (auto st = write_bytes(face, c.face); !st) return st.error();
  fs::remove(prefill, ec);
  ExternalResult r;
  r.command = fill(c.command_template, {{"qr", qr.string()},
                                        {"face", face.string()},
                                        {"prefill", prefill.string()},
                                        {"admin", c.admin_url},
                                        {"smev3", c.smev3_url},
                                        {"smev4", c.smev4_url},
                                        {"esia", c.esia_url},
                                        {"org", c.org_id},
                                        {"mnemonic", c.mnemonic},
                                        {"purpose", c.purpose},
                                        {"channel", c.channel}});
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return make_error("external.spawn", std::string("pipe: ") + std::strerror(errno));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return make_error("external.spawn", std::string("pipe: ") + std::strerror(errno));
  }
  std::string fixtures_env = c.fixtures_dir ? "GOSDOKI_FIXTURES=" + c.fixtures_dir->string() : "";
  pid_t pid = fork();
  if (pid < 0) return make_error("external.spawn", std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);  // its own group, so a timeout kills the whole pipeline
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (!fixtures_env.empty()) putenv(fixtures_env.data());
    execl("/bin/sh", "sh", "-c", r.command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  auto deadline = std::chrono::steady_clock::now() + c.timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  bool exited = false;
  int status = 0;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 200)));
    if (n < 0 && errno != EINTR) break;
    if (n == 0 && !exited) {
      // The command itself has finished; what it left running in the background holds the pipes.
      int st = 0;
      if (waitpid(pid, &st, WNOHANG) == pid) {
        exited = true;
        status = st;
        kill(-pid, SIGKILL);
      }
    }
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      ssize_t got = ::read(fds[k].fd, buf, sizeof buf);
      if (got <= 0) {
        ::close(fds[k].fd);
        fds[k].fd = -1;
        --open_fds;
      } else if (sinks[k]->size() < kMaxOutput) {
        sinks[k]->append(buf, static_cast<std::size_t>(std::min<ssize_t>(got, static_cast<ssize_t>(kMaxOutput - sinks[k]->size()))));
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  if (!exited) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  kill(-pid, SIGKILL);  // anything it left behind
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (fs::exists(prefill, ec)) {
    auto text = read_file(prefill, kMaxOutput);
    if (text) r.prefill = *text;
  }
  return r;
}

std::vector<std::string> judge_wire(const std::vector<emulator::JournalEvent>& events, const std::string& mnemonic,
                                    const std::string& channel, bool refused_by_channel) {
  std::vector<std::string> out;
  auto mine = [&](const emulator::JournalEvent& e, const char* ch, const char* op) {
    return e.channel == ch && e.operation == op && e.participant == mnemonic;
  };
  static const std::set<std::string> kRefusals = {"SignatureVerificationFault", "SenderIsNotRegistered", "InvalidContent",
                                                  "InvalidMessageIdFormat", "AccessDenied"};
  if (channel == "smev4") {
    std::size_t tokens = 0, checks = 0;
    for (const auto& e : events) {
      tokens += mine(e, "esia", "token") && e.outcome == "ok";
      checks += mine(e, "smev4", "check");
    }
    if (refused_by_channel) return out;
    if (tokens == 0) out.push_back("the ИС got no ЕСИА token (esia token ok: 0)");
    if (checks == 0) out.push_back("the ИС sent no СМЭВ 4 check");
    return out;
  }
  std::size_t queued = 0, polls = 0;
  std::map<std::string, int> delivered, acked;
  for (const auto& e : events) {
    if (e.channel != "smev3" || e.participant != mnemonic) continue;
    if (!refused_by_channel && kRefusals.count(e.outcome)) {
      out.push_back("СМЭВ refused the ИС's " + e.operation + ": " + e.outcome);
    }
    if (e.operation == "SendRequest" && e.outcome == "requestIsQueued") ++queued;
    if (e.operation == "GetResponse") ++polls;
    if (e.operation == "GetResponse" && (e.outcome == "ok" || e.outcome == "redelivered") && !e.message_id.empty()) {
      ++delivered[e.message_id];
    }
    if (e.operation == "Ack" && e.outcome == "ok") ++acked[e.message_id];
  }
  if (refused_by_channel) return out;
  if (queued == 0) out.push_back("no SendRequest of the ИС was queued");
  if (polls == 0) out.push_back("the ИС never polled GetResponse");
  for (const auto& [id, n] : delivered) {
    int a = acked.count(id) ? acked[id] : 0;
    if (a == 0) out.push_back("the answer " + id + " was delivered " + std::to_string(n) + "× and never acked");
  }
  for (const auto& [id, n] : acked) {
    if (n > 1) out.push_back("the answer " + id + " was acked " + std::to_string(n) + " times (once is enough)");
  }
  return out;
}

}  // namespace gosdoki::harness
