#include "core/util/bytes.hpp"

#include <array>
#include <fstream>
#include <system_error>

namespace gosdoki {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::span<const std::uint8_t> data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    std::uint32_t n = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  std::size_t rest = data.size() - i;
  if (rest > 0) {
    std::uint32_t n = std::uint32_t{data[i]} << 16;
    if (rest == 2) n |= std::uint32_t{data[i + 1]} << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) out += alphabet[(n >> 6) & 63];
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

Result<Bytes> decode(std::string_view text, const char* alphabet, bool padding_allowed,
                     const char* what) {
  std::array<int, 256> map{};
  map.fill(-1);
  for (int i = 0; i < 64; ++i) map[static_cast<unsigned char>(alphabet[i])] = i;
  Bytes out;
  out.reserve(text.size() / 4 * 3 + 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t symbols = 0, pads = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=' && padding_allowed) {
      ++pads;
      continue;
    }
    if (pads > 0 || map[c] < 0) {
      return make_error("base64.invalid", std::string(what) + ": invalid character at offset " +
                                              std::to_string(pos));
    }
    ++symbols;
    acc = (acc << 6) | static_cast<std::uint32_t>(map[c]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  if (symbols % 4 == 1) return make_error("base64.invalid", std::string(what) + ": truncated input");
  if (padding_allowed && pads > 0 && (symbols + pads) % 4 != 0) {
    return make_error("base64.invalid", std::string(what) + ": wrong padding");
  }
  if (pads > 2) return make_error("base64.invalid", std::string(what) + ": too much padding");
  return out;
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> data) { return encode(data, kStd, true); }
Result<Bytes> base64_decode(std::string_view text) { return decode(text, kStd, true, "base64"); }
std::string base64url_encode(std::span<const std::uint8_t> data) { return encode(data, kUrl, false); }
Result<Bytes> base64url_decode(std::string_view text) {
  return decode(text, kUrl, false, "base64url");
}

std::string hex_encode(std::span<const std::uint8_t> data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (auto b : data) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<std::string> read_file(const std::filesystem::path& path, std::uint64_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return make_error("file.not_found", path.string() + ": no such file");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return make_error("file.is_directory", path.string() + ": is a directory, expected a file");
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    return make_error("file.not_regular", path.string() + ": not a regular file (a device, FIFO or socket)");
  }
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error("file.unreadable", path.string() + ": " + ec.message());
  if (size > max_bytes) {
    return make_error("file.too_large", path.string() + ": " + std::to_string(size) +
                                            " bytes, limit is " + std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("file.unreadable", path.string() + ": cannot open for reading");
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) {
    return make_error("file.unreadable", path.string() + ": short read");
  }
  return data;
}

Status check_writable(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return make_error("file.is_directory", path.string() + ": is a directory, expected a file name");
  }
  auto parent = path.parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    return make_error("file.no_directory", path.string() + ": the directory " + parent.string() + " does not exist");
  }
  return {};
}

Status write_file(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error("file.unwritable", path.string() + ": cannot open for writing");
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) return make_error("file.unwritable", path.string() + ": write failed");
  return {};
}

}  // namespace gosdoki

namespace gosdoki {

std::optional<std::size_t> invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return i;
    std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n;
  }
  return std::nullopt;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace gosdoki
