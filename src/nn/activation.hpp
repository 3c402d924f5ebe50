#pragma once
// The activation map f of a network, applied neuron by neuron: x_i = f(y_i), y = w x + b.
// Each function comes with its derivative written from what the forward pass already holds
// (the pre-activation y and the activation x), so backpropagation recomputes no exponentials.
#include <string>

#include <Eigen/Core>

namespace ldyn::nn {

enum class Activation { linear, tanh, relu, sigmoid, softplus };

const char* to_string(Activation a);
/// Parses "linear", "tanh", "relu", "sigmoid", "softplus"; throws InvalidOption(option, ...).
Activation activation_from_string(const std::string& name, const std::string& option = "--activation");
/// The names above, comma separated.
std::string activation_names();

/// x = f(y), elementwise. `x` may alias `y`.
template <class T>
void activate(Activation a, const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>& y,
              Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> x);

/// y <- y + b (b added to every column), then x = f(y): one pass over the block for linear and relu
/// (the forward step of a layer after its matrix product). `x` must not alias `y`.
template <class T>
void add_bias_and_activate(Activation a, const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, 1>>& b,
                           Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> y,
                           Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> x);
/// d <- d * f'(y), elementwise, with f'(y) taken from y or from x = f(y), whichever is cheaper:
///   linear 1, tanh 1 - x^2, relu [y > 0], sigmoid x (1 - x), softplus sigmoid(y).
template <class T>
void multiply_by_derivative(Activation a,
                            const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>& y,
                            const Eigen::Ref<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>& x,
                            Eigen::Ref<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>> d);

/// f(y) of one number (for the septuple's per-neuron maps and for tests).
double activate(Activation a, double y);
/// f'(y) of one number.
double derivative(Activation a, double y);

}  // namespace ldyn::nn
