#pragma once
// Internal: numbers written so that they read back to the same double, and checks of a Frame
// before it is written.
#include <charconv>
#include <string>

#include "molecular/io/frame.hpp"

namespace ldyn::molecular::io::format {

/// Appends the shortest decimal form of `v` that parses back to exactly `v`.
inline void append(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Throws FileError(path, "frame i: ...") if the frame's arrays disagree in size, hold a
/// non-finite number, or a symbol is empty or has blanks.
void check_frame(const std::string& path, std::size_t index, const Frame& f, bool need_positions);

}  // namespace ldyn::molecular::io::format
