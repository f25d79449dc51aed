#include "harness/load/bound.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "core/time/datetime.hpp"
#include "core/xml/xml.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/smev3/parse.hpp"
#include "protocol/xmldsig/signature.hpp"

namespace gosdoki::harness {

namespace {

using Steady = std::chrono::steady_clock;

// µs of one call of `op`: the median of five rounds of about `slice` / 5 each (at least 4 calls
// a round), so that a burst of other work on a shared machine moves one round, not the figure.
template <class Op>
Result<double> time_us(std::chrono::nanoseconds slice, Op op) {
  std::vector<double> rounds;
  for (int r = 0; r < 5; ++r) {
    auto t0 = Steady::now();
    int n = 0;
    while (n < 4 || Steady::now() - t0 < slice / 5) {
      if (auto st = op(); !st) return st.error();
      ++n;
    }
    rounds.push_back(std::chrono::duration<double, std::micro>(Steady::now() - t0).count() / n);
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[2];
}

}  // namespace

Result<CryptoCosts> calibrate(const OrganisationFixture& org, std::chrono::milliseconds budget) {
  if (!org.identity) return make_error("load.bound", "the organisation has no key to measure with");
  const auto& key = org.identity->key;
  const auto& cert = org.identity->certificate;
  auto slice = std::chrono::duration_cast<std::chrono::nanoseconds>(budget) / 4;
  CryptoCosts c;
  // A SignedInfo of СМЭВ's shape is about 600 bytes after C14N.
  std::string signed_info(600, 'x');
  Bytes sig;
  auto s = time_us(slice, [&]() -> Status {
    auto r = crypto::sign(key, as_bytes(signed_info));
    if (!r) return r.error();
    sig = std::move(*r);
    return {};
  });
  if (!s) return s.error();
  c.sign_us = *s;
  auto v = time_us(slice, [&]() -> Status {
    auto r = crypto::verify(cert, as_bytes(signed_info), sig);
    if (!r) return r.error();
    if (!*r) return make_error("load.bound", "a fresh signature did not verify");
    return {};
  });
  if (!v) return v.error();
  c.verify_us = *v;
  std::string block(64 * 1024, 'A');
  auto alg = crypto::digest_for(key.kind());
  auto h = time_us(slice, [&]() -> Status {
    auto r = crypto::digest(alg, as_bytes(block));
    if (!r) return r.error();
    return {};
  });
  if (!h) return h.error();
  c.streebog_mb_per_s = static_cast<double>(block.size()) / *h;  // bytes per µs = MB/s
  smev3::MessageTypeSelector sel;
  sel.timestamp = format_datetime(system_now());
  auto env = smev3::sign_envelope(smev3::build_get_response(smev3::Version::v1_3, sel), key, cert);
  if (!env) return env.error();
  auto e = time_us(slice, [&]() -> Status {
    auto doc = smev3::parse_envelope(*env);
    if (!doc) return doc.error();
    auto call = smev3::read_selector_call(*doc);
    if (!call) return call.error();
    auto ok = xmldsig::verify_signature(doc->doc.get(), call->signature_wrapper, xml::attr(call->selector_node, "Id"));
    if (!ok) return ok.error();
    return {};
  });
  if (!e) return e.error();
  c.envelope_verify_us = *e;
  return c;
}

crypto::OperationCounts operator-(const crypto::OperationCounts& a, const crypto::OperationCounts& b) {
  return {a.signs - b.signs, a.verifies - b.verifies, a.certificate_checks - b.certificate_checks,
          a.gost_digests - b.gost_digests, a.gost_digest_bytes - b.gost_digest_bytes};
}

crypto::OperationCounts operator+(const crypto::OperationCounts& a, const crypto::OperationCounts& b) {
  return {a.signs + b.signs, a.verifies + b.verifies, a.certificate_checks + b.certificate_checks,
          a.gost_digests + b.gost_digests, a.gost_digest_bytes + b.gost_digest_bytes};
}

double crypto_us_per_operation(const crypto::OperationCounts& n, std::uint64_t done, const CryptoCosts& c) {
  if (done == 0) return 0;
  double total = static_cast<double>(n.signs) * c.sign_us +
                 static_cast<double>(n.verifies + n.certificate_checks) * c.verify_us +
                 (c.streebog_mb_per_s > 0 ? static_cast<double>(n.gost_digest_bytes) / c.streebog_mb_per_s : 0);
  return total / static_cast<double>(done);
}

double bound_per_second(double us_per_operation, unsigned cores) {
  if (us_per_operation <= 0) return 0;
  return 1e6 * static_cast<double>(cores ? cores : 1) / us_per_operation;
}

}  // namespace gosdoki::harness
