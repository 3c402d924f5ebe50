#include "particles/training.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "optim/presets.hpp"
#include "optim/state_io.hpp"
#include "particles/episode.hpp"

namespace ldyn::particles {
namespace {

constexpr char kMagic[9] = "LDPTRAIN";
constexpr std::uint64_t kVersion = 1;

}  // namespace

LearnerKind parse_learner(std::string_view name) {
  if (name == "es") return LearnerKind::es;
  if (name == "pg") return LearnerKind::pg;
  throw InvalidOption("--learner", "unknown learner '" + std::string(name) + "' (es, pg)");
}

std::string to_string(LearnerKind k) { return k == LearnerKind::es ? "es" : "pg"; }

WorldParams world_for(WorldParams world, const Sensing& sensing) {
  world.sensing_radius = sensing.sensing_radius;
  return world;
}

TrainSession::TrainSession(TrainOptions options)
    : options_(std::move(options)),
      world_((validate(options_.sensing), world_for(options_.world, options_.sensing))),
      policy_(make_policy(options_.policy, options_.sensing, options_.hidden, options_.seed)) {
  if (options_.iterations < 1) throw InvalidOption("--iterations", "must be >= 1 (got " + std::to_string(options_.iterations) + ")");
  if (options_.episode_steps < 1 || options_.episode_steps > 100'000)
    throw InvalidOption("--episode-steps", "must be in [1, 100000] (got " + std::to_string(options_.episode_steps) + ")");
  if (!(std::isfinite(options_.lr) && options_.lr > 0)) throw InvalidOption("--lr", "must be a finite number > 0");
  validate(options_.es);
  validate(options_.pg);
  optim::Options opt = optim::preset(options_.optimizer);
  opt.lr = options_.lr;
  optimizer_ = std::make_unique<optim::Optimizer<float>>(opt);
  optimizer_->add_group({policy_.net.parameter_count()});
  grad_.assign(policy_.net.parameter_count(), 0.0f);
}

TrainSession::~TrainSession() = default;

std::uint64_t TrainSession::episode_seed(long k) const {
  return make_stream(options_.seed, "particles-episode-" + std::to_string(k))();
}

const IterationRow& TrainSession::iterate() {
  const long k = iteration();
  const std::uint64_t episodes = episode_seed(k);
  const std::uint64_t noise = make_stream(options_.seed, "particles-noise-" + std::to_string(k))();
  const GradientEstimate est =
      options_.learner == LearnerKind::es
          ? es_gradient(world_, policy_, options_.es, options_.episode_steps, episodes, noise, grad_)
          : pg_gradient(world_, policy_, options_.pg, options_.episode_steps, episodes, noise, grad_, pg_);
  double g2 = 0;
  for (float g : grad_) g2 += static_cast<double>(g) * g;
  optimizer_->step(policy_.net.parameters(), std::span<const float>(grad_));
  for (float v : policy_.net.parameters())
    if (!std::isfinite(v))
      throw NonFiniteError("particles train: the policy parameters became non-finite at iteration " + std::to_string(k + 1) +
                           " (lower --lr)");
  PolicyDriver driver(policy_);
  EpisodeOptions eval;
  eval.steps = options_.episode_steps;
  const EpisodeStats stats = run_episode(world_, driver, episodes, eval);
  IterationRow row;
  row.iteration = k + 1;
  row.particle_steps = (rows_.empty() ? 0 : rows_.back().particle_steps) + est.particle_steps;
  row.train_return = est.mean_return;
  row.eval_return = stats.mean_return;
  row.collisions_per_particle_per_1000_steps = stats.collisions_per_particle_per_1000_steps();
  row.edge_hits_per_particle_per_1000_steps = stats.edge_hits_per_particle_per_1000_steps();
  row.mean_speed_fraction = stats.mean_speed_fraction;
  row.grad_norm = std::sqrt(g2);
  rows_.push_back(row);
  return rows_.back();
}

std::uint64_t TrainSession::fingerprint() const {
  // Everything that changes the trajectory of a run except its length.
  std::ostringstream s;
  s.precision(17);
  const auto& w = options_.world;
  const auto& z = options_.sensing;
  s << to_string(w.scenario) << ' ' << to_string(w.headings) << ' ' << w.particles << ' ' << w.radius << ' '
    << w.packing_fraction << ' ' << w.lane_width << ' ' << w.cruise_speed << ' ' << w.speed_spread << ' ' << w.max_speed << ' '
    << w.max_acceleration << ' ' << w.dt << ' ' << w.collision_penalty << ' ' << w.boost_x << ' ' << w.boost_y << ' '
    << z.sensing_radius << ' ' << z.horizon << ' ' << z.margin << ' ' << z.neighbours << ' ' << to_string(z.aggregate) << ' ' << to_string(options_.policy) << ' '
    << options_.hidden << ' ' << to_string(options_.learner) << ' ' << options_.episode_steps << ' ' << options_.seed << ' '
    << options_.optimizer << ' ' << options_.lr << ' ' << options_.es.pairs << ' ' << options_.es.sigma << ' '
    << options_.pg.episodes << ' ' << options_.pg.action_noise << ' ' << options_.pg.discount;
  return stable_hash(s.str());
}

void TrainSession::save_checkpoint(const std::string& path) const {
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        optim::StateWriter w(out);
        w.tag(kMagic);
        w.u64(kVersion);
        w.u64(fingerprint());
        w.array(std::span<const float>(policy_.net.parameters()));
        w.u64(rows_.size());
        for (const auto& r : rows_) {
          w.i64(r.iteration);
          w.i64(r.particle_steps);
          for (double v : {r.train_return, r.eval_return, r.collisions_per_particle_per_1000_steps,
                           r.edge_hits_per_particle_per_1000_steps, r.mean_speed_fraction, r.grad_norm})
            w.f64(v);
        }
        optimizer_->save(out);
      },
      true);
}

void TrainSession::load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot open the checkpoint");
  optim::StateReader r(in, path);
  r.header(kMagic, kVersion);
  if (r.u64() != fingerprint())
    r.fail("checkpoint written by a run with other options (world, sensors, policy, learner, seed or optimizer); "
           "resume with the same options, or start afresh without --resume");
  std::vector<float> theta(policy_.net.parameter_count());
  r.array(std::span<float>(theta), "policy parameters");
  const std::uint64_t count = r.u64();
  if (count > 100'000'000) r.fail("corrupt checkpoint (implausible number of iterations)");
  std::vector<IterationRow> rows(count);
  for (auto& row : rows) {
    row.iteration = r.i64();
    row.particle_steps = r.i64();
    for (double* v : {&row.train_return, &row.eval_return, &row.collisions_per_particle_per_1000_steps,
                      &row.edge_hits_per_particle_per_1000_steps, &row.mean_speed_fraction, &row.grad_norm})
      *v = r.f64();
  }
  optimizer_->load(in, path);
  std::copy(theta.begin(), theta.end(), policy_.net.parameters().begin());
  rows_ = std::move(rows);
}

}  // namespace ldyn::particles
