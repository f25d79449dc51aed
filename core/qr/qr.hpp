#pragma once
// QR encode (libqrencode, 8-bit mode, no ECI) and decode (ZXing-C++ 1.4).
#include <string>
#include <string_view>

#include "core/image/image.hpp"
#include "core/result.hpp"

namespace gosdoki::qr {

struct RenderOptions {
  int module_px = 8;      // pixels per module
  int quiet_modules = 4;  // quiet zone width in modules (the standard asks for 4)
  char ec_level = 'M';    // L, M, Q, H
};

// Grey image, black modules on white, the smallest QR version that holds the payload.
// Errors: qr.invalid_argument (empty payload, bad options), qr.too_long (does not fit).
Result<image::Image> render(std::string_view payload, const RenderOptions& options = {});

struct DecodeOptions {
  bool try_harder = true;   // slower, finds small / tilted / noisy codes
  bool try_rotate = true;
};

// Returns the exact bytes the code carries (ZXing's byte content, not a re-encoded text).
// Errors: qr.not_found (no QR code in the image), qr.several (more than one QR code: the
// operator must show one), qr.unreadable (a code was located but could not be decoded).
// ZXing 1.4 reports located-but-broken symbols only for flat, axis-aligned codes (screenshots,
// printed codes held square); a damaged code in a skewed camera frame may give qr.not_found.
Result<std::string> decode(const image::Image& img, const DecodeOptions& options = {});

}  // namespace gosdoki::qr
