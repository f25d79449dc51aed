#include "harness/evidence/bundle.hpp"

#include <libxml/xmlversion.h>
#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

#include "core/util/bytes.hpp"
#include "emulator/journal.hpp"

namespace gosdoki::harness {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifest = "MANIFEST.json";
constexpr const char* kSignature = "MANIFEST.json.p7s";
constexpr std::uintmax_t kMaxFile = 256u << 20;

// A file name from free text: letters, digits, '-', '_', '.'; the rest '_'.
std::string safe_name(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_';
  return out.empty() ? "_" : out;
}

std::string extension_for(const std::string& content_type, const std::string& body) {
  if (content_type.find("json") != std::string::npos) return ".json";
  if (content_type.find("multipart") != std::string::npos) return ".mime";
  if (!body.empty() && body[0] == '<') return ".xml";
  return ".txt";
}

struct Writer {
  fs::path root;
  std::vector<std::string> written;  // relative paths, in order
  Status put(const std::string& rel, std::string_view bytes) {
    fs::path p = root / rel;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return make_error("evidence.write", p.string() + ": cannot write");
    written.push_back(rel);
    return {};
  }
};

Result<std::string> hex_digest(crypto::DigestAlg alg, std::string_view bytes) {
  auto d = crypto::digest(alg, as_bytes(bytes));
  if (!d) return d.error();
  return hex_encode(*d);
}

Result<std::string> slurp(const fs::path& p) { return read_file(p, kMaxFile); }

json versions() {
  return json{{"tool", "gosdoki-sandbox 0.1.0"},
              {"openssl", OpenSSL_version(OPENSSL_VERSION)},
              {"libxml2", LIBXML_DOTTED_VERSION},
              {"gostEngine", crypto::gost_available()},
              {"compiler", __VERSION__}};
}

}  // namespace

