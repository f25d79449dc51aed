#pragma once
// The physical limit a load run is compared with: what the cryptography of one operation costs
// on this machine, measured in the same run (calibrate), times how much of it one operation did
// (the crypto counters of the server and of the load tool itself, before and after the run).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/crypto/crypto.hpp"
#include "harness/fixtures/fixtures.hpp"

namespace gosdoki::harness {

// Measured costs of this machine's cryptography with the organisation's key (ГОСТ Р 34.10-2012).
struct CryptoCosts {
  double sign_us = 0;              // one signature over a SignedInfo-sized input
  double verify_us = 0;            // one verification of it
  double streebog_mb_per_s = 0;    // Streebog-256 over 64 KiB blocks
  double envelope_verify_us = 0;   // parse + C14N + SMEV transform + digest + verify of a signed GetResponse
};

// Runs each measurement for about `budget` / 4 (at least a few operations each).
Result<CryptoCosts> calibrate(const OrganisationFixture& org, std::chrono::milliseconds budget);

// The crypto counters' difference over a run.
crypto::OperationCounts operator-(const crypto::OperationCounts& a, const crypto::OperationCounts& b);
crypto::OperationCounts operator+(const crypto::OperationCounts& a, const crypto::OperationCounts& b);

// CPU time the cryptography of `done` operations needed per operation (µs): signatures,
// verifications (issuer checks of certificates cost one each) and the bytes hashed.
double crypto_us_per_operation(const crypto::OperationCounts& counted, std::uint64_t done, const CryptoCosts& c);

// Operations per second `cores` could do if they did nothing but that cryptography.
double bound_per_second(double us_per_operation, unsigned cores);

}  // namespace gosdoki::harness
