#include "nn/septuple.hpp"

#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "core/random.hpp"

namespace ldyn::nn {

template <class T>
Septuple<T>::Septuple(Spec spec) : spec_(std::move(spec)) {
  const Eigen::Index n = spec_.neurons;
  if (n < 1) throw InvalidOption("--neurons", "a septuple needs at least one neuron");
  if (spec_.steps < 1) throw InvalidOption("--steps", "at least one activation step is needed");
  if (static_cast<Eigen::Index>(spec_.activation.size()) != n)
    throw InvalidOption("--activation", "one activation per neuron is needed (" + std::to_string(n) + ")");
  std::vector<char> role(static_cast<std::size_t>(n), 0);  // 1 input, 2 output
  for (Eigen::Index i : spec_.input_neurons) {
    if (i < 0 || i >= n || role[static_cast<std::size_t>(i)])
      throw InvalidOption("input_neurons", "index " + std::to_string(i) + " out of range or repeated");
    role[static_cast<std::size_t>(i)] = 1;
  }
  for (Eigen::Index i : spec_.output_neurons) {
    if (i < 0 || i >= n || role[static_cast<std::size_t>(i)] == 2)
      throw InvalidOption("output_neurons", "index " + std::to_string(i) + " out of range or repeated");
    role[static_cast<std::size_t>(i)] = role[static_cast<std::size_t>(i)] ? 3 : 2;
  }
  if (spec_.output_neurons.empty()) throw InvalidOption("output_neurons", "at least one output neuron is needed");
  for (Eigen::Index i = 0; i < n; ++i)
    if (!role[static_cast<std::size_t>(i)]) hidden_.push_back(i);
  input_row_.setZero(n);
  for (Eigen::Index i : spec_.input_neurons) input_row_(i) = T(1);
  if (spec_.mask.size() == 0) {
    spec_.mask.setOnes(n, n);
    for (Eigen::Index i : spec_.input_neurons) spec_.mask.row(i).setZero();
  }
  if (spec_.mask.rows() != n || spec_.mask.cols() != n)
    throw InvalidOption("mask", "the connectivity mask must be neurons x neurons");
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      // A clamped neuron never reads its inputs: weights into it would be variables without effect.
      if (spec_.mask(i, j) && !input_row_(i)) w_index_.push_back(j * n + i);
  params_.assign(w_index_.size() + static_cast<std::size_t>(n), T(0));
  w_.setZero(n, n);
}

template <class T>
Septuple<T> Septuple<T>::recurrent(Eigen::Index n_in, Eigen::Index n_hidden, Eigen::Index n_out, Activation hidden,
                                   Activation output, OutputLoss loss, int steps, double gain, std::uint64_t seed) {
  Spec s;
  s.neurons = n_in + n_hidden + n_out;
  for (Eigen::Index i = 0; i < n_in; ++i) s.input_neurons.push_back(i);
  for (Eigen::Index i = 0; i < n_out; ++i) s.output_neurons.push_back(n_in + n_hidden + i);
  s.activation.assign(static_cast<std::size_t>(n_in + n_hidden), hidden);
  s.activation.resize(static_cast<std::size_t>(s.neurons), output);
  s.steps = steps;
  s.loss = loss;
  Septuple net(s);
  Rng rng = make_stream(seed, "init");
  const double sd = gain / std::sqrt(static_cast<double>(s.neurons));
  for (std::size_t k = 0; k < net.w_index_.size(); ++k) net.params_[k] = static_cast<T>(sd * standard_normal(rng));
  return net;
}

template <class T>
typename Septuple<T>::Matrix Septuple<T>::w() const {
  Matrix w = Matrix::Zero(spec_.neurons, spec_.neurons);
  for (std::size_t k = 0; k < w_index_.size(); ++k) w.data()[w_index_[k]] = params_[k];
  return w;
}

template <class T>
void Septuple<T>::set_w(const Matrix& w) {
  if (w.rows() != spec_.neurons || w.cols() != spec_.neurons) throw std::invalid_argument("Septuple::set_w: shape");
  Matrix rest = w;
  for (std::size_t k = 0; k < w_index_.size(); ++k) {
    params_[k] = w.data()[w_index_[k]];
    rest.data()[w_index_[k]] = T(0);
  }
  if (rest.cwiseAbs().maxCoeff() != T(0))
    throw std::invalid_argument("Septuple::set_w: nonzero weight outside the connectivity mask");
}

template <class T>
void Septuple<T>::set_b(const Vector& b) {
  if (b.size() != spec_.neurons) throw std::invalid_argument("Septuple::set_b: size");
  for (Eigen::Index i = 0; i < b.size(); ++i) params_[w_index_.size() + static_cast<std::size_t>(i)] = b(i);
}

template <class T>
void Septuple<T>::scatter_w() {
  for (std::size_t k = 0; k < w_index_.size(); ++k) w_.data()[w_index_[k]] = params_[k];
}

template <class T>
void Septuple<T>::apply_activation(const Matrix& y, Matrix& x) const {
  x.resize(y.rows(), y.cols());
  for (Eigen::Index i = 0; i < y.rows(); ++i) {
    const Activation a = spec_.activation[static_cast<std::size_t>(i)];
    for (Eigen::Index s = 0; s < y.cols(); ++s) x(i, s) = static_cast<T>(nn::activate(a, static_cast<double>(y(i, s))));
  }
}

template <class T>
void Septuple<T>::multiply_derivative(const Matrix& y, Matrix& d) const {
  for (Eigen::Index i = 0; i < y.rows(); ++i) {
    const Activation a = spec_.activation[static_cast<std::size_t>(i)];
    for (Eigen::Index s = 0; s < y.cols(); ++s) d(i, s) *= static_cast<T>(derivative(a, static_cast<double>(y(i, s))));
  }
}

template <class T>
const typename Septuple<T>::Matrix& Septuple<T>::activate(const Matrix& inputs) {
  if (inputs.rows() != this->inputs())
    throw InvalidOption("--layers", "the network has " + std::to_string(this->inputs()) + " input neurons, the data " +
                                        std::to_string(inputs.rows()) + " features");
  scatter_w();
  const Eigen::Index n = spec_.neurons, batch = inputs.cols();
  const auto steps = static_cast<std::size_t>(spec_.steps);
  xs_.resize(steps + 1);
  ys_.resize(steps);
  xs_[0].setZero(n, batch);
  for (std::size_t k = 0; k < spec_.input_neurons.size(); ++k)
    xs_[0].row(spec_.input_neurons[k]) = inputs.row(static_cast<Eigen::Index>(k));
  for (std::size_t t = 0; t < steps; ++t) {
    ys_[t].noalias() = w_ * xs_[t];
    ys_[t].colwise() += b();
    apply_activation(ys_[t], xs_[t + 1]);
    for (Eigen::Index i : spec_.input_neurons) xs_[t + 1].row(i) = xs_[0].row(i);  // clamped
  }
  return xs_.back();
}

template <class T>
void Septuple<T>::bulk_residual(const Matrix& x, Matrix& y, Matrix& r) const {
  y.noalias() = w_ * x;
  y.colwise() += b();
  apply_activation(y, r);
  r = x - r;
  Matrix keep = Matrix::Zero(r.rows(), r.cols());
  for (Eigen::Index i : hidden_) keep.row(i) = r.row(i);
  r.swap(keep);
}

template <class T>
double Septuple<T>::bulk_loss(const Matrix& x) const {
  if (x.cols() == 0) return 0.0;
  Matrix w = this->w(), y = w * x;
  y.colwise() += b();
  double h = 0;
  for (Eigen::Index i : hidden_) {
    const Activation a = spec_.activation[static_cast<std::size_t>(i)];
    for (Eigen::Index s = 0; s < x.cols(); ++s) {
      const double r = static_cast<double>(x(i, s)) - nn::activate(a, static_cast<double>(y(i, s)));
      h += 0.5 * r * r;
    }
  }
  return h / static_cast<double>(x.cols());
}

template <class T>
std::pair<double, double> Septuple<T>::loss_parts(const Matrix& inputs, const Matrix& targets) {
  const Matrix& x = activate(inputs);
  Matrix out(outputs(), x.cols());
  for (std::size_t k = 0; k < spec_.output_neurons.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = x.row(spec_.output_neurons[k]);
  return {boundary_loss<T>(spec_.loss, out, targets), bulk_loss(x)};
}

template <class T>
double Septuple<T>::loss_and_gradient(const Matrix& inputs, const Matrix& targets, std::span<T> grad) {
  if (grad.size() != params_.size()) throw std::invalid_argument("Septuple::loss_and_gradient: gradient size");
  const Matrix& xt = activate(inputs);
  const Eigen::Index n = spec_.neurons, batch = xt.cols();
  const auto steps = static_cast<std::size_t>(spec_.steps);
  dw_.setZero(n, n);
  Vector db = Vector::Zero(n);
  Matrix g = Matrix::Zero(n, batch);  // dH/dx_T
  double h = 0;
  if (spec_.boundary_weight != 0) {
    Matrix out(outputs(), batch), cot;
    for (std::size_t k = 0; k < spec_.output_neurons.size(); ++k) out.row(static_cast<Eigen::Index>(k)) = xt.row(spec_.output_neurons[k]);
    h += spec_.boundary_weight * boundary_loss<T>(spec_.loss, out, targets, cot);
    for (std::size_t k = 0; k < spec_.output_neurons.size(); ++k)
      g.row(spec_.output_neurons[k]) += static_cast<T>(spec_.boundary_weight) * cot.row(static_cast<Eigen::Index>(k));
  }
  if (spec_.bulk_weight != 0 && batch > 0) {
    // H_bulk = 1/(2B) sum_hidden r^2, r = x - f(y), y = w x + b:
    //   dH/dx = (r - w^T (r f'(y))) / B,  dH/dw = -(r f'(y)) x^T / B,  dH/db = -(r f'(y)) 1 / B
    Matrix y, r;
    bulk_residual(xt, y, r);
    const T scale = static_cast<T>(spec_.bulk_weight / static_cast<double>(batch));
    h += 0.5 * spec_.bulk_weight * static_cast<double>(r.squaredNorm()) / static_cast<double>(batch);
    Matrix rd = r;
    multiply_derivative(y, rd);
    g += scale * (r - w_.transpose() * rd);
    dw_.noalias() -= scale * rd * xt.transpose();
    db -= scale * rd.rowwise().sum();
  }
  // Through the steps: x_{t+1} = f(y_t) on free rows, y_t = w x_t + b.
  Matrix d;
  for (std::size_t t = steps; t-- > 0;) {
    d = g;
    for (Eigen::Index i : spec_.input_neurons) d.row(i).setZero();  // clamped rows do not depend on y_t
    multiply_derivative(ys_[t], d);
    dw_.noalias() += d * xs_[t].transpose();
    db += d.rowwise().sum();
    g.noalias() = w_.transpose() * d;
  }
  for (std::size_t k = 0; k < w_index_.size(); ++k) grad[k] = dw_.data()[w_index_[k]];
  for (Eigen::Index i = 0; i < n; ++i) grad[w_index_.size() + static_cast<std::size_t>(i)] = db(i);
  return h;
}

template <class T>
void Septuple<T>::predict(const Matrix& inputs, Matrix& outputs) {
  const Matrix& x = activate(inputs);
  outputs.resize(this->outputs(), x.cols());
  for (std::size_t k = 0; k < spec_.output_neurons.size(); ++k)
    outputs.row(static_cast<Eigen::Index>(k)) = x.row(spec_.output_neurons[k]);
}

template <class T>
std::string Septuple<T>::describe() const {
  std::string s = "septuple of " + std::to_string(spec_.neurons) + " neurons (" + std::to_string(inputs()) + " in, " +
                  std::to_string(hidden_.size()) + " hidden, " + std::to_string(outputs()) + " out), " +
                  std::to_string(w_index_.size()) + " weights, " + std::to_string(spec_.steps) + " steps, " +
                  to_string(spec_.loss);
  if (spec_.bulk_weight != 0) s += " + " + std::to_string(spec_.bulk_weight) + " bulk";
  return s;
}

template <class T>
std::vector<std::size_t> Septuple<T>::blocks() const {
  return {w_index_.size(), static_cast<std::size_t>(spec_.neurons)};
}

template <class T>
std::vector<std::string> Septuple<T>::block_names() const {
  return {"w", "b"};
}

template class Septuple<float>;
template class Septuple<double>;

}  // namespace ldyn::nn