Status write_bundle(const fs::path& dir, const BundleInput& in) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return make_error("evidence.exists", dir.string() + " is not empty: a bundle is written into a new or empty folder");
  }
  fs::create_directories(dir, ec);
  if (ec) return make_error("evidence.write", dir.string() + ": " + ec.message());
  Writer w{dir, {}};
  std::string readme =
      std::string("GosDoki Sandbox evidence bundle\n\n") + kContractNotice + "\n\n" +
      (in.final ? "FINAL: every scenario of the run passed.\n"
                : "NOT FINAL: " + std::to_string(in.summary.fail) + " scenario(s) failed; this bundle certifies nothing.\n") +
      "\nCheck it offline: gosdoki-sandbox evidence verify " + dir.filename().string() +
      "\n(MANIFEST.json lists every file with its SHA-256 and Streebog-256; MANIFEST.json.p7s is its detached CMS\n"
      "signature, ГОСТ Р 34.10-2012, by the sandbox's certificate from the test CA.)\n";
  if (auto s = w.put("README.txt", readme); !s) return s;
  if (auto s = w.put("run/manifest.json", manifest_json(in.manifest).dump(2) + "\n"); !s) return s;
  if (auto s = w.put("run/versions.json", versions().dump(2) + "\n"); !s) return s;
  if (auto s = w.put("run/junit.xml", junit_xml(in.manifest, in.outcomes, in.summary, in.redact)); !s) return s;
  auto report = json_report(in.manifest, in.outcomes, in.summary, in.redact);
  for (auto& sc : report["scenarios"]) {
    for (auto& r : sc["records"]) r.erase("exchanges");  // each message is a file of its own below
  }
  if (auto s = w.put("run/report.json", report.dump(1, ' ', false, json::error_handler_t::replace) + "\n"); !s) return s;
  for (const auto& src : in.sources) {
    if (auto s = w.put("scenarios-source/" + safe_name(src.name), src.text); !s) return s;
  }
  for (std::size_t i = 0; i < in.outcomes.size(); ++i) {
    const auto& o = in.outcomes[i];
    char num[24];
    std::snprintf(num, sizeof num, "%03zu", i + 1);
    std::string base = "scenarios/" + std::string(num) + "-" + safe_name(fs::path(o.file).stem().string()) + "/";
    json summary{{"file", o.file}, {"name", o.name}, {"verdict", o.verdict}, {"basis", o.basis}, {"clauses", o.clauses},
                 {"seed", o.seed}, {"failures", o.failures}};
    if (auto s = w.put(base + "verdict.json", summary.dump(2, ' ', false, json::error_handler_t::replace) + "\n"); !s) return s;
    for (const auto& r : o.records) {
      std::string at = base + safe_name(r.channel) + "/";
      std::string journal;
      for (const auto& e : r.journal) journal += emulator::journal_line(e) + "\n";
      if (auto s = w.put(at + "journal.jsonl", journal); !s) return s;
      if (!r.qr_png.empty()) {
        if (auto s = w.put(at + "qr.png", std::string_view(reinterpret_cast<const char*>(r.qr_png.data()), r.qr_png.size())); !s) {
          return s;
        }
      }
      for (std::size_t k = 0; k < r.screens.size(); ++k) {
        if (auto s = w.put(at + "screen-" + std::to_string(k + 1) + ".txt", in.redact.text(r.screens[k])); !s) return s;
      }
      for (std::size_t k = 0; k < r.exchanges.size(); ++k) {
        const auto& x = r.exchanges[k];
        char seq[24];
        std::snprintf(seq, sizeof seq, "%03zu", k + 1);
        std::string stem = at + "messages/" + seq + "-" + safe_name(x.channel + "-" + x.operation);
        if (auto s = w.put(stem + ".request" + extension_for(x.request_type, x.request), in.redact.text(x.request)); !s) return s;
        if (auto s = w.put(stem + ".answer-" + std::to_string(x.status) + extension_for(x.answer_type, x.answer),
                           in.redact.text(x.answer));
            !s) {
          return s;
        }
      }
    }
  }
  json files = json::array();
  for (const auto& rel : w.written) {
    auto bytes = slurp(dir / rel);
    if (!bytes) return bytes.error();
    auto sha = hex_digest(crypto::DigestAlg::sha256, *bytes);
    if (!sha) return sha.error();
    auto gost = hex_digest(crypto::DigestAlg::streebog256, *bytes);
    if (!gost) return make_error("evidence.gost", "Streebog-256 needs the GOST engine: " + gost.error().message);
    files.push_back({{"path", rel}, {"bytes", bytes->size()}, {"sha256", *sha}, {"streebog256", *gost}});
  }
  json manifest{{"format", "gosdoki-evidence/1"},
                {"notice", kContractNotice},
                {"final", in.final},
                {"plan", in.plan},
                {"run", manifest_json(in.manifest)},
                {"summary",
                 {{"total", in.summary.total()}, {"pass", in.summary.pass}, {"fail", in.summary.fail},
                  {"warning", in.summary.warning}, {"review", in.summary.review}, {"skipped", in.summary.skipped}}},
                {"signer", in.signer.certificate.subject_text()},
                {"files", files}};
  std::string text = manifest.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  auto sig = crypto::cms_sign_detached(in.signer.key, in.signer.certificate, as_bytes(text));
  if (!sig) return sig.error();
  if (auto s = w.put(kManifest, text); !s) return s;
  return w.put(kSignature, std::string_view(reinterpret_cast<const char*>(sig->data()), sig->size()));
}

