// Costs of the pieces of one check: signing and verifying (ГОСТ), the SMEV transform and C14N,
// parsing, QR decoding, face matching, ЕСИА's JWTs, and a whole check over loopback on each channel.
#include <benchmark/benchmark.h>

#include "client/checker.hpp"
#include "client/esia_client.hpp"
#include "client/smev4_channel.hpp"
#include "client/scan.hpp"
#include "core/crypto/crypto.hpp"
#include "core/face/face.hpp"
#include "core/image/image.hpp"
#include "core/qr/qr.hpp"
#include "core/time/datetime.hpp"
#include "core/xml/xml.hpp"
#include "emulator/emulator.hpp"
#include "emulator/epgu/provider.hpp"
#include "harness/fixtures/fixtures.hpp"
#include "protocol/esia/client_secret.hpp"
#include "protocol/esia/jwt.hpp"
#include "protocol/gosqr/contract.hpp"
#include "protocol/smev3/envelope.hpp"
#include "protocol/xmldsig/signature.hpp"
#include "protocol/xmldsig/smev_transform.hpp"

using namespace gosdoki;

namespace {

struct Env {
  std::unique_ptr<harness::FileSource> src = harness::directory_source(std::string(GOSDOKI_SOURCE_DIR) + "/fixtures");
  harness::Fixtures fx;
  Bytes face;
  std::string envelope;  // a signed SendRequest with a real face photo
  Env() {
    xml::init();
    (void)crypto::init();
    fx = *harness::load_fixtures(*src);
    face = *harness::load_face(*src, fx, "petrov-p", "office-light");
    gosqr::CheckRequest r;
    r.timestamp = "2026-01-15T10:00:00.000+03:00";
    r.qr_code = Bytes(72, 'A');
    r.face_image = face;
    r.face_image_captured_at = r.timestamp;
    r.purpose = "HOTEL";
    r.organization = {"1057757289732", "7769714997", std::nullopt, "ООО «Гостиница «Север»»"};
    r.point_of_service = {"p", "t", std::nullopt};
    smev3::SenderProvidedRequestData d;
    d.message_id = "ceeb1800-f1df-11f0-8a99-9f735757bbf8";
    d.business_xml = gosqr::to_xml(r);
    const auto& kp = *fx.organisation("hotel-sever")->identity;
    envelope = *smev3::sign_envelope(smev3::build_send_request(smev3::Version::v1_3, d), kp.key, kp.certificate);
  }
};

Env& env() {
  static Env e;
  return e;
}

void BM_Gost_Sign(benchmark::State& st) {
  const auto& kp = *env().fx.organisation("hotel-sever")->identity;
  std::string data(600, 'x');
  for (auto _ : st) benchmark::DoNotOptimize(crypto::sign(kp.key, as_bytes(data)));
}
BENCHMARK(BM_Gost_Sign);

void BM_Gost_Verify(benchmark::State& st) {
  const auto& kp = *env().fx.organisation("hotel-sever")->identity;
  std::string data(600, 'x');
  auto sig = *crypto::sign(kp.key, as_bytes(data));
  for (auto _ : st) benchmark::DoNotOptimize(crypto::verify(kp.certificate, as_bytes(data), sig));
}
BENCHMARK(BM_Gost_Verify);

// Sign and verify per key kind the XMLDSig profiles use: 0 ГОСТ 2012-256, 1 ГОСТ 2012-512,
// 2 RSA-2048 (xmlsec interop), 3 ECDSA P-256 (TLS, interop).
const crypto::KeyKind kKinds[] = {crypto::KeyKind::gost2012_256, crypto::KeyKind::gost2012_512, crypto::KeyKind::rsa,
                                  crypto::KeyKind::ec_p256};

struct ProfileKey {
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

ProfileKey profile_key(std::int64_t which) {
  (void)crypto::init();
  auto key = *crypto::PrivateKey::generate(kKinds[which]);
  crypto::CertificateSpec spec{{{"CN", "bench"}}, TimePoint{}, TimePoint{} + std::chrono::hours(24 * 365 * 100), false, 5, ""};
  return {key, *crypto::issue_certificate(spec, key, nullptr, key)};
}

void BM_Sign(benchmark::State& st) {
  auto k = profile_key(st.range(0));
  std::string data(600, 'x');
  for (auto _ : st) benchmark::DoNotOptimize(crypto::sign(k.key, as_bytes(data)));
  st.SetLabel(crypto::key_kind_name(kKinds[st.range(0)]));
}
BENCHMARK(BM_Sign)->DenseRange(0, 3);

void BM_Verify(benchmark::State& st) {
  auto k = profile_key(st.range(0));
  std::string data(600, 'x');
  auto sig = *crypto::sign(k.key, as_bytes(data));
  for (auto _ : st) benchmark::DoNotOptimize(crypto::verify(k.cert, as_bytes(data), sig));
  st.SetLabel(crypto::key_kind_name(kKinds[st.range(0)]));
}
BENCHMARK(BM_Verify)->DenseRange(0, 3);

void BM_Streebog256_MB(benchmark::State& st) {
  std::string data(1 << 20, 'x');
  for (auto _ : st) benchmark::DoNotOptimize(crypto::digest(crypto::DigestAlg::streebog256, as_bytes(data)));
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * (1 << 20));
}
BENCHMARK(BM_Streebog256_MB);

void BM_ParseSendRequest(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(xml::parse(env().envelope));
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * env().envelope.size()));
}
BENCHMARK(BM_ParseSendRequest);

