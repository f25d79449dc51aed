#pragma once
// The scanner of the ИС: the QR is read from an image by a real decoder, never passed as text.
#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::client {

// Decodes the QR code in a PNG/JPEG file. Errors name the file: not found, not an image,
// no QR code in it, more than one.
Result<Bytes> scan_qr_file(const std::filesystem::path& image_path);
Result<Bytes> scan_qr_bytes(const Bytes& image_bytes, const std::string& what);

// The largest photo that still fits a СМЭВ message (8 MiB) once Base64-encoded with the rest.
inline constexpr std::size_t kMaxFaceBytes = 6u << 20;

// Reads a face photo file and checks it is a JPEG or PNG image (ЕПГУ decides the rest).
Result<Bytes> read_face_file(const std::filesystem::path& image_path);

}  // namespace gosdoki::client
