// Model files: bit-exact round trip; every malformed file is refused with its name and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/compressed_file.hpp"
#include "model_fixtures.hpp"
#include "molecular/model/model_file.hpp"

namespace ldyn::molecular {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) { return testing::scratch_file("ldyn_test_model_file", name); }

ModelFile sample_model() {
  ModelFile m;
  m.spec = testing::small_spec(Dynamics::symmetric, 0.7);
  m.spec.wall_radius(0, 1) = m.spec.wall_radius(1, 0) = 0.81;
  m.coefficients = testing::random_coefficients(m.spec, 0.1, 4);
  m.meta = {{"data", "a.xyz b.xyz"}, {"frames", "12"}};
  return m;
}

TEST(ModelFile, RoundTripIsBitExact) {
  const ModelFile m = sample_model();
  const fs::path p = temp_file("round.txt");
  write_model_file(p, m);
  const ModelFile r = read_model_file(p);
  EXPECT_EQ(r.spec.species.symbols, m.spec.species.symbols);
  EXPECT_EQ(r.spec.species.masses, m.spec.species.masses);
  EXPECT_EQ(r.spec.dynamics, m.spec.dynamics);
  EXPECT_EQ(r.spec.pair.size(), m.spec.pair.size());
  EXPECT_EQ(r.spec.pair.r_cut(), m.spec.pair.r_cut());
  EXPECT_EQ(r.spec.angular.r_inner(), m.spec.angular.r_inner());
  EXPECT_EQ(r.spec.lmax, m.spec.lmax);
  EXPECT_EQ(r.spec.wall_radius, m.spec.wall_radius);
  EXPECT_EQ(r.spec.wall_strength, m.spec.wall_strength);
  EXPECT_EQ(r.coefficients, m.coefficients);  // bitwise
  EXPECT_EQ(r.meta, m.meta);
}

// Each edit of a valid file must give a FileError whose message names the file and a reason.
TEST(ModelFile, MalformedFilesAreNamedWithTheirLine) {
  const fs::path good = temp_file("good.txt");
  write_model_file(good, sample_model());
  const std::string text = read_text_file(good);
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return t.replace(at, from.size(), to);
  };
  const std::string second_block = text.substr(text.find("pair O H"));
  struct Case {
    std::string name, text, expect;
  };
  const std::vector<Case> cases = {
      {"version", replace("ldyn-agent-model 1", "ldyn-agent-model 2"), "version 2"},
      {"magic", replace("ldyn-agent-model 1", "something else"), "not an ldyn model"},
      {"truncated", text.substr(0, text.size() / 2), ""},
      {"nan", replace("pair O O\n", "pair O O\nnan "), "not finite"},
      {"species", replace("wall_radius O H", "wall_radius O N"), "unknown species 'N'"},
      {"dynamics", replace("dynamics symmetric", "dynamics chaotic"), "agent"},
      {"units", replace("energy eV", "energy kcal"), "units"},
      {"block order", replace("pair O O", "pair O H"), "expected block 'pair O O'"},
      {"missing end", text.substr(0, text.rfind("end")), "end of file"},
      {"extra", text + "pair O O\n", "after 'end'"},
      {"basis", replace("pair_basis cubic-bspline 0.6 3.8 12", "pair_basis cubic-bspline 3.8 0.6 12"), "r_inner"},
  };
  for (const auto& c : cases) {
    const fs::path bad = temp_file("bad_" + std::to_string(&c - cases.data()) + ".txt");
    std::ofstream(bad) << c.text;
    try {
      read_model_file(bad);
      ADD_FAILURE() << c.name << ": accepted";
    } catch (const FileError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(bad.string()), std::string::npos) << c.name << ": " << what;
      EXPECT_NE(what.find(c.expect), std::string::npos) << c.name << ": " << what;
    }
  }
}

}  // namespace
}  // namespace ldyn::molecular
