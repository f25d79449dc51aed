// The committed fixtures are what `fixtures generate` makes from the default seed: citizens,
// organisations, settings and every face image come out byte-identical (the PKI is kept).
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include "core/crypto/crypto.hpp"
#include "core/util/bytes.hpp"
#include "harness/fixtures/generate.hpp"
#include "protocol/ids/identifiers.hpp"
#include "tests/support/fixtures.hpp"

#include <nlohmann/json.hpp>

using namespace gosdoki;
namespace fs = std::filesystem;

TEST(FixturesGenerate, DefaultSeedReproducesTheCommittedSet) {
  const fs::path committed = testkit::source_dir() / "fixtures";
  const fs::path out = fs::temp_directory_path() / ("gosdoki-fixtures-" + std::to_string(::getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  fs::copy(committed / "pki", out / "pki");  // keys cannot be regenerated identically: keep them
  auto sum = harness::generate_fixtures(harness::GenerateOptions{out, 20260115, false});
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_FALSE(sum->pki_regenerated);
  EXPECT_GE(sum->persons, 5);
  EXPECT_GE(sum->organisations, 3);
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    auto rel = fs::relative(e.path(), out);
    if (rel.begin()->string() == "pki") continue;
    auto mine = read_file(e.path());
    auto theirs = read_file(committed / rel);
    ASSERT_TRUE(theirs) << rel << " is generated but not committed";
    EXPECT_TRUE(*mine == *theirs) << rel << " differs from the committed file: regenerate the fixtures";
    ++compared;
  }
  EXPECT_GE(compared, 3 + sum->faces);
  fs::remove_all(out);
}

TEST(FixturesGenerate, IdentifiersPassTheirCheckDigits) {
  auto persons = nlohmann::json::parse(*read_file(testkit::source_dir() / "fixtures/persons.json"));
  for (const auto& p : persons) EXPECT_TRUE(ids::valid_snils(p["snils"].get<std::string>())) << p["id"];
  auto orgs = nlohmann::json::parse(*read_file(testkit::source_dir() / "fixtures/organisations.json"));
  for (const auto& o : orgs) {
    EXPECT_TRUE(ids::valid_ogrn(o["ogrn"].get<std::string>())) << o["id"];
    EXPECT_TRUE(ids::valid_inn_legal(o["inn"].get<std::string>())) << o["id"];
    EXPECT_TRUE(ids::valid_kpp(o["kpp"].get<std::string>())) << o["id"];
  }
}

TEST(FixturesGenerate, CertificatesCarryTheRegistryIdentifiers) {
  const auto& fx = testkit::fixtures();
  for (const auto& o : fx.organisations) {
    ASSERT_TRUE(o.identity) << o.org.id;
    const auto& c = o.identity->certificate;
    EXPECT_EQ(c.subject_field("OGRN"), o.org.ogrn) << o.org.id;            // 1.2.643.100.1
    EXPECT_EQ(c.subject_field("1.2.643.3.131.1.1"), "00" + o.org.inn);     // ИНН, 12 digits
    EXPECT_EQ(c.subject_field("1.2.643.100.4"), o.org.inn) << o.org.id;    // ИНН ЮЛ
    EXPECT_TRUE(c.issued_by(fx.world.ca));
    EXPECT_EQ(c.key_kind(), crypto::KeyKind::gost2012_256);
    // Valid across every date the scenarios use.
    EXPECT_LT(c.not_before(), fx.scenario_clock - std::chrono::hours(24 * 365 * 5));
    EXPECT_GT(c.not_after(), fx.scenario_clock + std::chrono::hours(24 * 365 * 15));
  }
  const auto& expired = fx.organisation("hotel-sever")->other_certificates.at("expired").certificate;
  EXPECT_LT(expired.not_after(), fx.scenario_clock);
}

// RFC 5280: a CA never gives two certificates the same serial (a CRL names certificates by it).
// Also when certificates are added to a kept PKI: they continue after the largest serial.
TEST(FixturesGenerate, SerialsAreUniquePerCa) {
  auto serials_of = [](const fs::path& dir) {
    std::map<std::string, std::string> seen;  // serial → file
    std::vector<std::string> clashes;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".pem") continue;
      auto c = crypto::Certificate::from_pem(*read_file(e.path()));
      if (!c) continue;
      auto [it, fresh] = seen.emplace(c->serial_hex(), e.path().filename().string());
      if (!fresh) clashes.push_back(c->serial_hex() + ": " + it->second + " and " + e.path().filename().string());
    }
    return std::make_pair(seen.size(), clashes);
  };
  const fs::path committed = testkit::source_dir() / "fixtures";
  auto [n, clashes] = serials_of(committed / "pki");
  EXPECT_GE(n, 14u);
  EXPECT_TRUE(clashes.empty()) << ::testing::PrintToString(clashes);
  // Remove two certificates and let the generator add them again next to the others.
  const fs::path out = fs::temp_directory_path() / ("gosdoki-fixtures-serials-" + std::to_string(::getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  fs::copy(committed / "pki", out / "pki");
  for (const char* f : {"tls-server.pem", "tls-server.key", "rogue-is.pem", "rogue-is.key"}) fs::remove(out / "pki" / f);
  auto sum = harness::generate_fixtures(harness::GenerateOptions{out, 20260115, false});
  ASSERT_TRUE(sum) << sum.error().message;
  auto [n2, clashes2] = serials_of(out / "pki");
  EXPECT_EQ(n2, n);
  EXPECT_TRUE(clashes2.empty()) << ::testing::PrintToString(clashes2);
  fs::remove_all(out);
}
