#include "tests/support/bad_images.hpp"

namespace gosdoki::testkit {

std::uint32_t crc32_bitwise(const std::uint8_t* p, std::size_t n) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

void put_be32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

void put_chunk(Bytes& out, const char* type, const Bytes& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  Bytes body(type, type + 4);
  body.insert(body.end(), data.begin(), data.end());
  out.insert(out.end(), body.begin(), body.end());
  put_be32(out, crc32_bitwise(body.data(), body.size()));
}

Bytes png_signature() { return {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}; }

Bytes ihdr(std::uint32_t w, std::uint32_t h) {
  Bytes d;
  put_be32(d, w);
  put_be32(d, h);
  d.insert(d.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, adaptive filter, no interlace
  return d;
}

namespace {

Bytes text_chunk(std::size_t bytes) {
  Bytes t{'C', 'o', 'm', 'm', 'e', 'n', 't', 0};
  t.resize(t.size() + bytes, 'x');
  return t;
}

}  // namespace

Bytes huge_png_header(std::uint32_t w, std::uint32_t h, std::size_t pad_to) {
  Bytes png = png_signature();
  put_chunk(png, "IHDR", ihdr(w, h));
  if (pad_to > png.size() + 64) put_chunk(png, "tEXt", text_chunk(pad_to - png.size() - 64));
  put_chunk(png, "IDAT", Bytes{0x78, 0x9C});
  return png;
}

Bytes animated_png(const Bytes& still) {
  Bytes actl;
  put_be32(actl, 2);  // num_frames
  put_be32(actl, 0);  // num_plays
  Bytes apng(still.begin(), still.begin() + 33);  // signature + IHDR
  put_chunk(apng, "acTL", actl);
  apng.insert(apng.end(), still.begin() + 33, still.end());
  return apng;
}

Bytes padded_png(const Bytes& png, std::size_t pad_to) {
  if (png.size() >= pad_to) return png;
  Bytes out(png.begin(), png.begin() + 33);
  put_chunk(out, "tEXt", text_chunk(pad_to - png.size()));
  out.insert(out.end(), png.begin() + 33, png.end());
  return out;
}

}  // namespace gosdoki::testkit
