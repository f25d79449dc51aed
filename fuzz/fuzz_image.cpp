// Images from untrusted bytes, on the two paths that take them: the ИС's scanner (sniff, decode
// to grey, ZXing QR decode: client::scan_qr_bytes) and ЕПГУ's face photo check (probe, decode to
// RGB with the production limits).
#include "client/scan.hpp"
#include "core/image/image.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace gosdoki;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  auto info = image::probe(bytes);
  auto rgb = image::decode(bytes, 3);
  if (rgb && (rgb->channels != 3 || rgb->pixels.size() != static_cast<std::size_t>(rgb->width) * rgb->height * 3)) {
    std::abort();  // decode promised a consistent image
  }
  if (rgb && info && (info->width != rgb->width || info->height != rgb->height)) std::abort();
  // ZXing's search costs time in proportion to the pixels; a big valid image is not a finding.
  if (info && static_cast<long long>(info->width) * info->height <= 1'000'000) {
    (void)client::scan_qr_bytes(Bytes(bytes.begin(), bytes.end()), "fuzz");
  }
  return 0;
}
