#include "optim/optimizer.hpp"

#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "optim/dense_engine.hpp"
#include "optim/diagonal_engine.hpp"
#include "optim/low_rank_engine.hpp"

namespace ldyn::optim {

template <class T>
std::unique_ptr<GroupEngine<T>> make_engine(const Options& o, const std::vector<std::size_t>& sizes) {
  const std::size_t n = std::accumulate(sizes.begin(), sizes.end(), std::size_t{0});
  switch (o.structure) {
    case Structure::diagonal:
      return std::make_unique<DiagonalEngine<T>>(o, n);
    case Structure::full:
      return std::make_unique<DenseEngine<T>>(o, std::vector<std::size_t>{n});
    case Structure::block: {
      if (o.block_size == 0) return std::make_unique<DenseEngine<T>>(o, sizes);
      std::vector<std::size_t> blocks;
      for (std::size_t at = 0; at < n; at += o.block_size) blocks.push_back(std::min(o.block_size, n - at));
      return std::make_unique<DenseEngine<T>>(o, blocks);
    }
    case Structure::low_rank:
      return std::make_unique<LowRankEngine<T>>(o, n);
  }
  throw std::logic_error("unknown structure");
}

template <class T>
struct Optimizer<T>::Group {
  Options options;
  std::vector<std::size_t> sizes;
  std::size_t parameters;
  std::unique_ptr<GroupEngine<T>> engine;
};

template <class T>
Optimizer<T>::Optimizer(Options defaults) : defaults_(std::move(defaults)) {
  validate(defaults_);
}
template <class T>
Optimizer<T>::~Optimizer() = default;
template <class T>
Optimizer<T>::Optimizer(Optimizer&&) noexcept = default;
template <class T>
Optimizer<T>& Optimizer<T>::operator=(Optimizer&&) noexcept = default;

template <class T>
std::size_t Optimizer<T>::add_group(std::vector<std::size_t> sizes) {
  return add_group(std::move(sizes), defaults_);
}

template <class T>
std::size_t Optimizer<T>::add_group(std::vector<std::size_t> sizes, const Options& options) {
  validate(options);
  if (sizes.empty()) throw std::invalid_argument("add_group: a group needs at least one tensor");
  const std::size_t n = std::accumulate(sizes.begin(), sizes.end(), std::size_t{0});
  if (n == 0) throw std::invalid_argument("add_group: a group needs at least one parameter");
  auto engine = make_engine<T>(options, sizes);
  groups_.push_back(std::make_unique<Group>(Group{options, std::move(sizes), n, std::move(engine)}));
  group_norms_.resize(groups_.size());
  return groups_.size() - 1;
}

template <class T>
const Options& Optimizer<T>::options(std::size_t group) const {
  return groups_.at(group)->options;
}

template <class T>
void Optimizer<T>::set_options(std::size_t group, const Options& o) {
  auto& g = *groups_.at(group);
  validate(o);
  if (o.structure != g.options.structure || o.force != g.options.force || o.source != g.options.source ||
      o.block_size != g.options.block_size || o.rank != g.options.rank)
    throw std::invalid_argument("set_options: structure, force, source, block size and rank are fixed "
                                "when a group is created");
  g.options = o;
}

template <class T>
StepReport Optimizer<T>::step(std::span<T> x, std::span<const T> g) {
  std::size_t total = 0;
  for (const auto& group : groups_) total += group->parameters;
  if (x.size() != total || g.size() != total)
    throw std::invalid_argument("Optimizer::step: got " + std::to_string(x.size()) + " parameters and " +
                                std::to_string(g.size()) + " gradients, registered " + std::to_string(total));
  flat_params_.clear();
  flat_grads_.clear();
  std::size_t at = 0;
  for (const auto& group : groups_)
    for (std::size_t size : group->sizes) {
      flat_params_.push_back(x.subspan(at, size));
      flat_grads_.push_back(g.subspan(at, size));
      at += size;
    }
  return step(Tensors<T>(flat_params_), ConstTensors<T>(flat_grads_));
}

template <class T>
StepReport Optimizer<T>::step(Tensors<T> params, ConstTensors<T> grads) {
  std::size_t expected = 0;
  for (const auto& g : groups_) expected += g->sizes.size();
  if (params.size() != expected || grads.size() != expected)
    throw std::invalid_argument("Optimizer::step: got " + std::to_string(params.size()) + " parameter and " +
                                std::to_string(grads.size()) + " gradient tensors, registered " +
                                std::to_string(expected));

  // Pass 1 (read-only): sizes, norms and finiteness, so a bad gradient changes no state.
  StepReport report;
  std::vector<double>& norms = group_norms_;  // sized in add_group: no allocation per step
  double total_sq = 0.0;
  std::size_t tensor = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const Group& g = *groups_[gi];
    double sq = 0.0;
    for (std::size_t k = 0; k < g.sizes.size(); ++k, ++tensor) {
      if (params[tensor].size() != g.sizes[k] || grads[tensor].size() != g.sizes[k])
        throw std::invalid_argument("Optimizer::step: tensor " + std::to_string(tensor) + " has " +
                                    std::to_string(grads[tensor].size()) + " gradient values, registered " +
                                    std::to_string(g.sizes[k]));
      const Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>> a(grads[tensor].data(),
                                                                   static_cast<Eigen::Index>(grads[tensor].size()));
      double part = static_cast<double>(a.matrix().squaredNorm());
      if (!std::isfinite(part)) {
        // Either a NaN/inf component, or an overflow of the sum of squares in T: look closer.
        part = 0.0;
        for (std::size_t i = 0; i < grads[tensor].size(); ++i) {
          const double v = static_cast<double>(grads[tensor][i]);
          if (!std::isfinite(v)) {
            if (g.options.skip_nonfinite) {
              ++skipped_;
              report.skipped = true;
              return report;
            }
            throw NonFiniteError("non-finite gradient (" + std::to_string(v) + ") at component " +
                                 std::to_string(i) + " of tensor " + std::to_string(tensor) + ", step " +
                                 std::to_string(t_ + 1) + " (use --skip-nonfinite to skip such steps)");
          }
          part += v * v;
        }
      }
      sq += part;
    }
    norms[gi] = std::sqrt(sq);
    total_sq += sq;
  }
  report.grad_norm = std::sqrt(total_sq);

