#pragma once
// Hostile and broken images for tests, built byte by byte (PNG chunks with their CRCs), so a
// test names exactly what is wrong with each.
#include <cstdint>
#include <string>

#include "core/util/bytes.hpp"

namespace gosdoki::testkit {

std::uint32_t crc32_bitwise(const std::uint8_t* p, std::size_t n);  // CRC-32 (ISO-HDLC), independent of zlib
void put_be32(Bytes& out, std::uint32_t v);
void put_chunk(Bytes& out, const char* type, const Bytes& data);  // length, type, data, CRC
Bytes png_signature();
Bytes ihdr(std::uint32_t w, std::uint32_t h);  // 8-bit RGB

// Signature and an IHDR claiming w×h, then a token IDAT: decoding must refuse it from the header.
// `pad_to`: an ancillary chunk makes the file at least this many bytes (past size checks).
Bytes huge_png_header(std::uint32_t w, std::uint32_t h, std::size_t pad_to = 0);
// A still PNG with an acTL chunk after IHDR: an animated PNG.
Bytes animated_png(const Bytes& still_png);
// A valid PNG padded with an ancillary tEXt chunk to at least `pad_to` bytes.
Bytes padded_png(const Bytes& png, std::size_t pad_to);

}  // namespace gosdoki::testkit
