#pragma once
// The time of each frame, which time-dependent analyses (MSD, diffusion) need.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "molecular/io/frame.hpp"

namespace ldyn::molecular::analysis {

/// Times in fs: Frame::time_fs when every frame has one (extended XYZ `time=`, CP2K's comment);
/// else i·frame_dt_fs for the i-th frame given (so frame_dt_fs is the interval between the frames
/// as passed in, after any stride). FileError naming `source` when neither is available or the
/// times do not increase; InvalidOption when frame_dt_fs is not > 0.
std::vector<double> frame_times(std::span<const io::Frame> frames, std::optional<double> frame_dt_fs,
                                std::string_view source);

/// The constant interval between consecutive times (fs): their mean spacing. FileError naming
/// `source` with fewer than two times, or when a spacing differs from the mean by more than 1%
/// (a missing frame, two runs glued together) - printing rounding stays far below that.
double uniform_interval(std::span<const double> times, std::string_view source);

}  // namespace ldyn::molecular::analysis
