#pragma once
// Raster images for QR codes and face photos: decode PNG/JPEG from untrusted bytes with
// explicit limits, encode PNG/JPEG, a few pixel operations.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::image {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;  // 1 = grey, 3 = RGB (interleaved, row-major, no padding)
  std::vector<std::uint8_t> pixels;
  bool empty() const { return width == 0 || height == 0; }
  std::uint8_t* row(int y) { return pixels.data() + static_cast<std::size_t>(y) * width * channels; }
  const std::uint8_t* row(int y) const { return pixels.data() + static_cast<std::size_t>(y) * width * channels; }
};

Image make(int width, int height, int channels, std::uint8_t fill = 0);

enum class Format { png, jpeg, unknown };
Format sniff(std::span<const std::uint8_t> bytes);  // by magic bytes, not by file name
const char* format_name(Format f);                  // "PNG", "JPEG", "unknown"

struct DecodeLimits {
  int max_width = 8192;
  int max_height = 8192;
  std::uint64_t max_pixels = 40'000'000;  // checked from the header, before any pixel is allocated
};

struct ImageInfo {
  Format format = Format::unknown;
  int width = 0;
  int height = 0;
};

// Reads only the header (for JPEG also the EXIF orientation, so width/height are the upright
// picture's). Errors: image.unknown_format, image.corrupt, image.too_large.
Result<ImageInfo> probe(std::span<const std::uint8_t> bytes, const DecodeLimits& limits = {});
// Decodes to 1 or 3 channels. Errors as probe, plus image.corrupt for truncated/broken data.
// Animated PNG (acTL chunk) and CMYK JPEG are refused with image.unsupported. TurboJPEG
// warnings (a truncated scan, stray bytes) count as image.corrupt. EXIF orientation of JPEG is
// applied (tags 1..8) so that phone photos come out upright. Transparent PNG pixels come out
// composited on white.
Result<Image> decode(std::span<const std::uint8_t> bytes, int channels, const DecodeLimits& limits = {});

// Errors: image.invalid (empty or inconsistent image), image.encode.
Result<Bytes> encode_png(const Image& img);
Result<Bytes> encode_jpeg(const Image& img, int quality = 90);  // quality clamped to 1..100, 4:2:0

Image to_grey(const Image& img);
// Bilinear resize.
Image resize(const Image& img, int width, int height);

}  // namespace gosdoki::image
