#include "core/image/image.hpp"

#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

namespace gosdoki::image {
namespace {

constexpr std::array<std::uint8_t, 8> kPngMagic = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool valid_layout(const Image& img) {
  if (img.width <= 0 || img.height <= 0) return false;
  if (img.channels != 1 && img.channels != 3) return false;
  return img.pixels.size() == static_cast<std::size_t>(img.width) * img.height * img.channels;
}

Error invalid_image(const char* where, const Image& img) {
  return make_error("image.invalid", std::string(where) + ": image " + std::to_string(img.width) + "x" +
                                         std::to_string(img.height) + "x" + std::to_string(img.channels) +
                                         " with " + std::to_string(img.pixels.size()) +
                                         " bytes is empty or inconsistent (channels must be 1 or 3)");
}

Status check_limits(Format f, int width, int height, const DecodeLimits& limits) {
  const std::uint64_t pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
  if (width > limits.max_width || height > limits.max_height || pixels > limits.max_pixels) {
    return make_error("image.too_large", std::string(format_name(f)) + " header declares " + std::to_string(width) +
                                             "x" + std::to_string(height) + " pixels; the limit is " +
                                             std::to_string(limits.max_width) + "x" +
                                             std::to_string(limits.max_height) + " and " +
                                             std::to_string(limits.max_pixels) + " pixels");
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// PNG: our own chunk walk for the header facts (IHDR, acTL before IDAT), libpng for the pixels.

std::uint32_t crc32(const std::uint8_t* data, std::size_t n, std::uint32_t crc = 0xFFFFFFFFu) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
  return crc;
}

struct PngHeader {
  int width = 0;
  int height = 0;
  bool animated = false;  // acTL seen before the first IDAT (only filled by a full walk)
};

Error png_corrupt(const std::string& what) { return make_error("image.corrupt", "PNG: " + what); }

// Walks chunks from the signature. With `to_idat` false it stops after IHDR.
Result<PngHeader> read_png_header(std::span<const std::uint8_t> b, bool to_idat) {
  if (b.size() < 8 + 8 + 13 + 4) return png_corrupt("file is truncated inside the IHDR chunk (" +
                                                    std::to_string(b.size()) + " bytes)");
  const std::uint8_t* ihdr = b.data() + 8;
  if (be32(ihdr) != 13 || std::memcmp(ihdr + 4, "IHDR", 4) != 0) {
    return png_corrupt("the first chunk is not a 13-byte IHDR");
  }
  if ((crc32(ihdr + 4, 17) ^ 0xFFFFFFFFu) != be32(ihdr + 21)) return png_corrupt("IHDR CRC mismatch");
  const std::uint32_t w = be32(ihdr + 8), h = be32(ihdr + 12);
  if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu) {
    return png_corrupt("IHDR declares invalid dimensions " + std::to_string(w) + "x" + std::to_string(h));
  }
  const int depth = ihdr[16], ctype = ihdr[17];
  bool depth_ok = false;
  switch (ctype) {
    case 0: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16; break;
    case 3: depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
    case 2: case 4: case 6: depth_ok = depth == 8 || depth == 16; break;
    default: break;
  }
  if (!depth_ok || ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] > 1) {
    return png_corrupt("IHDR has an invalid combination: colour type " + std::to_string(ctype) + ", bit depth " +
                       std::to_string(depth));
  }
  PngHeader out;
  out.width = static_cast<int>(w);
  out.height = static_cast<int>(h);
  if (!to_idat) return out;
  std::size_t pos = 8 + 25;
  while (true) {
    if (b.size() - pos < 12) return png_corrupt("file is truncated before the first IDAT chunk");
    const std::uint32_t len = be32(b.data() + pos);
    const std::uint8_t* type = b.data() + pos + 4;
    if (len > 0x7FFFFFFFu || len > b.size() - pos - 12) {
      return png_corrupt("chunk '" + std::string(reinterpret_cast<const char*>(type), 4) + "' at offset " +
                         std::to_string(pos) + " declares " + std::to_string(len) + " bytes, past the end of the file");
    }
    if (std::memcmp(type, "IDAT", 4) == 0) return out;
    if (std::memcmp(type, "acTL", 4) == 0) {
      out.animated = true;
      return out;
    }
    if (std::memcmp(type, "IEND", 4) == 0) return png_corrupt("IEND before any IDAT chunk");
    pos += 12 + len;
  }
}

Result<Image> decode_png(std::span<const std::uint8_t> b, int channels, const DecodeLimits& limits) {
  auto hdr = read_png_header(b, true);
  if (!hdr) return hdr.error();
  if (hdr->animated) {
    return make_error("image.unsupported", "PNG: animated PNG (acTL chunk before IDAT) is not accepted; "
                                           "send a single still image");
  }
  if (auto st = check_limits(Format::png, hdr->width, hdr->height, limits); !st) return st.error();

  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, b.data(), b.size())) {
    std::string msg = png.message;
    png_image_free(&png);
    return png_corrupt("cannot read header: " + msg);
  }
  const bool source_colour = (png.format & PNG_FORMAT_FLAG_COLOR) != 0;
  // Colour sources are read as RGB and converted with our own to_grey, so PNG and JPEG give the
  // same grey; libpng's own conversion works in linear light and would differ.
  const int read_channels = source_colour ? 3 : 1;
  png.format = read_channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  Image img = make(static_cast<int>(png.width), static_cast<int>(png.height), read_channels);
  png_color white{255, 255, 255};  // transparent areas become white (a QR on a transparent canvas)
  if (!png_image_finish_read(&png, &white, img.pixels.data(), 0, nullptr) ||
      (png.warning_or_error & PNG_IMAGE_ERROR) != 0) {
    std::string msg = png.message;
    png_image_free(&png);
    return png_corrupt("broken or truncated image data: " + msg);
  }
  png_image_free(&png);
  if (channels == 1 && read_channels == 3) return to_grey(img);
  if (channels == 3 && read_channels == 1) {
    Image rgb = make(img.width, img.height, 3);
    for (std::size_t i = 0; i < img.pixels.size(); ++i) {
      rgb.pixels[3 * i] = rgb.pixels[3 * i + 1] = rgb.pixels[3 * i + 2] = img.pixels[i];
    }
    return rgb;
  }
  return img;
}

