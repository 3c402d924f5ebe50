#include "nn/criticality/plateau.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace ldyn::nn {

void validate(const PlateauCriterion& c) {
  if (!(c.tolerance >= 0) || !std::isfinite(c.tolerance))
    throw InvalidOption("--plateau-tolerance", "must be a finite number >= 0");
  if (c.patience < 1) throw InvalidOption("--patience", "must be >= 1");
  if (c.max_epochs < 1) throw InvalidOption("--max-epochs", "must be >= 1");
}

PlateauDetector::PlateauDetector(PlateauCriterion criterion) : criterion_(criterion) { validate(criterion_); }

bool PlateauDetector::add(double loss) {
  if (!std::isfinite(loss))
    throw NonFiniteError("the epoch training loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                         " at epoch " + std::to_string(epochs_ + 1));
  ++epochs_;
  if (epochs_ > 1) {
    // A best loss of 0 cannot be improved on: every later epoch is flat.
    last_improvement_ = best_ > 0 ? (best_ - loss) / best_ : 0.0;
    flat_ = last_improvement_ <= criterion_.tolerance ? flat_ + 1 : 0;
  }
  if (loss < best_) best_ = loss;
  return reached();
}

template <class T>
PlateauResult train_to_plateau(Trainer<T>& trainer, const DataSplit& data, const PlateauCriterion& criterion) {
  PlateauDetector detector(criterion);
  PlateauResult r;
  while (!detector.reached() && detector.epochs() < criterion.max_epochs) {
    r.train_loss = trainer.train_epoch(data).train_loss;
    detector.add(r.train_loss);
  }
  r.epochs = detector.epochs();
  r.reached = detector.reached();
  r.last_improvement = detector.last_improvement();
  return r;
}

template PlateauResult train_to_plateau<float>(Trainer<float>&, const DataSplit&, const PlateauCriterion&);
template PlateauResult train_to_plateau<double>(Trainer<double>&, const DataSplit&, const PlateauCriterion&);

}  // namespace ldyn::nn
