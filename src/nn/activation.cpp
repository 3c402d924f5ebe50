#include "nn/activation.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ldyn::nn {

namespace {
constexpr Activation kAll[] = {Activation::linear, Activation::tanh, Activation::relu, Activation::sigmoid,
                               Activation::softplus};
}  // namespace

const char* to_string(Activation a) {
  switch (a) {
    case Activation::linear: return "linear";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::sigmoid: return "sigmoid";
    case Activation::softplus: return "softplus";
  }
  return "?";
}

std::string activation_names() {
  std::string s;
  for (Activation a : kAll) s += (s.empty() ? "" : ", ") + std::string(to_string(a));
  return s;
}

Activation activation_from_string(const std::string& name, const std::string& option) {
  for (Activation a : kAll)
    if (name == to_string(a)) return a;
  throw InvalidOption(option, "unknown activation '" + name + "' (one of: " + activation_names() + ")");
}

template <class T>
void activate(Activation a, const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>& y,
              Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> x) {
  const auto ya = y.array();
  auto xa = x.array();
  switch (a) {
    case Activation::linear: xa = ya; return;
    case Activation::tanh: xa = ya.tanh(); return;
    case Activation::relu: xa = ya.max(T(0)); return;
    // 1 / (1 + e^-y) overflows harmlessly to 0 for y -> -inf (e^-y = inf), never NaN.
    case Activation::sigmoid: xa = T(1) / (T(1) + (-ya).exp()); return;
    // log(1 + e^y) = max(y, 0) + log1p(e^-|y|): exact for large |y| where e^y would overflow.
    case Activation::softplus: xa = ya.max(T(0)) + (-ya.abs()).exp().log1p(); return;
  }
}

template <class T>
void add_bias_and_activate(Activation a, const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, 1>>& b,
                           Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> y,
                           Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> x) {
  const Eigen::Index rows = y.rows();
  const T* bp = b.data();
  if (a == Activation::relu || a == Activation::linear) {
    const bool relu = a == Activation::relu;
    for (Eigen::Index j = 0; j < y.cols(); ++j) {
      T* yc = y.col(j).data();
      T* xc = x.col(j).data();
#pragma omp simd
      for (Eigen::Index i = 0; i < rows; ++i) {
        const T v = yc[i] + bp[i];
        yc[i] = v;
        xc[i] = relu ? std::max(v, T(0)) : v;
      }
    }
    return;
  }
  y.colwise() += b;
  activate<T>(a, y, x);
}

template <class T>
void multiply_by_derivative(Activation a,
                            const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>& y,
                            const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>& x,
                            Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> d) {
  auto da = d.array();
  switch (a) {
    case Activation::linear: return;
    case Activation::tanh: da *= T(1) - x.array().square(); return;
    case Activation::relu: da = (y.array() > T(0)).select(da, T(0)); return;
    case Activation::sigmoid: da *= x.array() * (T(1) - x.array()); return;
    case Activation::softplus: da *= T(1) / (T(1) + (-y.array()).exp()); return;
  }
}

double activate(Activation a, double y) {
  switch (a) {
    case Activation::linear: return y;
    case Activation::tanh: return std::tanh(y);
    case Activation::relu: return y > 0 ? y : 0.0;
    case Activation::sigmoid: return 1.0 / (1.0 + std::exp(-y));
    case Activation::softplus: return std::max(y, 0.0) + std::log1p(std::exp(-std::abs(y)));
  }
  return y;
}

double derivative(Activation a, double y) {
  switch (a) {
    case Activation::linear: return 1.0;
    case Activation::tanh: { const double t = std::tanh(y); return 1.0 - t * t; }
    case Activation::relu: return y > 0 ? 1.0 : 0.0;
    case Activation::sigmoid:
    case Activation::softplus: { const double s = 1.0 / (1.0 + std::exp(-y)); return a == Activation::sigmoid ? s * (1 - s) : s; }
  }
  return 1.0;
}

#define LDYN_INSTANTIATE(T)                                                                                  \
  template void add_bias_and_activate<T>(Activation, const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, 1>>&, \
                                         Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>,            \
                                         Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>);           \
  template void activate<T>(Activation, const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>&, \
                            Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>);                   \
  template void multiply_by_derivative<T>(Activation,                                                        \
                                          const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>&, \
                                          const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>&, \
                                          Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>);
LDYN_INSTANTIATE(float)
LDYN_INSTANTIATE(double)
#undef LDYN_INSTANTIATE

}  // namespace ldyn::nn