Result<BundleCheck> verify_bundle(const fs::path& dir, const crypto::Certificate& trusted_ca) {
  BundleCheck c;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error("evidence.unreadable", dir.string() + ": not a folder (an evidence bundle)");
  // A bundle holds regular files only: a link could point anywhere, and change after the check.
  auto regular = [&](const std::string& rel) {
    auto st = fs::symlink_status(dir / rel, ec);
    return !ec && st.type() == fs::file_type::regular;
  };
  for (const char* f : {kManifest, kSignature}) {
    if (!regular(f)) c.problems.push_back(std::string(f) + ": missing, or not a regular file");
  }
  if (!c.problems.empty()) return c;
  auto text = slurp(dir / kManifest);
  if (!text) return make_error("evidence.unreadable", text.error().message);
  auto sig = slurp(dir / kSignature);
  if (!sig) return make_error("evidence.unreadable", sig.error().message);
  auto verified = crypto::cms_verify_detached(as_bytes(*sig), as_bytes(*text));
  if (!verified) {
    c.problems.push_back(std::string(kSignature) + ": the signature over " + kManifest + " does not verify (" +
                         verified.error().message + ")");
  } else if (!verified->signer.issued_by(trusted_ca)) {
    c.problems.push_back(std::string(kSignature) + ": signed by " + verified->signer.subject_text() +
                         ", which the trusted CA did not issue");
  } else {
    c.signature_valid = true;
    c.signer = verified->signer.subject_text();
  }
  auto m = json::parse(*text, nullptr, false);
  if (!m.is_object() || !m.contains("files") || !m["files"].is_array()) {
    c.problems.push_back(std::string(kManifest) + ": not a bundle manifest (no 'files' list)");
    return c;
  }
  c.final = m.value("final", false);
  c.plan = m.value("plan", "");
  std::set<std::string> listed;
  for (const auto& f : m["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string()) {
      c.problems.push_back(std::string(kManifest) + ": an entry without a path");
      continue;
    }
    std::string rel = f["path"];
    if (rel.find("..") != std::string::npos || (!rel.empty() && rel[0] == '/')) {
      c.problems.push_back(rel + ": a path outside the bundle");
      continue;
    }
    listed.insert(rel);
    ++c.files;
    if (fs::is_symlink(dir / rel, ec)) {
      c.problems.push_back(rel + ": a symbolic link (a bundle holds regular files only)");
      continue;
    }
    if (!regular(rel)) {
      c.problems.push_back(rel + ": listed but missing or not a regular file");
      continue;
    }
    auto bytes = slurp(dir / rel);
    if (!bytes) {
      c.problems.push_back(rel + ": listed but missing or unreadable");
      continue;
    }
    if (f.value("bytes", std::uint64_t{0}) != bytes->size()) {
      c.problems.push_back(rel + ": " + std::to_string(bytes->size()) + " bytes, the manifest says " +
                           std::to_string(f.value("bytes", std::uint64_t{0})));
    }
    auto sha = hex_digest(crypto::DigestAlg::sha256, *bytes);
    if (!sha || *sha != f.value("sha256", "")) c.problems.push_back(rel + ": SHA-256 differs from the manifest");
    auto gost = hex_digest(crypto::DigestAlg::streebog256, *bytes);
    if (!gost || *gost != f.value("streebog256", "")) c.problems.push_back(rel + ": Streebog-256 differs from the manifest");
  }
  // Everything on disk, links not followed; names as they are in the bundle, not their targets.
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::none, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = it->path().lexically_relative(dir).generic_string();
    auto st = it->symlink_status(ec);
    if (ec) {
      c.problems.push_back(rel + ": cannot be read (" + ec.message() + ")");
      ec.clear();
      continue;
    }
    if (st.type() == fs::file_type::directory) {
      if (fs::is_empty(it->path(), ec)) c.problems.push_back(rel + ": an empty folder, not in the manifest (added after signing)");
      continue;
    }
    if (rel == kManifest || rel == kSignature || listed.count(rel)) continue;
    if (st.type() == fs::file_type::symlink) c.problems.push_back(rel + ": a symbolic link, not in the manifest (added after signing)");
    else c.problems.push_back(rel + ": not listed in the manifest (added after signing)");
  }
  if (ec) c.problems.push_back(dir.string() + ": cannot list the bundle (" + ec.message() + ")");
  return c;
}

}  // namespace gosdoki::harness
