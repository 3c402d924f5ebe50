#pragma once
// Ridge-regularized linear least squares of reference forces on the model's basis, with the
// regularization chosen by K-fold cross-validation over blocks of frames.
//
// Frames are assigned to groups: K training folds (contiguous blocks, since neighbouring MD frames
// are correlated) and one held-out test group. Each group keeps the normal equations of its rows,
// per species of the atom the force acts on (Gram AᵀA, Aᵀy, yᵀy), so that every fold's fit and
// score come from sums of these small matrices without touching the data again.
//
// For a relative strength λ the coefficients solve (AᵀA + λ·μ·R) c = Aᵀy with μ = tr(AᵀA)/P, which
// makes λ dimensionless, and R = I + s·(Δ²)ᵀΔ² the ridge-plus-roughness penalty of penalty.hpp. Agent dynamics: each species is an independent problem (its forces depend
// only on its own coefficients) with its own λ. Symmetric dynamics: one joint problem, one λ.
#include <vector>

#include <Eigen/Core>

#include "molecular/fit/force_design.hpp"
#include "molecular/fit/penalty.hpp"

namespace ldyn::molecular {

struct RidgeSettings {
  std::vector<double> lambdas = {1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2};
  int folds = 5;  ///< training folds (≥ 2 for cross-validation; 1 uses lambdas.front())
  /// normal: Cholesky-type solve of the normal equations (memory P², fast; accurate to about
  /// √ε relative in ill-conditioned directions). qr: the final fit by a complete orthogonal
  /// decomposition of the stacked rows [A; √(λμ) I] (needs the accumulator to keep rows; accurate
  /// to machine precision). Cross-validation always uses the normal equations.
  enum class Solver { normal, qr } solver = Solver::normal;
  /// Weight s of the roughness penalty (0: plain ridge).
  double smoothness = 10.0;
};

struct SpeciesScore {
  double lambda = 0.0;
  std::vector<double> cv_rmse;  ///< per lambda, eV/Å
  double rmse_train = 0.0, r2_train = 0.0;
  double rmse_test = 0.0, r2_test = 0.0;  ///< NaN when no test frames
  long rows_train = 0, rows_test = 0;
};

struct RidgeResult {
  Eigen::VectorXd coefficients;
  double smoothness = 0.0;  ///< s of the penalty the coefficients were fitted with
  std::vector<SpeciesScore> species;
};

class RidgeAccumulator {
 public:
  /// `folds` training groups plus one test group (index `folds`). `keep_rows` stores every design
  /// row as well (memory: rows × columns doubles), for Solver::qr and exact scores.
  RidgeAccumulator(const ModelSpec& spec, int folds, bool keep_rows = false);
  /// Adds a frame's design to group `group` (0 … folds−1 train, folds test).
  void add(const ForceDesign& design, int group);
  RidgeResult solve(const RidgeSettings& settings) const;
  /// Force RMSE and R² on the training and test groups, per species, of any coefficients.
  std::vector<SpeciesScore> score(const Eigen::VectorXd& coefficients) const;

 private:
  struct Gram {
    Eigen::MatrixXd ata;
    Eigen::VectorXd aty;
    double yty = 0.0, ysum = 0.0;
    long rows = 0;
    void add(const Eigen::MatrixXd& a, const Eigen::VectorXd& y);
    Gram& operator+=(const Gram& o);
    /// Σ(y − A c)² from the normal equations (clamped at 0 against rounding).
    double sse(const Eigen::VectorXd& c) const;
    double sst() const { return rows ? yty - ysum * ysum / static_cast<double>(rows) : 0.0; }
  };
  /// Sum over groups in `use` (true entries) for species s (or all species when s < 0).
  Gram sum(const std::vector<bool>& use, int s) const;
  static Eigen::VectorXd solve_one(const Gram& g, double lambda, const Eigen::MatrixXd& penalty);
  /// Stacked kept rows of the groups in `use` for species s (all species when s < 0).
  void stack(const std::vector<bool>& use, int s, Eigen::MatrixXd& a, Eigen::VectorXd& y) const;
  Eigen::VectorXd solve_qr(const std::vector<bool>& use, int s, double lambda, const Gram& g,
                           const Eigen::MatrixXd& penalty_rows) const;
  /// Sum of squared residuals: from kept rows when there are some, else from the Gram.
  double sse(const std::vector<bool>& use, int s, const Gram& g, const Eigen::VectorXd& c) const;

  ModelSpec spec_;
  int folds_;
  bool keep_rows_;
  std::vector<std::vector<Gram>> groups_;  // [group][species]
  struct Rows {
    std::vector<Eigen::MatrixXd> a;
    std::vector<Eigen::VectorXd> y;
  };
  std::vector<std::vector<Rows>> rows_;  // [group][species], when keep_rows_
};

}  // namespace ldyn::molecular