void BM_SmevTransform_SenderProvidedRequestData(benchmark::State& st) {
  auto doc = *xml::parse(env().envelope);
  xmlNode* el = xml::find_by_id(xmlDocGetRootElement(doc.get()), "SIGNED_BY_CONSUMER").front();
  for (auto _ : st) benchmark::DoNotOptimize(xmldsig::smev_transform(el));
}
BENCHMARK(BM_SmevTransform_SenderProvidedRequestData);

void BM_ExcC14n_SenderProvidedRequestData(benchmark::State& st) {
  auto doc = *xml::parse(env().envelope);
  xmlNode* el = xml::find_by_id(xmlDocGetRootElement(doc.get()), "SIGNED_BY_CONSUMER").front();
  for (auto _ : st) benchmark::DoNotOptimize(xml::exc_c14n(doc.get(), el));
}
BENCHMARK(BM_ExcC14n_SenderProvidedRequestData);

void BM_VerifySendRequest(benchmark::State& st) {
  auto doc = *xml::parse(env().envelope);
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* body = xml::first_element(xml::next_element(xml::first_element(root)));
  xmlNode* wrapper = xml::next_element(xml::first_element(body));
  for (auto _ : st) benchmark::DoNotOptimize(xmldsig::verify_signature(doc.get(), wrapper, "SIGNED_BY_CONSUMER"));
}
BENCHMARK(BM_VerifySendRequest);

