// BT.601 YCbCr <-> RGB in 8.8 fixed point (the usual integer forms of the BT.601 matrix).
#include <algorithm>

#include "core/video/detail.hpp"

namespace gosdoki::video::detail {
namespace {

std::uint8_t clamp8(int v) { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }

int shift_x(Chroma c) { return c == Chroma::c444 ? 0 : 1; }
int shift_y(Chroma c) { return c == Chroma::c420 ? 1 : 0; }

}  // namespace

int YuvLayout::chroma_width() const {
  if (chroma == Chroma::mono) return 0;
  return (width + (1 << shift_x(chroma)) - 1) >> shift_x(chroma);
}
int YuvLayout::chroma_height() const {
  if (chroma == Chroma::mono) return 0;
  return (height + (1 << shift_y(chroma)) - 1) >> shift_y(chroma);
}
std::uint64_t YuvLayout::frame_bytes() const {
  return static_cast<std::uint64_t>(width) * height +
         2ull * static_cast<std::uint64_t>(chroma_width()) * static_cast<std::uint64_t>(chroma_height());
}

image::Image yuv_to_image(const std::uint8_t* planes, const YuvLayout& l, int channels) {
  image::Image out = image::make(l.width, l.height, channels);
  const std::uint8_t* yp = planes;
  if (channels == 1 || l.chroma == Chroma::mono) {
    for (int y = 0; y < l.height; ++y) {
      const std::uint8_t* s = yp + static_cast<std::size_t>(y) * l.width;
      std::uint8_t* o = out.row(y);
      for (int x = 0; x < l.width; ++x) {
        const int v = l.full_range ? s[x] : (298 * (s[x] - 16) + 128) >> 8;
        for (int c = 0; c < channels; ++c) o[x * channels + c] = clamp8(v);
      }
    }
    return out;
  }
  const int cw = l.chroma_width(), sx = shift_x(l.chroma), sy = shift_y(l.chroma);
  const std::uint8_t* cb = planes + static_cast<std::size_t>(l.width) * l.height;
  const std::uint8_t* cr = cb + static_cast<std::size_t>(cw) * l.chroma_height();
  for (int y = 0; y < l.height; ++y) {
    const std::uint8_t* ys = yp + static_cast<std::size_t>(y) * l.width;
    const std::uint8_t* bs = cb + static_cast<std::size_t>(y >> sy) * cw;
    const std::uint8_t* rs = cr + static_cast<std::size_t>(y >> sy) * cw;
    std::uint8_t* o = out.row(y);
    for (int x = 0; x < l.width; ++x) {
      const int d = bs[x >> sx] - 128, e = rs[x >> sx] - 128;
      int r, g, b;
      if (l.full_range) {
        const int c = ys[x];
        r = c + ((359 * e + 128) >> 8);
        g = c - ((88 * d + 183 * e + 128) >> 8);
        b = c + ((454 * d + 128) >> 8);
      } else {
        const int c = 298 * (ys[x] - 16);
        r = (c + 409 * e + 128) >> 8;
        g = (c - 100 * d - 208 * e + 128) >> 8;
        b = (c + 516 * d + 128) >> 8;
      }
      o[3 * x] = clamp8(r);
      o[3 * x + 1] = clamp8(g);
      o[3 * x + 2] = clamp8(b);
    }
  }
  return out;
}

void image_to_yuv(const image::Image& img, const YuvLayout& l, std::uint8_t* out) {
  const int W = l.width, H = l.height, C = img.channels;
  auto luma = [&](const std::uint8_t* p) {
    if (C == 1) return l.full_range ? int{p[0]} : ((219 * p[0] + 128) >> 8) + 16;
    const int v = l.full_range ? (77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8
                               : ((66 * p[0] + 129 * p[1] + 25 * p[2] + 128) >> 8) + 16;
    return v;
  };
  for (int y = 0; y < H; ++y) {
    const std::uint8_t* s = img.row(y);
    for (int x = 0; x < W; ++x) out[static_cast<std::size_t>(y) * W + x] = clamp8(luma(s + x * C));
  }
  if (l.chroma == Chroma::mono) return;
  const int cw = l.chroma_width(), ch = l.chroma_height(), sx = shift_x(l.chroma), sy = shift_y(l.chroma);
  std::uint8_t* cb = out + static_cast<std::size_t>(W) * H;
  std::uint8_t* cr = cb + static_cast<std::size_t>(cw) * ch;
  for (int cy = 0; cy < ch; ++cy) {
    for (int cx = 0; cx < cw; ++cx) {
      int sb = 0, sr = 0, n = 0;
      for (int y = cy << sy; y < std::min(H, (cy + 1) << sy); ++y) {
        for (int x = cx << sx; x < std::min(W, (cx + 1) << sx); ++x) {
          if (C == 3) {
            const std::uint8_t* p = img.row(y) + x * 3;
            if (l.full_range) {
              sb += (-43 * p[0] - 85 * p[1] + 128 * p[2] + 128) >> 8;
              sr += (128 * p[0] - 107 * p[1] - 21 * p[2] + 128) >> 8;
            } else {
              sb += (-38 * p[0] - 74 * p[1] + 112 * p[2] + 128) >> 8;
              sr += (112 * p[0] - 94 * p[1] - 18 * p[2] + 128) >> 8;
            }
          }
          ++n;
        }
      }
      cb[static_cast<std::size_t>(cy) * cw + cx] = clamp8(128 + (sb + n / 2) / n);
      cr[static_cast<std::size_t>(cy) * cw + cx] = clamp8(128 + (sr + n / 2) / n);
    }
  }
}

}  // namespace gosdoki::video::detail
