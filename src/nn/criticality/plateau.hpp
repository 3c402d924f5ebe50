#pragma once
// When has training reached its plateau? The criticality measurement (docs/nn_criticality.md)
// records fluctuations only once the loss has stopped improving, so that what it sees is the
// learning equilibrium and not the descent towards it.
//
// Criterion: the relative improvement of epoch e's training loss over the best earlier epoch,
//   r_e = (min_{k<e} L_k - L_e) / min_{k<e} L_k,
// is at most `tolerance` for `patience` consecutive epochs (the first epoch has no r and never
// counts). An epoch worse than the best so far has r < 0 and counts as flat: noise around a
// plateau must not restart the count. This is PyTorch's ReduceLROnPlateau test in relative mode
// (threshold = tolerance), except that every epoch updates the best: a steady descent of less
// than `tolerance` per epoch is a plateau, i.e. the loss is in equilibrium on the time scale of
// an epoch, which is what the fluctuation window needs.
#include <limits>

#include "nn/data/dataset.hpp"
#include "nn/train/trainer.hpp"

namespace ldyn::nn {

struct PlateauCriterion {
  /// An epoch is flat when r_e <= tolerance (>= 0). With patience 10 the defaults ask for a loss
  /// that has improved by less than ~10% over the last 10 epochs.
  double tolerance = 1e-2;
  long patience = 10;       ///< consecutive flat epochs that make a plateau (>= 1)
  long max_epochs = 300;    ///< stop (plateau not reached) after this many epochs (>= 1)
};

/// Throws InvalidOption naming --plateau-tolerance, --patience or --max-epochs for impossible values.
void validate(const PlateauCriterion& c);

/// The criterion applied to a stream of epoch losses.
class PlateauDetector {
 public:
  explicit PlateauDetector(PlateauCriterion criterion);  ///< validates
  /// Adds the next epoch's training loss; returns reached(). Throws NonFiniteError on NaN/inf.
  bool add(double epoch_loss);
  bool reached() const { return flat_ >= criterion_.patience; }
  long epochs() const { return epochs_; }
  long flat_epochs() const { return flat_; }
  /// r of the last epoch (NaN after the first).
  double last_improvement() const { return last_improvement_; }

 private:
  PlateauCriterion criterion_;
  long epochs_ = 0, flat_ = 0;
  double best_ = std::numeric_limits<double>::infinity();
  double last_improvement_ = std::numeric_limits<double>::quiet_NaN();
};

struct PlateauResult {
  long epochs = 0;          ///< epochs trained by train_to_plateau
  bool reached = false;     ///< false: stopped at max_epochs
  double train_loss = std::numeric_limits<double>::quiet_NaN();  ///< of the last epoch
  double last_improvement = std::numeric_limits<double>::quiet_NaN();
};

/// Trains epoch by epoch (Trainer::train_epoch) until the criterion holds or max_epochs epochs
/// have run, counting from the trainer's current epoch.
template <class T>
PlateauResult train_to_plateau(Trainer<T>& trainer, const DataSplit& data, const PlateauCriterion& criterion);

extern template PlateauResult train_to_plateau<float>(Trainer<float>&, const DataSplit&, const PlateauCriterion&);
extern template PlateauResult train_to_plateau<double>(Trainer<double>&, const DataSplit&, const PlateauCriterion&);

}  // namespace ldyn::nn
