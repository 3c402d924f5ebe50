#include "nn/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <fstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "nn/data/shuffle.hpp"
#include "optim/state_io.hpp"

namespace ldyn::nn {

namespace {

constexpr char kMagic[9] = "LDYNNNCK";
constexpr std::uint64_t kVersion = 1;

// A float data set into a T matrix without a copy for float networks.
template <class T>
const MatrixX<T>& as_model_type(const Eigen::MatrixXf& m, MatrixX<T>& buffer) {
  if constexpr (std::is_same_v<T, float>) {
    (void)buffer;
    return m;
  } else {
    buffer = m.cast<T>();
    return buffer;
  }
}

}  // namespace

template <class T>
Evaluation evaluate(Model<T>& model, const Dataset& d, Eigen::Index batch) {
  Evaluation e;
  if (d.size() == 0) return e;
  MatrixX<T> out, xb, yb;
  double loss_sum = 0;
  long correct = 0;
  for (Eigen::Index s = 0; s < d.size(); s += batch) {
    const Eigen::Index n = std::min(batch, d.size() - s);
    if constexpr (std::is_same_v<T, float>) {
      xb = d.inputs.middleCols(s, n);
      yb = d.targets.middleCols(s, n);
    } else {
      xb = d.inputs.middleCols(s, n).template cast<T>();
      yb = d.targets.middleCols(s, n).template cast<T>();
    }
    model.predict(xb, out);
    loss_sum += boundary_loss<T>(model.loss_kind(), out, yb) * static_cast<double>(n);
    if (d.classification()) correct += count_correct<T>(out, yb);
  }
  e.loss = loss_sum / static_cast<double>(d.size());
  if (d.classification()) e.accuracy = static_cast<double>(correct) / static_cast<double>(d.size());
  return e;
}

template <class T>
Trainer<T>::Trainer(Model<T>& model, const optim::Options& options, TrainSettings settings)
    : model_(model), options_(options), settings_(std::move(settings)) {
  if (settings_.epochs < 0) throw InvalidOption("--epochs", "must be >= 0");
  if (settings_.batch < 1) throw InvalidOption("--batch", "must be >= 1");
  if (settings_.checkpoint_every < 1) throw InvalidOption("--checkpoint-every", "must be >= 1");
  optim::validate(options_);
  reset_optimizer();
}

template <class T>
Trainer<T>::~Trainer() = default;

template <class T>
void Trainer<T>::reset_optimizer() {
  const std::vector<std::size_t> blocks = model_.blocks();
  const auto names = model_.block_names();
  const bool dense = options_.structure == optim::Structure::full || options_.structure == optim::Structure::block;
  if (dense) {
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const std::size_t n = options_.structure == optim::Structure::block && options_.block_size > 0
                                ? std::min(options_.block_size, blocks[k])
                                : blocks[k];
      if (n > settings_.max_dense_block)
        throw InvalidOption("--optimizer", "a dense metric over " + names[k] + " (" + std::to_string(blocks[k]) +
                                               " parameters) needs a " + std::to_string(n) + " x " + std::to_string(n) +
                                               " matrix; use cgd-block with --block-size (e.g. 256), or a smaller network");
    }
  }
  optimizer_ = std::make_unique<optim::Optimizer<T>>(options_);
  // One group per layer: per-layer options are possible, and cgd-block with block_size 0 is dense
  // within a layer and zero across layers.
  for (std::size_t b : blocks) optimizer_->add_group({b});
  grad_.assign(model_.parameters().size(), T(0));
}

template <class T>
void Trainer<T>::set_options(const optim::Options& options) {
  optim::validate(options);
  options_ = options;
  for (std::size_t g = 0; g < optimizer_->groups(); ++g) optimizer_->set_options(g, options);
}

template <class T>
double Trainer<T>::train_step(const MatrixX<T>& inputs, const MatrixX<T>& targets) {
  if (grad_.size() != model_.parameters().size()) reset_optimizer();
  // The message suffix is built only on failure: the step itself allocates nothing.
  const auto where = [&] {
    return " at epoch " + std::to_string(epoch_ + 1) + ", step " + std::to_string(steps_ + 1) +
           " (learning rate too large? try a smaller --lr)";
  };
  const double h = model_.loss_and_gradient(inputs, targets, grad_);
  if (!std::isfinite(h))
    throw NonFiniteError("the training loss became " + std::string(std::isnan(h) ? "NaN" : "infinite") + where());
  try {
    optimizer_->step(model_.parameters(), std::span<const T>(grad_));
  } catch (const NonFiniteError& e) {
    throw NonFiniteError(e.what() + where());
  }
  ++steps_;
  return h;
}

