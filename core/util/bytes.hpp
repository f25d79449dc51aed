#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gosdoki {

using Bytes = std::vector<std::uint8_t>;

inline std::string_view as_view(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string base64_encode(std::span<const std::uint8_t> data);
inline std::string base64_encode(std::string_view s) { return base64_encode(as_bytes(s)); }
// Strict RFC 4648 decoding; whitespace (as in wrapped XML base64) is skipped.
Result<Bytes> base64_decode(std::string_view text);
std::string base64url_encode(std::span<const std::uint8_t> data);  // no padding
Result<Bytes> base64url_decode(std::string_view text);
std::string hex_encode(std::span<const std::uint8_t> data);
// The offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or
// nullopt when the text is valid UTF-8.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);
// ASCII letters lower-cased (header values, hex, tokens); other bytes as they are.
std::string ascii_lower(std::string_view text);

// Reads a whole file with a size cap; the error names the file.
Result<std::string> read_file(const std::filesystem::path& path, std::uint64_t max_bytes = 256u << 20);
// Creates missing parent directories.
Status write_file(const std::filesystem::path& path, std::string_view content);
// For output files named on a command line: not a directory, and its directory exists — so a
// typo is reported before any work (or a one-time QR) is spent.
Status check_writable(const std::filesystem::path& path);

}  // namespace gosdoki
