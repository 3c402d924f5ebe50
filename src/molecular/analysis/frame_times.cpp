#include "molecular/analysis/frame_times.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

namespace {
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

std::vector<double> frame_times(std::span<const io::Frame> frames, std::optional<double> frame_dt_fs,
                                std::string_view source) {
  const std::string where(source);
  if (frame_dt_fs && !(std::isfinite(*frame_dt_fs) && *frame_dt_fs > 0.0))
    throw InvalidOption("frame dt", "must be > 0 fs (got " + number(*frame_dt_fs) + ")");
  std::vector<double> times;
  const bool all_known = std::all_of(frames.begin(), frames.end(), [](const io::Frame& f) { return std::isfinite(f.time_fs); });
  if (all_known) {
    for (const io::Frame& f : frames) times.push_back(f.time_fs);
  } else if (frame_dt_fs) {
    for (std::size_t i = 0; i < frames.size(); ++i) times.push_back(static_cast<double>(i) * *frame_dt_fs);
  } else {
    throw FileError(where, "the frames do not all carry a time; give the time between frames");
  }
  for (std::size_t i = 1; i < times.size(); ++i)
    if (!(times[i] > times[i - 1]))
      throw FileError(where, "frame " + std::to_string(i) + " is at " + number(times[i]) + " fs, not after frame " +
                                 std::to_string(i - 1) + " at " + number(times[i - 1]) + " fs");
  return times;
}

double uniform_interval(std::span<const double> times, std::string_view source) {
  const std::string where(source);
  if (times.size() < 2) throw FileError(where, "a time interval needs two frames or more");
  const double dt = (times.back() - times.front()) / static_cast<double>(times.size() - 1);
  for (std::size_t i = 1; i < times.size(); ++i)
    if (std::abs(times[i] - times[i - 1] - dt) > 0.01 * dt)
      throw FileError(where, "frames are not evenly spaced in time: frame " + std::to_string(i) + " comes " +
                                 number(times[i] - times[i - 1]) + " fs after the previous one, the mean interval is " +
                                 number(dt) + " fs");
  return dt;
}

}  // namespace ldyn::molecular::analysis