void BM_QrDecode_600(benchmark::State& st) {
  auto img = *qr::render("GQR1.M.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  for (auto _ : st) benchmark::DoNotOptimize(qr::decode(img));
}
BENCHMARK(BM_QrDecode_600);

void BM_FaceCompare(benchmark::State& st) {
  auto matcher = face::make_descriptor_matcher();
  auto probe = *image::decode(env().face, 3);
  for (auto _ : st) benchmark::DoNotOptimize(matcher->compare(probe, *env().fx.world.citizens.front().reference_face));
}
BENCHMARK(BM_FaceCompare);

// The measured loop of the whole-check benchmarks: a fresh QR each time, scanned, checked as a
// hotel over `channel`.
void checks(benchmark::State& st, emulator::Emulator& emu, const harness::OrganisationFixture& org, client::Channel& channel) {
  for (auto _ : st) {
    auto issued = *emu.issue_qr("petrov-p");
    client::CheckInput in = harness::check_input(org, *client::scan_qr_bytes(issued.second, "qr"), env().face, "HOTEL");
    auto r = client::run_check(channel, in, emu.clock());
    if (r.code != "OK") st.SkipWithError(("check failed: " + r.code + " " + r.message).c_str());
  }
}

// A whole check: wallet QR → scan → SendRequest → built-in ЕПГУ (GetRequest/Ack/SendResponse)
// → GetResponse polling → Ack, all signed and verified, over loopback HTTP.
void BM_FullCheckOverLoopback(benchmark::State& st) {
  auto& e = env();
  emulator::EmulatorOptions eo;
  eo.clock_start = e.fx.scenario_clock;
  eo.clock_frozen = true;
  auto emu = *emulator::Emulator::start(e.fx.world, eo);
  const auto* org = e.fx.organisation("hotel-sever");
  client::ConsumerConfig cfg;
  cfg.smev3_url = emu->smev3_url();
  cfg.identity = client::Identity{org->org.mnemonic, org->identity->key, org->identity->certificate};
  cfg.smev_certificate = e.fx.world.smev.certificate;
  client::Smev3Consumer consumer(cfg, emu->clock(), 5);
  client::Smev3Channel channel(consumer);
  checks(st, *emu, *org, channel);
  emu->stop();
}
BENCHMARK(BM_FullCheckOverLoopback)->Unit(benchmark::kMillisecond)->UseRealTime();

// ЕСИА's JWT: sign and verify per algorithm (0 = RS256 with RSA-2048, 1 = GOST3410_2012_256).
const emulator::Identity& esia_key(std::int64_t which) { return which ? env().fx.world.esia : env().fx.world.esia_rsa; }

void BM_Jwt_Sign(benchmark::State& st) {
  const auto& id = esia_key(st.range(0));
  nlohmann::json claims{{"nbf", 1}, {"exp", 2}, {"client_id", "HTLSEV"}, {"scope", "gosqr_docs_digpassport"}};
  for (auto _ : st) benchmark::DoNotOptimize(esia::jwt_sign({{"ver", 1}, {"typ", "JWT"}, {"sbt", "access"}}, claims, id.key));
}
BENCHMARK(BM_Jwt_Sign)->Arg(0)->Arg(1);

void BM_Jwt_Verify(benchmark::State& st) {
  const auto& id = esia_key(st.range(0));
  auto token = *esia::jwt_sign({{"ver", 1}, {"typ", "JWT"}, {"sbt", "access"}}, {{"client_id", "HTLSEV"}}, id.key);
  for (auto _ : st) {
    auto jwt = esia::jwt_decode(token);
    benchmark::DoNotOptimize(esia::jwt_verify(*jwt, id.certificate));
  }
}
BENCHMARK(BM_Jwt_Verify)->Arg(0)->Arg(1);

// A whole check over СМЭВ 4: wallet QR → scan → the cached ЕСИА token → POST to the gateway →
// ЕПГУ's check → JSON answer, over loopback HTTP (the token request itself is amortised).
void BM_FullCheckOverSmev4(benchmark::State& st) {
  auto& e = env();
  emulator::EmulatorOptions eo;
  eo.clock_start = e.fx.scenario_clock;
  eo.clock_frozen = true;
  eo.run_epgu = false;
  auto emu = *emulator::Emulator::start(e.fx.world, eo);
  emu->provider().set_rate_limit("smev4", 0);
  const auto* org = e.fx.organisation("hotel-sever");
  client::EsiaClientConfig ec;
  ec.token_url = emu->esia_url() + esia::kTokenPath;
  ec.client_id = org->org.mnemonic;
  ec.key = org->identity->key;
  ec.certificate = org->identity->certificate;
  ec.org_oid = org->org.esia_oid;
  client::EsiaClient esia(ec, emu->clock(), 9);
  client::Smev4Channel channel({emu->smev4_url(), org->org.mnemonic, true}, esia, emu->clock(), 10);
  checks(st, *emu, *org, channel);
  emu->stop();
}
BENCHMARK(BM_FullCheckOverSmev4)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
