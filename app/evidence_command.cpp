// `gosdoki-sandbox evidence verify BUNDLE`: checks a certifier's bundle offline — the signature
// over its manifest (by a certificate of the trusted CA), every file's size and hashes, and that
// nothing was added. Exit 0: intact and final; 1: tampered (a missing manifest or signature
// too), or intact but not final; 64: not a folder.
#include <cstdio>

#include "app/common.hpp"
#include "harness/evidence/bundle.hpp"

namespace gosdoki::app {

int evidence_verify(const EvidenceVerifyOptions& o) {
  crypto::Certificate ca;
  if (o.ca) {
    auto pem = read_file(*o.ca, 1u << 20);
    if (!pem) {
      say_error("evidence verify", pem.error().message);
      return kUsage;
    }
    auto c = crypto::Certificate::from_pem(*pem);
    if (!c) {
      say_error("evidence verify", o.ca->string() + ": " + c.error().message);
      return kUsage;
    }
    ca = *c;
  } else {
    std::unique_ptr<harness::FileSource> src;
    auto fx = load_fixture_set(o.common, src);
    if (!fx) {
      say_error("evidence verify", fx.error().message);
      return kUsage;
    }
    ca = fx->world.ca;
  }
  auto check = harness::verify_bundle(o.bundle, ca);
  if (!check) {
    say_error("evidence verify", check.error().message);
    return kUsage;
  }
  for (const auto& p : check->problems) std::printf("TAMPERED  %s\n", p.c_str());
  if (!check->ok()) {
    std::printf("%s: NOT INTACT (%zu problem%s; %zu files listed)\n", o.bundle.string().c_str(), check->problems.size(),
                check->problems.size() == 1 ? "" : "s", check->files);
    return kFailed;
  }
  std::printf("%s: intact — %zu files, SHA-256 and Streebog-256 match, MANIFEST.json signed by %s\n",
              o.bundle.string().c_str(), check->files, check->signer.c_str());
  if (!check->final) {
    std::printf("%s: NOT FINAL — the run it records did not pass%s\n", o.bundle.string().c_str(),
                check->plan.empty() ? "" : (" the " + check->plan + " plan").c_str());
    return kFailed;
  }
  std::printf("%s: final%s\n", o.bundle.string().c_str(), check->plan.empty() ? "" : (" (" + check->plan + " plan)").c_str());
  return kOk;
}

}  // namespace gosdoki::app
