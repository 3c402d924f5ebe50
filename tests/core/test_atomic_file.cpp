#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/exponential_average.hpp"

namespace fs = std::filesystem;

TEST(AtomicFile, WritesWholeFileAndLeavesNoTemporary) {
  const fs::path dir = fs::temp_directory_path() / "ldyn_atomic_test";
  fs::remove_all(dir);
  const fs::path target = dir / "out.txt";
  ldyn::write_text_atomically(target, "hello\n");
  std::ifstream in(target);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), "hello\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  fs::remove_all(dir);
}

TEST(AtomicFile, FailingWriterKeepsOldFile) {
  const fs::path dir = fs::temp_directory_path() / "ldyn_atomic_test2";
  fs::remove_all(dir);
  const fs::path target = dir / "out.txt";
  ldyn::write_text_atomically(target, "old");
  EXPECT_THROW(ldyn::write_file_atomically(target, [](std::ostream& o) {
    o << "partial";
    throw ldyn::Error("writer failed");
  }), ldyn::Error);
  std::ifstream in(target);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  fs::remove_all(dir);
}

TEST(AtomicFile, UnwritableTargetNamesThePath) {
  try {
    ldyn::write_text_atomically("/proc/ldyn-cannot-write-here/x.txt", "x");
    FAIL() << "expected FileError";
  } catch (const ldyn::FileError& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/ldyn-cannot-write-here/x.txt"), std::string::npos);
  }
}

TEST(ExponentialAverage, TauAndBetaAreTheSameAverage) {
  // <f>_t = (f_t + tau <f>_{t-1}) / (1 + tau) equals the EMA with beta = tau / (1 + tau).
  const double tau = 9.0;
  const double beta = ldyn::beta_from_tau(tau);
  EXPECT_DOUBLE_EQ(beta, 0.9);
  EXPECT_DOUBLE_EQ(ldyn::tau_from_beta(beta), tau);
  ldyn::ExponentialAverage avg(beta);
  avg.start_from_first_sample(true);
  double by_tau = 0.0;
  for (int t = 0; t < 50; ++t) {
    const double f = std::sin(0.3 * t) + 2.0;
    by_tau = t == 0 ? f : (f + tau * by_tau) / (1.0 + tau);
    avg.add(f);
  }
  EXPECT_NEAR(avg.value(), by_tau, 1e-14);
  EXPECT_THROW(ldyn::beta_from_tau(-1.0), ldyn::InvalidOption);
  EXPECT_THROW(ldyn::tau_from_beta(1.0), ldyn::InvalidOption);
}

TEST(ExponentialAverage, BiasCorrectionRecoversConstant) {
  ldyn::ExponentialAverage avg(0.99);
  avg.start_from_first_sample(false);
  for (int t = 0; t < 5; ++t) avg.add(3.0);
  EXPECT_NEAR(avg.value(), 3.0, 1e-12);
}
