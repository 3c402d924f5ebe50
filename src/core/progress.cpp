#include "core/progress.hpp"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace ldyn {

bool ProgressBar::terminal_available() {
  return ::isatty(STDERR_FILENO) != 0 && std::getenv("LDYN_NO_PROGRESS") == nullptr;
}

ProgressBar::ProgressBar(long total, std::string label, bool enabled)
    : total_(total > 0 ? total : 1),
      label_(std::move(label)),
      enabled_(enabled && terminal_available()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

ProgressBar::~ProgressBar() {
  if (enabled_ && !finished_) std::fputc('\n', stderr);
}

void ProgressBar::update(long done, const std::string& status) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  draw(done, status);
}

void ProgressBar::finish(const std::string& status) {
  if (!enabled_ || finished_) return;
  draw(total_, status);
  std::fputc('\n', stderr);
  finished_ = true;
}

void ProgressBar::draw(long done, const std::string& status) {
  constexpr int width = 30;
  const double frac = static_cast<double>(done) / static_cast<double>(total_);
  const int filled = static_cast<int>(frac * width);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %.1fs eta %.1fs %s\x1b[K", label_.c_str(), bar.c_str(),
               100.0 * frac, elapsed, eta, status.c_str());
  std::fflush(stderr);
}

}  // namespace ldyn
