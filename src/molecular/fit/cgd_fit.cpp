#include "molecular/fit/cgd_fit.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "core/error.hpp"
#include "core/random.hpp"
#include "molecular/fit/penalty.hpp"
#include "optim/optimizer.hpp"
#include "optim/presets.hpp"

namespace ldyn::molecular {
namespace {

/// One least-squares problem: the rows of the frames for species `s` (all species when s < 0),
/// columns [offset, offset + size) of the full coefficient vector.
struct Problem {
  const std::vector<ForceDesign>& frames;
  int s;
  double rows = 0.0, ridge = 0.0;  // R and λμ
  Eigen::MatrixXd penalty;         // the ridge fit's R (penalty.hpp)

  template <class F>
  void for_blocks(std::size_t frame, F&& f) const {
    const ForceDesign& d = frames[frame];
    for (std::size_t q = 0; q < d.matrix.size(); ++q)
      if ((s < 0 || static_cast<int>(q) == s) && d.matrix[q].rows() > 0) f(d.matrix[q], d.target[q]);
  }
  double objective(const Eigen::VectorXd& c) const {
    double sse = 0.0;
    for (std::size_t k = 0; k < frames.size(); ++k)
      for_blocks(k, [&](const Eigen::MatrixXd& a, const Eigen::VectorXd& y) { sse += (a * c - y).squaredNorm(); });
    return (sse + ridge * c.dot(penalty * c)) / (2.0 * rows);
  }
};

}  // namespace

CgdFitResult cgd_fit(const ModelSpec& spec, const std::vector<ForceDesign>& train, const RidgeResult& ridge,
                     const CgdFitSettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  if (train.empty()) throw InvalidOption("--cgd", "no training frames");
  if (settings.epochs < 1) throw InvalidOption("--cgd-epochs", "must be >= 1");
  if (settings.batch_frames < 1) throw InvalidOption("--cgd-batch", "must be >= 1 frame");
  if (!(settings.lr > 0.0)) throw InvalidOption("--cgd-lr", "must be > 0");
  optim::Options options = optim::preset(settings.preset);
  options.lr = settings.lr;
  if (settings.epsilon) optim::set_epsilon(options, *settings.epsilon);
  if (settings.alpha) options.alpha = *settings.alpha;
  optim::validate(options);

  const bool agent = spec.dynamics == Dynamics::agent;
  const int problems = agent ? spec.types() : 1;
  CgdFitResult result;
  result.coefficients = Eigen::VectorXd::Zero(spec.total_size());
  result.excess_objective.resize(static_cast<std::size_t>(problems));
  result.coefficient_error.resize(static_cast<std::size_t>(problems));
  auto rng = make_stream(settings.seed, "cgd-fit");

  for (int p = 0; p < problems; ++p) {
    Problem prob{train, agent ? p : -1, 0.0, 0.0, {}};
    const int offset = agent ? spec.species_offset(p) : 0;
    const int size = agent ? spec.species_size(p) : spec.total_size();
    double trace = 0.0;
    for (std::size_t k = 0; k < train.size(); ++k)
      prob.for_blocks(k, [&](const Eigen::MatrixXd& a, const Eigen::VectorXd&) {
        trace += a.squaredNorm();
        prob.rows += static_cast<double>(a.rows());
      });
    const double lambda = ridge.species[static_cast<std::size_t>(agent ? p : 0)].lambda;
    prob.ridge = lambda * trace / size;
    prob.penalty = penalty_matrix(spec, agent ? p : -1, ridge.smoothness);
    const Eigen::VectorXd best = ridge.coefficients.segment(offset, size);
    const double f_best = prob.objective(best);
    const double f_zero = prob.objective(Eigen::VectorXd::Zero(size));
    const double best_norm = std::max(best.norm(), 1e-300);

    const long batches = (static_cast<long>(train.size()) + settings.batch_frames - 1) / settings.batch_frames;
    if (settings.cosine) {
      options.schedule.kind = optim::ScheduleKind::cosine;
      options.schedule.total = batches * settings.epochs;
    }
    optim::Optimizer<double> opt(options);
    opt.add_group({static_cast<std::size_t>(size)});
    Eigen::VectorXd c = Eigen::VectorXd::Zero(size), g(size), residual;
    auto& excess = result.excess_objective[static_cast<std::size_t>(p)];
    auto& error = result.coefficient_error[static_cast<std::size_t>(p)];
    auto record = [&] {
      excess.push_back((prob.objective(c) - f_best) / std::max(f_zero - f_best, 1e-300));
      error.push_back((c - best).norm() / best_norm);
    };
    record();
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (int epoch = 0; epoch < settings.epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      for (std::size_t b = 0; b < order.size(); b += static_cast<std::size_t>(settings.batch_frames)) {
        const std::size_t end = std::min(order.size(), b + static_cast<std::size_t>(settings.batch_frames));
        g.noalias() = (prob.ridge / prob.rows) * (prob.penalty * c);
        double batch_rows = 0.0;
        for (std::size_t q = b; q < end; ++q)
          prob.for_blocks(order[q], [&](const Eigen::MatrixXd& a, const Eigen::VectorXd&) { batch_rows += static_cast<double>(a.rows()); });
        for (std::size_t q = b; q < end; ++q)
          prob.for_blocks(order[q], [&](const Eigen::MatrixXd& a, const Eigen::VectorXd& y) {
            residual.noalias() = a * c - y;
            g.noalias() += a.transpose() * residual / batch_rows;
          });
        opt.step(std::span<double>(c.data(), static_cast<std::size_t>(size)),
                 std::span<const double>(g.data(), static_cast<std::size_t>(size)));
        ++result.steps;
      }
      if (!c.allFinite()) throw NonFiniteError("cgd fit: coefficients diverged at epoch " + std::to_string(epoch + 1) +
                                               " (lower --cgd-lr)");
      record();
    }
    result.coefficients.segment(offset, size) = c;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ldyn::molecular