  // Pass 2: the updates.
  ++t_;
  double update_sq = 0.0;
  tensor = 0;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    Group& g = *groups_[gi];
    const std::size_t count = g.sizes.size();
    const StepContext c = StepContext::make(g.options, t_, norms[gi], measure_);
    g.engine->step(c, params.subspan(tensor, count), grads.subspan(tensor, count), update_sq);
    tensor += count;
    const double r = g.engine->effective_rank();
    if (!std::isnan(r)) report.effective_rank = std::isnan(report.effective_rank) ? r : report.effective_rank + r;
  }
  report.update_norm = std::sqrt(update_sq);
  return report;
}

template <class T>
double Optimizer<T>::state_per_parameter() const {
  double state = 0.0, n = 0.0;
  for (const auto& g : groups_) {
    state += static_cast<double>(g->engine->state_size());
    n += static_cast<double>(g->parameters);
  }
  return n > 0 ? state / n : 0.0;
}

template <class T>
long Optimizer<T>::eigen_fallbacks() const {
  long f = 0;
  for (const auto& g : groups_) f += g->engine->fallbacks();
  return f;
}

namespace {
// 2: dense blocks store kappa's eigenvalues lambda (tracked between refreshes), not phi.
// 3: each group also records its force and metric source.
constexpr std::uint64_t kStateVersion = 3;

// "full metric, force first_moment, source centered_covariance", for mismatch messages.
std::string describe(std::uint64_t structure, std::uint64_t force, std::uint64_t source) {
  if (structure > 3 || force > 1 || source > 2) return "an unknown optimizer";
  return std::string(to_string(static_cast<Structure>(structure))) + " metric, force " +
         to_string(static_cast<Force>(force)) + ", source " + to_string(static_cast<MetricSource>(source));
}
}

template <class T>
void Optimizer<T>::save(std::ostream& os) const {
  StateWriter out(os);
  out.tag("LDYNOPT\x01");
  out.u64(kStateVersion);
  out.u64(sizeof(T));
  out.u64(groups_.size());
  for (const auto& g : groups_) {
    out.u64(static_cast<std::uint64_t>(g->options.structure));
    out.u64(static_cast<std::uint64_t>(g->options.force));
    out.u64(static_cast<std::uint64_t>(g->options.source));
    out.array(std::span<const std::size_t>(g->sizes));
    g->engine->save(out);
  }
  out.i64(t_);
  out.i64(skipped_);
  out.tag("END-LDYN");
}

template <class T>
void Optimizer<T>::save(const std::filesystem::path& path) const {
  write_file_atomically(path, [&](std::ostream& os) { save(os); }, /*binary=*/true);
}

template <class T>
void Optimizer<T>::load(const std::filesystem::path& path) {
  std::ifstream is(path, std::ios::binary);
  if (!is) throw FileError(path.string(), "cannot open optimizer state");
  load(is, path.string());
}

template <class T>
void Optimizer<T>::load(std::istream& is, const std::string& name) {
  StateReader in(is, name);
  in.tag("LDYNOPT\x01");
  const std::uint64_t version = in.u64();
  if (version != kStateVersion)
    in.fail("optimizer state version " + std::to_string(version) + " is not supported (this build reads " +
            std::to_string(kStateVersion) + ")");
  const std::uint64_t scalar = in.u64();
  if (scalar != sizeof(T))
    in.fail("state was saved in " + std::string(scalar == 4 ? "float" : "double") + ", this optimizer uses " +
            (sizeof(T) == 4 ? "float" : "double"));
  in.expect(in.u64(), groups_.size(), "number of parameter groups");
  // Load into fresh engines and swap them in only when the whole file has been read: a file that
  // fails half-way leaves this optimizer untouched.
  std::vector<std::unique_ptr<GroupEngine<T>>> engines;
  for (auto& g : groups_) {
    const auto structure = in.u64(), force = in.u64(), source = in.u64();
    if (structure != static_cast<std::uint64_t>(g->options.structure) ||
        force != static_cast<std::uint64_t>(g->options.force) || source != static_cast<std::uint64_t>(g->options.source))
      in.fail(std::string("state of another optimizer: ") + describe(structure, force, source) + " there, " +
              describe(static_cast<std::uint64_t>(g->options.structure), static_cast<std::uint64_t>(g->options.force),
                       static_cast<std::uint64_t>(g->options.source)) +
              " here");
    std::vector<std::size_t> sizes(g->sizes.size());
    in.array(std::span<std::size_t>(sizes), "tensor list");
    if (sizes != g->sizes) in.fail("tensor sizes differ from this optimizer's groups");
    engines.push_back(make_engine<T>(g->options, g->sizes));
    engines.back()->load(in);
  }
  const long t = in.i64();
  const long skipped = in.i64();
  in.tag("END-LDYN");
  for (std::size_t i = 0; i < groups_.size(); ++i) groups_[i]->engine = std::move(engines[i]);
  t_ = t;
  skipped_ = skipped;
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace ldyn::optim
