#include "optim/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace ldyn::optim {

double lr_at(const Schedule& s, double lr, long t) {
  double factor = 1.0;
  switch (s.kind) {
    case ScheduleKind::constant:
      break;
    case ScheduleKind::step:
      factor = std::pow(s.gamma, static_cast<double>((t - 1) / s.step_size));
      break;
    case ScheduleKind::cosine: {
      const long span = std::max(1L, s.total - s.warmup);
      const double x = std::clamp(static_cast<double>(t - s.warmup) / static_cast<double>(span), 0.0, 1.0);
      factor = s.min_factor + (1.0 - s.min_factor) * 0.5 * (1.0 + std::cos(std::numbers::pi * x));
      break;
    }
  }
  if (s.warmup > 0 && t <= s.warmup)
    factor *= static_cast<double>(t) / static_cast<double>(s.warmup);
  return lr * factor;
}

void validate(const Schedule& s) {
  if (s.kind == ScheduleKind::step) {
    if (s.step_size <= 0) throw InvalidOption("--lr-step-size", "must be > 0");
    if (!(s.gamma > 0.0 && s.gamma <= 1.0)) throw InvalidOption("--lr-gamma", "must lie in (0, 1]");
  }
  if (s.kind == ScheduleKind::cosine) {
    if (s.total <= 0) throw InvalidOption("--lr-total", "cosine schedule needs the total number of steps (> 0)");
    if (!(s.min_factor >= 0.0 && s.min_factor <= 1.0))
      throw InvalidOption("--lr-min-factor", "must lie in [0, 1]");
  }
  if (s.warmup < 0) throw InvalidOption("--warmup", "must be >= 0");
}

const char* to_string(ScheduleKind k) {
  switch (k) {
    case ScheduleKind::constant: return "constant";
    case ScheduleKind::step: return "step";
    case ScheduleKind::cosine: return "cosine";
  }
  return "?";
}

ScheduleKind schedule_kind_from_string(const std::string& s) {
  if (s == "constant") return ScheduleKind::constant;
  if (s == "step") return ScheduleKind::step;
  if (s == "cosine") return ScheduleKind::cosine;
  throw InvalidOption("--schedule", "unknown schedule '" + s + "' (constant, step, cosine)");
}

}  // namespace ldyn::optim
