#pragma once
// A model whose gradient is a fixed vector and whose loss is a known sequence, so that a trainer
// driving it with plain SGD moves every variable by exactly -lr g_i per step: the recorder's and
// the plateau detector's answers can then be computed by hand.
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/data/dataset.hpp"
#include "nn/model.hpp"
#include "nn/train/trainer.hpp"
#include "optim/presets.hpp"

namespace ldyn::nn::testing {

class FixedGradientModel final : public Model<float> {
 public:
  /// q starts at q0; every call returns loss0 * decay^calls and the gradient g.
  FixedGradientModel(std::vector<float> q0, std::vector<float> g, double loss0 = 1.0, double decay = 1.0)
      : q_(q0.begin(), q0.end()), g_(std::move(g)), loss0_(loss0), decay_(decay) {}
  std::string describe() const override { return "fixed gradient"; }
  Eigen::Index inputs() const override { return 1; }
  Eigen::Index outputs() const override { return 1; }
  OutputLoss loss_kind() const override { return OutputLoss::mse; }
  std::span<float> parameters() override { return q_; }
  std::span<const float> parameters() const override { return q_; }
  std::vector<std::size_t> blocks() const override { return {q_.size()}; }
  std::vector<std::string> block_names() const override { return {"q"}; }
  double loss_and_gradient(const MatrixX<float>&, const MatrixX<float>&, std::span<float> grad) override {
    std::copy(g_.begin(), g_.end(), grad.begin());
    return loss0_ * std::pow(decay_, static_cast<double>(calls_++));
  }
  void predict(const MatrixX<float>& inputs, MatrixX<float>& outputs) override {
    outputs.setZero(1, inputs.cols());
  }
  long calls() const { return calls_; }

 private:
  ParameterVector<float> q_;
  std::vector<float> g_;
  double loss0_, decay_;
  long calls_ = 0;
};

/// `samples` training samples of one feature (no validation or test set): with batch b, an epoch
/// is ceil(samples / b) steps.
inline DataSplit tiny_regression(Eigen::Index samples) {
  DataSplit d;
  d.train.name = "tiny (train)";
  d.train.inputs = Eigen::MatrixXf::Zero(1, samples);
  d.train.targets = Eigen::MatrixXf::Zero(1, samples);
  return d;
}

/// Plain SGD, q <- q - lr g, with a learning rate that keeps every product exact in float.
inline optim::Options exact_sgd(double lr = 0.5) {
  optim::Options o = optim::preset("sgd");
  o.lr = lr;
  return o;
}

/// The option named by the InvalidOption that f() throws, or "none" when it throws none.
template <class F>
std::string refused_option(F&& f) {
  try {
    f();
  } catch (const InvalidOption& e) {
    return e.option();
  }
  return "none";
}

}  // namespace ldyn::nn::testing