template <class T>
const EpochRow& Trainer<T>::train_epoch(const DataSplit& data) {
  const Dataset& train = data.train;
  if (train.size() == 0) throw InvalidOption("--data", "the training set is empty");
  if (train.features() != model_.inputs())
    throw InvalidOption("--layers", "the network has " + std::to_string(model_.inputs()) + " inputs, the data set " +
                                        train.name + " has " + std::to_string(train.features()) + " features");
  if (train.outputs() != model_.outputs())
    throw InvalidOption("--layers", "the network has " + std::to_string(model_.outputs()) + " outputs, the data set " +
                                        train.name + " has " + std::to_string(train.outputs()) + " targets per sample");
  const long epoch = epoch_ + 1;
  Rng rng = make_stream(settings_.seed, "minibatch-epoch-" + std::to_string(epoch));
  const std::vector<Eigen::Index> order = random_permutation(train.size(), rng);
  const Eigen::Index batch = std::min(settings_.batch, train.size());
  const long batches = static_cast<long>((train.size() + batch - 1) / batch);
  const auto start = std::chrono::steady_clock::now();
  double loss_sum = 0;
  MatrixX<T> xbuf, ybuf;
  for (long k = 0; k < batches; ++k) {
    const Eigen::Index begin = k * batch, end = std::min(train.size(), begin + batch);
    gather(train, order, begin, end, xf_, yf_);
    const double h = train_step(as_model_type<T>(xf_, xbuf), as_model_type<T>(yf_, ybuf));
    loss_sum += h * static_cast<double>(end - begin);
    if (settings_.on_batch) settings_.on_batch(k + 1, batches, h);
  }
  EpochRow row;
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  row.epoch = epoch;
  row.steps = steps_;
  row.train_loss = loss_sum / static_cast<double>(train.size());
  row.validation = evaluate<T>(model_, data.validation, settings_.eval_batch);
  row.test = evaluate<T>(model_, data.test, settings_.eval_batch);
  epoch_ = epoch;
  history_.push_back(row);
  if (settings_.on_epoch) settings_.on_epoch(row);
  return history_.back();
}

template <class T>
const std::vector<EpochRow>& Trainer<T>::run(const DataSplit& data) {
  while (epoch_ < settings_.epochs) {
    train_epoch(data);
    if (!settings_.checkpoint.empty() && (epoch_ % settings_.checkpoint_every == 0 || epoch_ == settings_.epochs))
      save_checkpoint(settings_.checkpoint);
  }
  return history_;
}

template <class T>
void Trainer<T>::save_checkpoint(const std::string& path) const {
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        optim::StateWriter w(out);
        w.tag(kMagic);
        w.u64(kVersion);
        w.u64(sizeof(T));
        w.array<T>(model_.parameters());
        const auto blocks = model_.blocks();
        w.array<std::size_t>(blocks);
        w.i64(epoch_);
        w.i64(steps_);
        w.u64(history_.size());
        for (const EpochRow& r : history_) {
          w.i64(r.epoch);
          w.i64(r.steps);
          for (double v : {r.train_loss, r.validation.loss, r.validation.accuracy, r.test.loss, r.test.accuracy, r.seconds})
            w.f64(v);
        }
        optimizer_->save(out);
      },
      true);
}

template <class T>
void Trainer<T>::load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot open checkpoint");
  optim::StateReader r(in, path);
  r.header(kMagic, kVersion);
  r.expect(r.u64(), sizeof(T), "floating-point size");
  // Read into copies: a checkpoint that fails half-way leaves the run untouched.
  ParameterVector<T> params(model_.parameters().size());
  r.array<T>(std::span<T>(params), "network parameters");
  std::vector<std::size_t> blocks = model_.blocks();
  std::vector<std::size_t> saved(blocks.size());
  r.array<std::size_t>(saved, "layer blocks");
  if (saved != blocks) r.fail("the checkpoint was written by a network with different layer sizes");
  const long epoch = r.i64(), steps = r.i64();
  const std::uint64_t rows = r.u64();
  if (rows > 100000000) r.fail("corrupt epoch count");
  std::vector<EpochRow> history(rows);
  for (EpochRow& row : history) {
    row.epoch = r.i64();
    row.steps = r.i64();
    row.train_loss = r.f64();
    row.validation.loss = r.f64();
    row.validation.accuracy = r.f64();
    row.test.loss = r.f64();
    row.test.accuracy = r.f64();
    row.seconds = r.f64();
  }
  optimizer_->load(in, path);  // validates its own part; throws before we commit anything else
  std::copy(params.begin(), params.end(), model_.parameters().begin());
  epoch_ = epoch;
  steps_ = steps;
  history_ = std::move(history);
}

template class Trainer<float>;
template class Trainer<double>;
template Evaluation evaluate<float>(Model<float>&, const Dataset&, Eigen::Index);
template Evaluation evaluate<double>(Model<double>&, const Dataset&, Eigen::Index);

}  // namespace ldyn::nn
