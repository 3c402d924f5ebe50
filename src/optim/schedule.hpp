#pragma once
// Learning-rate schedules: the factor that multiplies the base rate at step t (t = 1, 2, ...).
#include <string>

namespace ldyn::optim {

enum class ScheduleKind {
  constant,  ///< lr
  step,      ///< lr * gamma^floor((t - 1) / step_size)          (torch StepLR)
  cosine,    ///< min + (lr - min) (1 + cos(pi (t - warmup) / (total - warmup))) / 2
};

struct Schedule {
  ScheduleKind kind = ScheduleKind::constant;
  long step_size = 1000;      ///< step: steps between decays
  double gamma = 0.1;         ///< step: decay factor
  long total = 0;             ///< cosine: the step at which the rate reaches its minimum
  double min_factor = 0.0;    ///< cosine: minimum rate as a fraction of lr
  long warmup = 0;            ///< any kind: linear ramp from lr / warmup to lr over these steps
};

/// The learning rate at step t >= 1.
double lr_at(const Schedule& schedule, double lr, long t);

/// Throws InvalidOption naming the impossible field.
void validate(const Schedule& schedule);

const char* to_string(ScheduleKind k);
ScheduleKind schedule_kind_from_string(const std::string& s);

}  // namespace ldyn::optim
