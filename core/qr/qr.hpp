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

// Grey image, black modules on white.
Result<image::Image> render(std::string_view payload, const RenderOptions& options = {});

struct DecodeOptions {
  bool try_harder = true;   // slower, finds small / tilted / noisy codes
  bool try_rotate = true;
};

// Returns the exact bytes the code carries (ZXing's byte content, not a re-encoded text).
// Errors: qr.not_found (no QR code in the image), qr.several (more than one QR code: the
// operator must show one), qr.unreadable (a code was located but could not be decoded).
Result<std::string> decode(const image::Image& img, const DecodeOptions& options = {});

}  // namespace gosdoki::qr
