#pragma once
// Outputs are written atomically: into a temporary file beside the target, flushed, then renamed
// over it. A reader (or a crash) never sees a half-written CSV, model or checkpoint.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>

namespace ldyn {

/// Calls `write` with a stream on a temporary file, then renames it to `path`.
/// Throws FileError naming `path` if the file cannot be created or written.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write, bool binary = false);

/// Convenience: writes `text` to `path` atomically.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace ldyn
