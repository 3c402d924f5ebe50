#include "nn/data/dataset.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/error.hpp"

namespace ldyn::nn {

namespace {
void check_index(const Dataset& d, Eigen::Index i) {
  if (i < 0 || i >= d.size())
    throw std::out_of_range("sample " + std::to_string(i) + " of " + d.name + " (" +
                            std::to_string(d.size()) + " samples)");
}
}  // namespace

Eigen::MatrixXf one_hot(const std::vector<int>& labels, int classes) {
  Eigen::MatrixXf t = Eigen::MatrixXf::Zero(classes, static_cast<Eigen::Index>(labels.size()));
  for (std::size_t i = 0; i < labels.size(); ++i) t(labels[i], static_cast<Eigen::Index>(i)) = 1.0f;
  return t;
}

void gather(const Dataset& d, std::span<const Eigen::Index> indices, Eigen::Index begin, Eigen::Index end,
            Eigen::MatrixXf& X, Eigen::MatrixXf& Y) {
  if (begin < 0 || end < begin || end > static_cast<Eigen::Index>(indices.size()))
    throw std::out_of_range("gather: range [" + std::to_string(begin) + ", " + std::to_string(end) +
                            ") outside " + std::to_string(indices.size()) + " indices");
  const Eigen::Index n = end - begin;
  // Same shape: keep the buffers, so a training loop reusing X and Y allocates only for its first
  // batch (and for a shorter last batch).
  if (X.rows() != d.features() || X.cols() != n) X.resize(d.features(), n);
  if (Y.rows() != d.outputs() || Y.cols() != n) Y.resize(d.outputs(), n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::Index i = indices[static_cast<std::size_t>(begin + j)];
    check_index(d, i);
    X.col(j) = d.inputs.col(i);
    Y.col(j) = d.targets.col(i);
  }
}

Dataset subset(const Dataset& d, std::span<const Eigen::Index> indices) {
  Dataset out;
  out.name = d.name;
  out.classes = d.classes;
  const auto n = static_cast<Eigen::Index>(indices.size());
  out.inputs.resize(d.features(), n);
  out.targets.resize(d.outputs(), n);
  const bool labelled = !d.labels.empty();
  if (labelled) out.labels.resize(indices.size());
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::Index i = indices[static_cast<std::size_t>(j)];
    check_index(d, i);
    out.inputs.col(j) = d.inputs.col(i);
    out.targets.col(j) = d.targets.col(i);
    if (labelled) out.labels[static_cast<std::size_t>(j)] = d.labels[static_cast<std::size_t>(i)];
  }
  return out;
}

Standardizer Standardizer::fit(const Eigen::MatrixXf& inputs, float floor) {
  // Sums in double: 60 000 samples summed in float lose about 3 digits of the mean.
  // Two passes (mean, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2.
  const Eigen::Index f = inputs.rows(), n = inputs.cols();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(f);
  for (Eigen::Index j = 0; j < n; ++j) sum += inputs.col(j).cast<double>();
  const Eigen::VectorXd mean = n > 0 ? Eigen::VectorXd(sum / static_cast<double>(n)) : sum;
  Eigen::VectorXd sq = Eigen::VectorXd::Zero(f);
  for (Eigen::Index j = 0; j < n; ++j) sq += (inputs.col(j).cast<double>() - mean).array().square().matrix();
  Standardizer s;
  s.mean = mean.cast<float>();
  s.scale.resize(f);
  for (Eigen::Index i = 0; i < f; ++i) {
    const double sd = n > 0 ? std::sqrt(sq(i) / static_cast<double>(n)) : 0.0;
    s.scale(i) = sd < static_cast<double>(floor) ? 1.0f : static_cast<float>(sd);
  }
  return s;
}

void Standardizer::apply(Eigen::MatrixXf& inputs) const {
  if (inputs.rows() != mean.size())
    throw InvalidOption("--data", "the data has " + std::to_string(inputs.rows()) +
                                      " features but the standardization was fitted on " +
                                      std::to_string(mean.size()));
  const Eigen::ArrayXf inv = scale.array().inverse();
  inputs.array().colwise() -= mean.array();
  inputs.array().colwise() *= inv;
}

}  // namespace ldyn::nn
