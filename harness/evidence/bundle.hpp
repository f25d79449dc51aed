#pragma once
// The certifier's evidence bundle: a folder with every message of a run, its journals, the
// scenario files, the run configuration and versions, and MANIFEST.json listing every file with
// its size, SHA-256 and Streebog-256 (ГОСТ Р 34.11-2012), signed detached (CMS, ГОСТ Р
// 34.10-2012) with the sandbox's key: MANIFEST.json.p7s. `evidence verify` checks it offline.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/crypto.hpp"
#include "core/result.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "harness/report/report.hpp"
#include "harness/runner/runner.hpp"

namespace gosdoki::harness {

struct BundleInput {
  const RunManifest& manifest;
  const std::vector<ScenarioOutcome>& outcomes;
  const RunSummary& summary;
  const std::vector<ScenarioFile>& sources;  // the scenario files as run
  std::string plan;                          // "" or "conformance"
  bool final = true;                         // false: the plan failed, this is not a certificate
  const KeyPair& signer;
  const Redactor& redact;
};

// Writes the bundle into `dir`, which must not exist or be empty (nothing is mixed with old files).
Status write_bundle(const std::filesystem::path& dir, const BundleInput& in);

struct BundleCheck {
  bool signature_valid = false;
  bool final = false;
  std::string plan;
  std::string signer;  // the signer certificate's subject
  std::size_t files = 0;
  std::vector<std::string> problems;  // each names the file
  bool ok() const { return signature_valid && problems.empty(); }
};

// Checks the signature over MANIFEST.json (the signer must be issued by `trusted_ca` and valid at
// the signing time it states), then every listed file's size and both hashes, and that no file is
// there that the manifest does not list. An error only when the bundle cannot be read at all.
Result<BundleCheck> verify_bundle(const std::filesystem::path& dir, const crypto::Certificate& trusted_ca);

}  // namespace gosdoki::harness
