#pragma once
// Internal: tokens and numbers of text formats, with errors that name the file and line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/compressed_file.hpp"
#include "core/error.hpp"
#include "molecular/io/frame.hpp"

namespace ldyn::molecular::io::text {

/// Splits `line` at blanks (space, tab) into `out` (views into `line`).
void split(std::string_view line, std::vector<std::string_view>& out);

/// True if `line` holds only blanks.
bool blank(std::string_view line);

/// A finite real number; throws FileError(path, line, ...) naming `what` otherwise.
double real(std::string_view token, const std::string& path, std::size_t line, std::string_view what);

/// An integer in [min, max]; throws FileError otherwise.
std::int64_t integer(std::string_view token, const std::string& path, std::size_t line,
                     std::string_view what, std::int64_t min = INT64_MIN,
                     std::int64_t max = INT64_MAX);

/// Throws InvalidOption if the range has stride 0.
void check_range(const FrameRange& range);

/// Checks that every line left in `reader` is blank; throws FileError at the first one that is not.
void expect_only_blank_lines(TextFileReader& reader, std::string& line, std::string_view what);

/// "'token'" shortened to a readable length for messages.
std::string quote(std::string_view token);

/// Largest atom count accepted from a count line (guards against absurd allocations).
inline constexpr std::int64_t max_atoms = 100'000'000;

/// The ASCII lower-case copy of `s` (keys and unit names are matched regardless of case).
std::string lower(std::string_view s);

/// Reads the atom-count line that opens an XYZ frame (`index` is the frame's 0-based position).
/// Returns false at the end of the file (only blank lines left); throws FileError for anything
/// else that is not a single count.
bool read_atom_count(TextFileReader& reader, std::string& line, std::vector<std::string_view>& tok,
                     std::size_t index, std::int64_t& count);

}  // namespace ldyn::molecular::io::text
