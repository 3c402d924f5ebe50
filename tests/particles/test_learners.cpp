// The learners: centred ranks, the policy-gradient estimate against the derivative of its
// surrogate, both learners improving a policy, and exact resume of a training run.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <unistd.h>

#include "core/error.hpp"
#include "particles/evolution_strategy.hpp"
#include "particles/policy_gradient.hpp"
#include "particles/training.hpp"

namespace ldyn::particles {
namespace {

TEST(ParticleLearners, CentredRanks) {
  const auto r = centred_ranks({3.0, -1.0, 10.0, 3.0});
  EXPECT_DOUBLE_EQ(r[1], -0.5);
  EXPECT_DOUBLE_EQ(r[2], 0.5);
  EXPECT_DOUBLE_EQ(r[0], r[3]);  // ties share their mean rank
  EXPECT_DOUBLE_EQ(r[0], 1.5 / 3 - 0.5);
}

WorldParams from_rest() {
  WorldParams p;
  p.particles = 16;
  p.initial_speed = 0;  // the untrained (zero) policy makes no progress: learning to drive is visible
  return p;
}

// The surrogate whose gradient REINFORCE is: S(theta) = -1/M sum A * log pi(a | s; theta), with the
// samples (s, a) and advantages A of one estimate held fixed.
double surrogate(const Policy& policy, const PgWorkspace& ws, double sigma) {
  double sum = 0;
  std::size_t m = 0;
  Matrixf H, O;
  for (std::size_t s = 0; s < ws.X.size(); ++s) {
    policy.net.forward(ws.X[s], H, O);
    const long n = O.cols();
    for (long i = 0; i < n; ++i) {
      const double a_adv = ws.advantage[s * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)];
      double log_pi = 0;
      for (long k = 0; k < 2; ++k) {
        const double action = ws.O[s](k, i) + sigma * ws.noise[s](k, i);
        log_pi -= (action - O(k, i)) * (action - O(k, i)) / (2 * sigma * sigma);
      }
      sum -= a_adv * log_pi;
      ++m;
    }
  }
  return sum / static_cast<double>(m);
}

TEST(ParticleLearners, PolicyGradientIsTheDerivativeOfItsSurrogate) {
  WorldParams wp = from_rest();
  Sensing sensing;
  World world(world_for(wp, sensing));
  Policy policy = make_policy(PolicyKind::invariant, sensing, 3, 5);
  for (std::size_t k = 0; k < policy.net.parameter_count(); ++k) policy.net.parameters()[k] += 0.05f * std::sin(static_cast<float>(k));
  PgOptions o;
  o.episodes = 1;
  PgWorkspace ws;
  std::vector<float> grad(policy.net.parameter_count());
  pg_gradient(world, policy, o, 20, 1, 2, grad, ws);
  // The estimate normalizes advantages by their sd: undo it with the same factor for the check.
  double sum2 = 0;
  for (float a : ws.advantage) sum2 += static_cast<double>(a) * a;
  const double sd = std::sqrt(sum2 / static_cast<double>(ws.advantage.size()));
  const double h = 1e-2;
  for (std::size_t k = 0; k < grad.size(); ++k) {
    float& theta = policy.net.parameters()[k];
    const float keep = theta;
    theta = keep + static_cast<float>(h);
    const double up = surrogate(policy, ws, o.action_noise);
    theta = keep - static_cast<float>(h);
    const double down = surrogate(policy, ws, o.action_noise);
    theta = keep;
    const double fd = (up - down) / (2 * h) / sd;
    EXPECT_NEAR(grad[k], fd, 2e-3 * (1 + std::abs(fd))) << "parameter " << k;
  }
}

double train_and_report(LearnerKind learner, long iterations, double* first) {
  TrainOptions o;
  o.world = from_rest();
  o.learner = learner;
  o.iterations = iterations;
  o.episode_steps = 60;
  o.hidden = 4;
  o.es.pairs = 4;
  o.pg.episodes = 2;
  o.lr = learner == LearnerKind::es ? 0.05 : 0.02;
  o.world.collision_penalty = 0;  // learning to drive only: a reward that is not noisy
  TrainSession session(o);
  while (!session.finished()) session.iterate();
  *first = session.rows().front().train_return;  // the untrained policy's episodes
  double last = 0;
  for (std::size_t k = session.rows().size() - 3; k < session.rows().size(); ++k) last += session.rows()[k].eval_return / 3;
  return last;
}

TEST(ParticleLearners, EvolutionStrategyLearnsToDrive) {
  double first = 0;
  const double last = train_and_report(LearnerKind::es, 25, &first);
  EXPECT_GT(last, first + 5) << "return per particle over 60 steps: " << first << " -> " << last;
}

TEST(ParticleLearners, PolicyGradientLearnsToDrive) {
  double first = 0;
  const double last = train_and_report(LearnerKind::pg, 25, &first);
  EXPECT_GT(last, first + 5) << "return per particle over 60 steps: " << first << " -> " << last;
}

TEST(ParticleLearners, TrainingResumesBitForBit) {
  for (LearnerKind learner : {LearnerKind::es, LearnerKind::pg}) {
    TrainOptions o;
    o.world = from_rest();
    o.learner = learner;
    o.iterations = 4;
    o.episode_steps = 30;
    o.es.pairs = 2;
    o.pg.episodes = 1;
    TrainSession straight(o);
    while (!straight.finished()) straight.iterate();
    const auto path = std::filesystem::temp_directory_path() / ("ldyn-particles-ckpt-" + std::to_string(::getpid()));
    {
      TrainSession first(o);
      first.iterate();
      first.iterate();
      first.save_checkpoint(path.string());
    }
    TrainSession resumed(o);
    resumed.load_checkpoint(path.string());
    EXPECT_EQ(resumed.iteration(), 2);
    while (!resumed.finished()) resumed.iterate();
    for (std::size_t k = 0; k < straight.policy().net.parameter_count(); ++k)
      ASSERT_EQ(straight.policy().net.parameters()[k], resumed.policy().net.parameters()[k]) << to_string(learner);
    EXPECT_EQ(straight.rows().back().eval_return, resumed.rows().back().eval_return);
    // A checkpoint of another run is refused with the file's name.
    TrainOptions other = o;
    other.seed = 99;
    TrainSession wrong(other);
    try {
      wrong.load_checkpoint(path.string());
      ADD_FAILURE() << "accepted a checkpoint of another run";
    } catch (const FileError& e) {
      EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos);
    }
    std::filesystem::remove(path);
  }
}

TEST(ParticleLearners, RefuseImpossibleOptions) {
  TrainOptions o;
  o.iterations = 0;
  EXPECT_THROW(TrainSession{o}, InvalidOption);
  o = TrainOptions{};
  o.es.sigma = -1;
  EXPECT_THROW(TrainSession{o}, InvalidOption);
  o = TrainOptions{};
  o.optimizer = "no-such-preset";
  EXPECT_THROW(TrainSession{o}, InvalidOption);
}

}  // namespace
}  // namespace ldyn::particles