// ---------------------------------------------------------------------------------------------
// JPEG: EXIF orientation from APP1 (our own bounds-checked TIFF reader), TurboJPEG for pixels.

// Returns the orientation (1..8) or 1 when absent or unreadable: a broken EXIF block must not
// make an otherwise good photo undecodable.
int exif_orientation(std::span<const std::uint8_t> b) {
  std::size_t pos = 2;  // after SOI
  while (pos + 4 <= b.size()) {
    if (b[pos] != 0xFF) return 1;
    const std::uint8_t marker = b[pos + 1];
    if (marker == 0xFF) { ++pos; continue; }  // fill byte
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { pos += 2; continue; }
    if (marker == 0xDA || marker == 0xD9) return 1;  // start of scan / end: no more metadata
    const std::size_t seg_len = (std::size_t{b[pos + 2]} << 8) | b[pos + 3];
    if (seg_len < 2 || seg_len > b.size() - pos - 2) return 1;
    const std::uint8_t* seg = b.data() + pos + 4;
    const std::size_t n = seg_len - 2;
    if (marker == 0xE1 && n >= 6 && std::memcmp(seg, "Exif\0\0", 6) == 0) {
      const std::uint8_t* t = seg + 6;
      const std::size_t tn = n - 6;
      if (tn < 8) return 1;
      bool le;
      if (t[0] == 'I' && t[1] == 'I') le = true;
      else if (t[0] == 'M' && t[1] == 'M') le = false;
      else return 1;
      auto u16 = [&](std::size_t off) -> std::uint32_t {
        return le ? (std::uint32_t{t[off]} | (std::uint32_t{t[off + 1]} << 8))
                  : ((std::uint32_t{t[off]} << 8) | t[off + 1]);
      };
      auto u32 = [&](std::size_t off) -> std::uint32_t {
        return le ? (u16(off) | (u16(off + 2) << 16)) : ((u16(off) << 16) | u16(off + 2));
      };
      if (u16(2) != 42) return 1;
      const std::uint32_t ifd = u32(4);
      if (ifd < 8 || ifd > tn - 2) return 1;
      const std::uint32_t count = u16(ifd);
      for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t e = std::size_t{ifd} + 2 + std::size_t{i} * 12;
        if (e + 12 > tn) return 1;
        if (u16(e) != 0x0112) continue;
        // type SHORT (3), count 1: the value sits in the first two bytes of the value field.
        if (u16(e + 2) != 3 || u32(e + 4) != 1) return 1;
        const std::uint32_t v = u16(e + 8);
        return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
      }
      return 1;
    }
    pos += 2 + seg_len;
  }
  return 1;
}

bool swaps_axes(int orientation) { return orientation >= 5; }

// Maps stored pixels to the upright picture (EXIF 0x0112 semantics).
Image apply_orientation(Image src, int orientation) {
  if (orientation <= 1 || orientation > 8) return src;
  const int W = src.width, H = src.height, C = src.channels;
  const bool swap = swaps_axes(orientation);
  Image out = make(swap ? H : W, swap ? W : H, C);
  for (int y = 0; y < out.height; ++y) {
    std::uint8_t* o = out.row(y);
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      switch (orientation) {
        case 2: sx = W - 1 - x; break;
        case 3: sx = W - 1 - x; sy = H - 1 - y; break;
        case 4: sy = H - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = H - 1 - x; break;
        case 7: sx = W - 1 - y; sy = H - 1 - x; break;
        case 8: sx = W - 1 - y; sy = x; break;
        default: break;
      }
      const std::uint8_t* s = src.row(sy) + static_cast<std::size_t>(sx) * C;
      for (int c = 0; c < C; ++c) o[x * C + c] = s[c];
    }
  }
  return out;
}

