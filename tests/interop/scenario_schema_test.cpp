// The scenario language's JSON Schema (docs/scenario.schema.json) agrees with the runner: every
// scenario the runner accepts validates with ajv, and files the runner refuses for a wrong key,
// an unknown step or a bad fault rule are refused by the schema too.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/util/bytes.hpp"
#include "harness/scenario/scenario.hpp"
#include "tests/support/process.hpp"

namespace testkit = gosdoki::testkit;

namespace {

const std::filesystem::path kSrc = GOSDOKI_SOURCE_DIR;
const std::filesystem::path kNode = kSrc / "tests/interop/node";

// YAML as a JSON reader sees it: quoted scalars stay strings; plain ones become booleans or
// numbers when they look like them.
nlohmann::json to_json(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& kv : n) j[kv.first.Scalar()] = to_json(kv.second);
    return j;
  }
  if (n.IsSequence()) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& x : n) j.push_back(to_json(x));
    return j;
  }
  if (n.IsNull()) return nullptr;
  const std::string& v = n.Scalar();
  if (n.Tag() == "!") return v;
  if (v == "true" || v == "false") return v == "true";
  char* end = nullptr;
  long long i = std::strtoll(v.c_str(), &end, 10);
  if (!v.empty() && *end == '\0') return i;
  double d = std::strtod(v.c_str(), &end);
  if (!v.empty() && *end == '\0') return d;
  return v;
}

std::string json_of(const std::string& yaml) { return to_json(YAML::Load(yaml)).dump(); }

testkit::ProcessResult validate(const std::vector<std::filesystem::path>& files) {
  std::vector<std::string> argv = {"node", (kNode / "scenario-schema-check.js").string(), (kSrc / "docs/scenario.schema.json").string()};
  for (const auto& f : files) argv.push_back(f.string());
  return testkit::run_process(argv, std::chrono::seconds(120));
}

}  // namespace

TEST(ScenarioSchema, EveryScenarioTheRunnerAcceptsValidates) {
  if (!std::filesystem::exists(kNode / "node_modules/ajv")) GTEST_SKIP() << "ajv is not installed (npm install, done by .ci/run)";
  auto dir = testkit::temp_dir("scenario-schema");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(kSrc / "scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(gosdoki::harness::parse_scenario(text, e.path().string())) << e.path();
    auto out = dir / (e.path().parent_path().filename().string() + "-" + e.path().stem().string() + ".json");
    std::ofstream(out) << json_of(text);
    files.push_back(out);
  }
  ASSERT_GE(files.size(), 50u);
  auto r = validate(files);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(std::to_string(files.size()) + "/" + std::to_string(files.size()) + " valid"), std::string::npos) << r.out;
}

TEST(ScenarioSchema, WhatTheRunnerRefusesTheSchemaRefuses) {
  if (!std::filesystem::exists(kNode / "node_modules/ajv")) GTEST_SKIP() << "ajv is not installed (npm install, done by .ci/run)";
  const std::string head = "name: x\ngiven: {organisation: hotel-sever, person: petrov-p}\n";
  const std::vector<std::string> bad = {
      head + "steps:\n  - wallet.issue: {}\n  - client.check: {face: office-light, colour: red}\nexpect: {code: OK}\n",
      head + "steps:\n  - wallet.shake: {}\nexpect: {code: OK}\n",
      head + "steps:\n  - fault: {operation: GetResponse, action: soapFault}\n  - client.check: {}\nexpect: {code: OK}\n",
      head + "steps:\n  - fault: {operation: GetResponse, action: latency, latency: fast}\n  - client.check: {}\nexpect: {code: OK}\n",
      head + "steps:\n  - client.check: {}\nexpect: {status: fine}\n",
      head + "owner: me\nsteps:\n  - client.check: {}\nexpect: {code: OK}\n",
  };
  auto dir = testkit::temp_dir("scenario-schema-bad");
  for (std::size_t i = 0; i < bad.size(); ++i) {
    EXPECT_FALSE(gosdoki::harness::parse_scenario(bad[i], "bad.yaml")) << "the runner must refuse case " << i;
    auto f = dir / ("bad-" + std::to_string(i) + ".json");
    std::ofstream(f) << json_of(bad[i]);
    auto r = validate({f});
    EXPECT_EQ(r.exit_code, 1) << "the schema accepted case " << i << ": " << bad[i] << r.out;
  }
}
