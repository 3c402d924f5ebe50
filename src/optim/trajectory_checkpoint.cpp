#include "optim/trajectory_checkpoint.hpp"

#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "optim/state_io.hpp"

namespace ldyn::optim {
namespace {

constexpr std::uint64_t kVersion = 1;

void write_string(StateWriter& out, const std::string& s) {
  out.array(std::span<const char>(s.data(), s.size()));
}

std::string read_string(StateReader& in, std::size_t size_limit, const char* what) {
  // The length comes first; refuse absurd lengths before allocating for them.
  const std::uint64_t n = in.u64();
  if (n > size_limit) in.fail(std::string("corrupt checkpoint: ") + what + " is too long");
  std::string s(n, '\0');
  in.raw_into(s.data(), n);
  return s;
}

}  // namespace

void write_checkpoint(const std::filesystem::path& path, const TrajectoryCheckpoint& c,
                      const Optimizer<double>& optimizer) {
  write_file_atomically(
      path,
      [&](std::ostream& os) {
        StateWriter out(os);
        out.tag("LDYNRUN\x01");
        out.u64(kVersion);
        write_string(out, c.spec.name);
        out.i64(c.spec.dim);
        out.f64(c.spec.noise);
        out.u64(static_cast<std::uint64_t>(c.spec.noise_shape));
        out.u64(c.spec.seed);
        out.i64(c.spec.batch);
        out.i64(c.updates);
        out.array(std::span<const double>(c.x.data(), static_cast<std::size_t>(c.x.size())));
        std::ostringstream rng;
        rng << c.rng;
        write_string(out, rng.str());
        out.u64(c.trajectory.rows.size());
        for (const auto& r : c.trajectory.rows) {
          out.i64(r.step);
          out.f64(r.loss);
          out.f64(r.grad_norm);
          out.f64(r.update_norm);
          out.f64(r.eff_rank);
        }
        out.f64(c.trajectory.minimum_loss);
        out.i64(c.trajectory.steps_to_target);
        optimizer.save(os);
        out.tag("END-LRUN");
      },
      /*binary=*/true);
}

void read_checkpoint(const std::filesystem::path& path, const problems::ProblemSpec& expected,
                     TrajectoryCheckpoint& c, Optimizer<double>& optimizer) {
  std::ifstream is(path, std::ios::binary);
  if (!is) throw FileError(path.string(), "cannot open checkpoint");
  StateReader in(is, path.string());
  in.header("LDYNRUN\x01", kVersion);
  c.spec.name = read_string(in, 256, "problem name");
  c.spec.dim = in.i64();
  c.spec.noise = in.f64();
  c.spec.noise_shape = static_cast<problems::NoiseShape>(in.u64());
  c.spec.seed = in.u64();
  c.spec.batch = in.i64();
  auto differs = [&](const char* what, const std::string& saved, const std::string& now) {
    in.fail(std::string("checkpoint is of another run: ") + what + " " + saved + " there, " + now + " here");
  };
  if (c.spec.name != expected.name) differs("problem", c.spec.name, expected.name);
  if (c.spec.dim != expected.dim) differs("dimension", std::to_string(c.spec.dim), std::to_string(expected.dim));
  if (c.spec.noise != expected.noise || c.spec.noise_shape != expected.noise_shape)
    differs("noise", std::to_string(c.spec.noise), std::to_string(expected.noise));
  if (c.spec.seed != expected.seed) differs("seed", std::to_string(c.spec.seed), std::to_string(expected.seed));
  if (c.spec.batch != expected.batch)
    differs("batch", std::to_string(c.spec.batch), std::to_string(expected.batch));
  c.updates = in.i64();
  c.x.resize(expected.dim);
  in.array(std::span<double>(c.x.data(), static_cast<std::size_t>(c.x.size())), "point x");
  std::istringstream rng(read_string(in, 1 << 16, "random stream state"));
  rng >> c.rng;
  if (!rng) in.fail("corrupt checkpoint: unreadable random stream state");
  const std::uint64_t rows = in.u64();
  if (rows != static_cast<std::uint64_t>(c.updates)) in.fail("corrupt checkpoint: row count does not match the step");
  c.trajectory.rows.resize(rows);
  for (auto& r : c.trajectory.rows) {
    r.step = in.i64();
    r.loss = in.f64();
    r.grad_norm = in.f64();
    r.update_norm = in.f64();
    r.eff_rank = in.f64();
  }
  c.trajectory.minimum_loss = in.f64();
  c.trajectory.steps_to_target = in.i64();
  optimizer.load(is, path.string());
  in.tag("END-LRUN");
}

}  // namespace ldyn::optim