struct TjHandle {
  tjhandle h;
  explicit TjHandle(tjhandle handle) : h(handle) {}
  ~TjHandle() { if (h) tjDestroy(h); }
  TjHandle(const TjHandle&) = delete;
  TjHandle& operator=(const TjHandle&) = delete;
};

struct JpegHeader {
  int width = 0, height = 0, colorspace = 0;
};

Result<JpegHeader> read_jpeg_header(tjhandle h, std::span<const std::uint8_t> b) {
  JpegHeader hdr;
  int subsamp = 0;
  if (tjDecompressHeader3(h, b.data(), static_cast<unsigned long>(b.size()), &hdr.width, &hdr.height, &subsamp,
                          &hdr.colorspace) != 0) {
    return make_error("image.corrupt", std::string("JPEG: cannot read header: ") + tjGetErrorStr2(h));
  }
  if (hdr.width <= 0 || hdr.height <= 0) return make_error("image.corrupt", "JPEG: header declares zero size");
  return hdr;
}

Result<ImageInfo> probe_jpeg(std::span<const std::uint8_t> b, const DecodeLimits& limits) {
  TjHandle h(tjInitDecompress());
  if (!h.h) return make_error("image.internal", "TurboJPEG: cannot create a decompressor");
  auto hdr = read_jpeg_header(h.h, b);
  if (!hdr) return hdr.error();
  ImageInfo info{Format::jpeg, hdr->width, hdr->height};
  if (swaps_axes(exif_orientation(b))) std::swap(info.width, info.height);
  if (auto st = check_limits(Format::jpeg, info.width, info.height, limits); !st) return st.error();
  return info;
}

Result<Image> decode_jpeg(std::span<const std::uint8_t> b, int channels, const DecodeLimits& limits) {
  TjHandle h(tjInitDecompress());
  if (!h.h) return make_error("image.internal", "TurboJPEG: cannot create a decompressor");
  auto hdr = read_jpeg_header(h.h, b);
  if (!hdr) return hdr.error();
  const int orientation = exif_orientation(b);
  const bool swap = swaps_axes(orientation);
  if (auto st = check_limits(Format::jpeg, swap ? hdr->height : hdr->width, swap ? hdr->width : hdr->height, limits);
      !st) {
    return st.error();
  }
  if (hdr->colorspace == TJCS_CMYK || hdr->colorspace == TJCS_YCCK) {
    return make_error("image.unsupported", "JPEG: CMYK/YCCK JPEG is not accepted; send an RGB or greyscale JPEG");
  }
  Image img = make(hdr->width, hdr->height, channels);
  // Warnings (such as "premature end of data segment" for a truncated file) make tjDecompress2
  // return -1 too: for untrusted input a half-grey picture is not a photo, so both are errors.
  if (tjDecompress2(h.h, b.data(), static_cast<unsigned long>(b.size()), img.pixels.data(), hdr->width, 0,
                    hdr->height, channels == 1 ? TJPF_GRAY : TJPF_RGB, 0) != 0) {
    return make_error("image.corrupt", std::string("JPEG: broken or truncated image data: ") + tjGetErrorStr2(h.h));
  }
  return apply_orientation(std::move(img), orientation);
}

}  // namespace

Image make(int width, int height, int channels, std::uint8_t fill) {
  Image img;
  if (width <= 0 || height <= 0 || channels <= 0) return img;
  img.width = width;
  img.height = height;
  img.channels = channels;
  img.pixels.assign(static_cast<std::size_t>(width) * height * channels, fill);
  return img;
}

Format sniff(std::span<const std::uint8_t> bytes) {
  if (bytes.size() >= kPngMagic.size() && std::equal(kPngMagic.begin(), kPngMagic.end(), bytes.begin())) {
    return Format::png;
  }
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return Format::jpeg;
  return Format::unknown;
}

const char* format_name(Format f) {
  switch (f) {
    case Format::png: return "PNG";
    case Format::jpeg: return "JPEG";
    case Format::unknown: break;
  }
  return "unknown";
}

Result<ImageInfo> probe(std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  switch (sniff(bytes)) {
    case Format::png: {
      auto hdr = read_png_header(bytes, false);
      if (!hdr) return hdr.error();
      if (auto st = check_limits(Format::png, hdr->width, hdr->height, limits); !st) return st.error();
      return ImageInfo{Format::png, hdr->width, hdr->height};
    }
    case Format::jpeg: return probe_jpeg(bytes, limits);
    case Format::unknown: break;
  }
  return make_error("image.unknown_format", "the data (" + std::to_string(bytes.size()) +
                                                " bytes) is neither PNG nor JPEG by its magic bytes");
}

