// `gosdoki-sandbox smev3 verify FILE`: the signature explainer on the command line.
#include <iostream>

#include "app/commands.hpp"
#include "core/time/datetime.hpp"
#include "core/util/bytes.hpp"
#include "core/xml/xml.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/explain.hpp"

namespace gosdoki::app {

int smev3_verify(const Smev3VerifyOptions& o) {
  auto text = read_file(o.file, 64u << 20);
  if (!text) {
    std::cerr << "gosdoki-sandbox smev3 verify: " << text.error().message << "\n";
    return kUsage;
  }
  std::string ct = o.content_type.value_or("text/xml");
  if (!o.content_type && text->rfind("--", 0) == 0) {
    // A saved MTOM body: the boundary is its first line.
    auto eol = text->find_first_of("\r\n");
    ct = "multipart/related; type=\"application/xop+xml\"; boundary=\"" + text->substr(2, eol - 2) + "\"";
  }
  auto env = smev3::parse_message(ct, *text);
  xml::DocPtr doc;
  if (env) {
    doc = std::move(env->doc);
  } else {
    auto plain = xml::parse(*text);  // not an envelope: explain the signatures of any document
    if (!plain) {
      std::cerr << "gosdoki-sandbox smev3 verify: " << o.file.string() << ": " << env.error().message << "\n";
      return kUsage;
    }
    doc = std::move(*plain);
  }
  auto reports = xmldsig::explain_signatures(doc.get());
  if (reports.empty()) {
    std::cout << o.file.string() << ": no ds:Signature in the document\n";
    return kFailed;
  }
  std::optional<std::string> theirs;
  if (o.expect_octets) {
    auto t = read_file(*o.expect_octets);
    if (!t) {
      std::cerr << "gosdoki-sandbox smev3 verify: --expect-octets " << t.error().message << "\n";
      return kUsage;
    }
    theirs = *t;
  }
  bool all_ok = true;
  int i = 0;
  for (const auto& r : reports) {
    ++i;
    all_ok = all_ok && r.verdict == "OK";
    std::cout << "signature " << i << "  " << r.location << "\n"
              << "  reference   " << r.reference_uri << (r.referenced_path.empty() ? "" : " → " + r.referenced_path) << "\n"
              << "  algorithms  " << r.algorithms << "\n"
              << "  digest      " << (r.digest_ok ? "OK  " : "FAIL") << " signed " << r.digest_claimed
              << (r.digest_ok ? "" : ", computed " + r.digest_computed) << "\n"
              << "  signature   " << (r.signature_ok ? "OK" : "FAIL") << "\n";
    if (r.certificate) {
      std::cout << "  certificate " << r.certificate->subject_text() << "\n"
                << "              issuer " << r.certificate->issuer_text() << ", serial " << r.certificate->serial_hex()
                << "\n              valid " << format_datetime(r.certificate->not_before()) << " … "
                << format_datetime(r.certificate->not_after()) << "\n";
    }
    if (r.whitespace_in_signed_info) std::cout << "  note        SignedInfo contains whitespace text nodes\n";
    std::cout << "  verdict     " << r.verdict << "\n";
    if (o.print_octets) {
      std::cout << "  transformed octets (" << r.transformed_octets.size() << " bytes):\n" << r.transformed_octets
                << "\n  canonical SignedInfo (" << r.signed_info_octets.size() << " bytes):\n"
                << r.signed_info_octets << "\n";
    }
    if (theirs) std::cout << "  vs --expect-octets: " << xmldsig::first_difference(r.transformed_octets, *theirs) << "\n";
    if (o.dump) {
      std::string base = (*o.dump / ("signature-" + std::to_string(i))).string();
      auto sig = base64_decode(r.signature_value_b64);
      bool ok = write_file(base + ".octets", r.transformed_octets).ok() &&
                write_file(base + ".signedinfo", r.signed_info_octets).ok() &&
                (!sig || write_file(base + ".sig", as_view(*sig)).ok()) &&
                (!r.certificate || (write_file(base + ".cert.pem", r.certificate->pem()).ok() &&
                                    write_file(base + ".pubkey.pem", r.certificate->public_key_pem()).ok()));
      if (!ok) {
        std::cerr << "gosdoki-sandbox smev3 verify: cannot write to " << o.dump->string() << "\n";
        return kUsage;
      }
      std::cout << "  dumped      " << base << ".{octets,signedinfo,sig,cert.pem,pubkey.pem}\n"
                << "  check with  openssl dgst -engine gost -md_gost12_256 -verify " << base << ".pubkey.pem -signature "
                << base << ".sig " << base << ".signedinfo\n";
    }
  }
  return all_ok ? kOk : kFailed;
}

}  // namespace gosdoki::app
