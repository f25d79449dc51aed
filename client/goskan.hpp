#pragma once
// Госкан, the checker's side: the scanner in the checker's own Gosuslugi app reads the QR with
// a real decoder and asks the emulated МПГУ app API; the phone then shows the trusted photo and
// what the chosen purpose allows. No ИС and no СМЭВ take part.
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/util/bytes.hpp"

namespace gosdoki::client {

struct GoskanResult {
  std::string result_code;  // OK or why not
  std::string json;         // the app API's answer as it came (the prefill-like view flattens it)
  std::optional<Bytes> trusted_photo;
};

// `scan_url`: the emulator's /mpgu/v1/goskan/scan (GET /admin/info "mpgu.goskanScan").
// Errors: goskan.http (no answer or an HTTP error, with the problem's detail), goskan.answer.
Result<GoskanResult> goskan_scan(const std::string& scan_url, const std::string& checker_oid, const Bytes& qr_text,
                                 const std::string& purpose);

// The phone's screen as text lines: the headline, the data, the statuses, and where the photo is.
std::string render_goskan_screen(const GoskanResult& r);

}  // namespace gosdoki::client