Result<Image> decode(std::span<const std::uint8_t> bytes, int channels, const DecodeLimits& limits) {
  if (channels != 1 && channels != 3) {
    return make_error("image.invalid", "decode: channels must be 1 or 3, got " + std::to_string(channels));
  }
  switch (sniff(bytes)) {
    case Format::png: return decode_png(bytes, channels, limits);
    case Format::jpeg: return decode_jpeg(bytes, channels, limits);
    case Format::unknown: break;
  }
  return make_error("image.unknown_format", "the data (" + std::to_string(bytes.size()) +
                                                " bytes) is neither PNG nor JPEG by its magic bytes");
}

Result<Bytes> encode_png(const Image& img) {
  if (!valid_layout(img)) return invalid_image("encode_png", img);
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(img.width);
  png.height = static_cast<png_uint_32>(img.height);
  png.format = img.channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, img.pixels.data(), 0, nullptr)) {
    std::string msg = png.message;
    png_image_free(&png);
    return make_error("image.encode", "PNG: " + msg);
  }
  Bytes out(size);
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, img.pixels.data(), 0, nullptr)) {
    std::string msg = png.message;
    png_image_free(&png);
    return make_error("image.encode", "PNG: " + msg);
  }
  png_image_free(&png);
  out.resize(size);
  return out;
}

Result<Bytes> encode_jpeg(const Image& img, int quality) {
  if (!valid_layout(img)) return invalid_image("encode_jpeg", img);
  TjHandle h(tjInitCompress());
  if (!h.h) return make_error("image.internal", "TurboJPEG: cannot create a compressor");
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  const int q = std::clamp(quality, 1, 100);
  if (tjCompress2(h.h, img.pixels.data(), img.width, 0, img.height, img.channels == 3 ? TJPF_RGB : TJPF_GRAY, &buf,
                  &size, img.channels == 3 ? TJSAMP_420 : TJSAMP_GRAY, q, TJFLAG_ACCURATEDCT) != 0) {
    std::string msg = tjGetErrorStr2(h.h);
    tjFree(buf);
    return make_error("image.encode", "JPEG: " + msg);
  }
  Bytes out(buf, buf + size);
  tjFree(buf);
  return out;
}

Image to_grey(const Image& img) {
  if (!valid_layout(img)) return {};
  if (img.channels == 1) return img;
  Image out = make(img.width, img.height, 1);
  const std::uint8_t* s = img.pixels.data();
  for (std::size_t i = 0; i < out.pixels.size(); ++i, s += 3) {
    // Rec.601 luma in 8.8 fixed point: 77 + 150 + 29 = 256.
    out.pixels[i] = static_cast<std::uint8_t>((77u * s[0] + 150u * s[1] + 29u * s[2] + 128u) >> 8);
  }
  return out;
}

Image resize(const Image& img, int width, int height) {
  if (!valid_layout(img) || width <= 0 || height <= 0) return {};
  const int C = img.channels;
  Image out = make(width, height, C);
  // Pixel centres map onto pixel centres; samples outside the source clamp to the border.
  const double fx = static_cast<double>(img.width) / width, fy = static_cast<double>(img.height) / height;
  std::vector<int> x0(width), x1(width);
  std::vector<double> wx(width);
  for (int x = 0; x < width; ++x) {
    const double sx = std::clamp((x + 0.5) * fx - 0.5, 0.0, img.width - 1.0);
    x0[x] = static_cast<int>(sx);
    x1[x] = std::min(x0[x] + 1, img.width - 1);
    wx[x] = sx - x0[x];
  }
  for (int y = 0; y < height; ++y) {
    const double sy = std::clamp((y + 0.5) * fy - 0.5, 0.0, img.height - 1.0);
    const int y0 = static_cast<int>(sy), y1 = std::min(y0 + 1, img.height - 1);
    const double wy = sy - y0;
    const std::uint8_t* r0 = img.row(y0);
    const std::uint8_t* r1 = img.row(y1);
    std::uint8_t* o = out.row(y);
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < C; ++c) {
        const double top = r0[x0[x] * C + c] * (1 - wx[x]) + r0[x1[x] * C + c] * wx[x];
        const double bot = r1[x0[x] * C + c] * (1 - wx[x]) + r1[x1[x] * C + c] * wx[x];
        o[x * C + c] = static_cast<std::uint8_t>(std::lround(std::clamp(top * (1 - wy) + bot * wy, 0.0, 255.0)));
      }
    }
  }
  return out;
}

}  // namespace gosdoki::image
