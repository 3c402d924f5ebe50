#pragma once
// A progress bar for long runs: drawn on stderr when it is a terminal, silent otherwise (CI, pipes),
// and redrawn at most ten times a second so it never costs measurable time.
#include <chrono>
#include <string>

namespace ldyn {

class ProgressBar {
 public:
  /// `total` units of work; `label` is printed before the bar.
  ProgressBar(long total, std::string label, bool enabled = true);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Reports that `done` units are finished; `status` is shown after the bar (e.g. the loss).
  void update(long done, const std::string& status = {});
  /// Draws the final state and ends the line.
  void finish(const std::string& status = {});

  /// True when stderr is a terminal and LDYN_NO_PROGRESS is unset.
  static bool terminal_available();

 private:
  void draw(long done, const std::string& status);
  long total_;
  std::string label_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace ldyn
