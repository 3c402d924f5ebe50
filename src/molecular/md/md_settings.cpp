#include "molecular/md/md_settings.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "molecular/io/text.hpp"
#include "molecular/md/nose_hoover_chain.hpp"

namespace ldyn::molecular::md {
namespace {

void require(bool ok, const char* option, const std::string& rule, double value) {
  if (!ok) throw InvalidOption(option, rule + " (got " + std::to_string(value) + ")");
}

}  // namespace

void MdSettings::validate() const {
  require(std::isfinite(dt_fs) && dt_fs > 0.0, "--dt", "must be a finite number of fs > 0", dt_fs);
  require(steps >= 0, "--steps", "must be >= 0", static_cast<double>(steps));
  require(std::isfinite(temperature_K) && temperature_K >= 0.0, "--temperature",
          "must be a finite number of K >= 0", temperature_K);
  require(ensemble == Ensemble::nve || temperature_K > 0.0, "--temperature",
          "must be > 0 K for the nvt ensemble", temperature_K);
  require(std::isfinite(tau_fs) && tau_fs > 0.0, "--tau", "must be a finite number of fs > 0", tau_fs);
  require(chain_length >= 1, "--chain-length", "must be >= 1", chain_length);
  suzuki_yoshida_weights(yoshida_order);  // throws for an unknown order
  require(thermostat_substeps >= 1, "--thermostat-substeps", "must be >= 1", thermostat_substeps);
  require(log_every >= 1, "--log-every", "must be >= 1", static_cast<double>(log_every));
  require(trajectory_every >= 1, "--trajectory-every", "must be >= 1", static_cast<double>(trajectory_every));
  require(checkpoint_every >= 0, "--checkpoint-every", "must be >= 0 (0: only at the end)",
          static_cast<double>(checkpoint_every));
  require(limits.max_temperature_K >= 0.0 && !std::isnan(limits.max_temperature_K), "--max-temperature",
          "must be >= 0 K (0: automatic)", limits.max_temperature_K);
  require(std::isfinite(limits.min_distance_A) && limits.min_distance_A >= 0.0, "--min-distance",
          "must be a finite number of Å >= 0 (0: no check)", limits.min_distance_A);
  require(limits.distance_check_every >= 1, "--distance-check-every", "must be >= 1",
          static_cast<double>(limits.distance_check_every));
}

Ensemble parse_ensemble(std::string_view name) {
  const std::string s = io::text::lower(name);
  if (s == "nve") return Ensemble::nve;
  if (s == "nvt") return Ensemble::nvt;
  throw InvalidOption("--ensemble", "unknown ensemble '" + std::string(name) + "' (nve, nvt)");
}

std::string_view ensemble_name(Ensemble ensemble) { return ensemble == Ensemble::nve ? "nve" : "nvt"; }

}  // namespace ldyn::molecular::md
