#pragma once
// Ready-made callbacks for optimize(): progress bar, periodic loss printing, early stop, and
// keeping the best point seen.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include <Eigen/Dense>

#include "core/progress.hpp"
#include "optim/optimize.hpp"

namespace ldyn::optim {

/// Draws a progress bar (on a terminal only) with the current loss.
class ProgressBarCallback {
 public:
  ProgressBarCallback(long total, std::string label = "optimize") : bar_(total, std::move(label)) {}
  bool step_end(const StepInfo& info, const Eigen::VectorXd&) {
    char status[64];
    std::snprintf(status, sizeof status, "loss %.4g", info.loss);
    bar_.update(info.step + 1, status);
    return false;
  }
  void end(const StepInfo& info, const Eigen::VectorXd&) {
    char status[64];
    std::snprintf(status, sizeof status, "loss %.4g", info.loss);
    bar_.finish(status);
  }

 private:
  ProgressBar bar_;
};

/// Prints "step loss grad_norm" every `every` steps to `out`.
class PrintLoss {
 public:
  explicit PrintLoss(long every = 100, std::FILE* out = stdout) : every_(every), out_(out) {}
  bool step_end(const StepInfo& info, const Eigen::VectorXd&) {
    if (every_ > 0 && info.step % every_ == 0)
      std::fprintf(out_, "step %8ld  loss %.6e  |grad| %.3e\n", info.step, info.loss, info.report.grad_norm);
    return false;
  }

 private:
  long every_;
  std::FILE* out_;
};

/// Stops when the loss reaches `target`, or when it has not improved on its best by a relative
/// `min_delta` for `patience` steps (patience 0 = never stop for that reason).
class EarlyStop {
 public:
  explicit EarlyStop(double target = -std::numeric_limits<double>::infinity(), long patience = 0,
                     double min_delta = 0.0)
      : target_(target), patience_(patience), min_delta_(min_delta) {}
  bool step_end(const StepInfo& info, const Eigen::VectorXd&) {
    if (!std::isfinite(info.loss)) {
      reason_ = "loss is not finite";
      return true;
    }
    if (info.loss <= target_) {
      reason_ = "target reached";
      return true;
    }
    // The first loss always improves on the initial +inf: min_delta * |inf| would be NaN for
    // min_delta = 0 (0 * inf), and every comparison with NaN is false, so best_ stayed +inf and
    // `patience` stopped the loop after exactly `patience` steps, however fast the loss fell.
    const bool improved = std::isinf(best_) || info.loss < best_ - min_delta_ * std::abs(best_);
    if (improved) {
      best_ = info.loss;
      since_best_ = 0;
    } else if (patience_ > 0 && ++since_best_ >= patience_) {
      reason_ = "no improvement for " + std::to_string(patience_) + " steps";
      return true;
    }
    return false;
  }
  /// Why the loop stopped early ("" if it did not).
  const std::string& reason() const { return reason_; }

 private:
  double target_;
  long patience_;
  double min_delta_;
  double best_ = std::numeric_limits<double>::infinity();
  long since_best_ = 0;
  std::string reason_;
};

/// Keeps the point with the lowest loss seen. Note: the loss of step s belongs to the point
/// before that step's update, so the copy is taken in begin() / before the update is seen.
class StoreBest {
 public:
  void begin(const Eigen::VectorXd& x) { previous_ = x; }
  bool step_end(const StepInfo& info, const Eigen::VectorXd& x) {
    if (info.loss < best_loss_) {
      best_loss_ = info.loss;
      best_ = previous_;  // the point at which info.loss was evaluated
    }
    previous_ = x;
    return false;
  }
  double best_loss() const { return best_loss_; }
  const Eigen::VectorXd& best() const { return best_; }

 private:
  Eigen::VectorXd previous_, best_;
  double best_loss_ = std::numeric_limits<double>::infinity();
};

}  // namespace ldyn::optim
