#pragma once
// An output that grows during a run (log, trajectory) and is written atomically: it lives as
// "PATH.part" while the run goes on and is renamed to PATH when the run ends (also when it stops
// early on a blow-up). A run that crashes leaves the .part file; a checkpoint records its length, so
// resuming truncates it to that length and appends from there, and the finished file is
// byte-identical to that of an unbroken run.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace ldyn::molecular::md {

class PartFile {
 public:
  /// An output that is off: writes are ignored. Use open_fresh or open_resumed to turn it on.
  PartFile() = default;
  ~PartFile();
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  /// Starts PATH.part empty. Throws FileError naming it when it cannot be created.
  void open_fresh(const std::filesystem::path& path);
  /// Continues PATH.part truncated to `bytes`. When there is no .part but a finished PATH (a run
  /// that ended and is now extended), PATH becomes the .part again. Throws FileError naming the file
  /// when neither exists or it is shorter than `bytes`.
  void open_resumed(const std::filesystem::path& path, std::uint64_t bytes);

  bool enabled() const { return out_.is_open(); }
  void write(std::string_view text);
  /// Bytes written so far (what a checkpoint records). Flushes so the file holds at least that.
  std::uint64_t bytes();
  /// Closes and renames PATH.part to PATH. Throws FileError naming PATH on failure.
  void finish();

  static std::filesystem::path part_path(const std::filesystem::path& path);

 private:
  void open_append(const std::filesystem::path& part);
  std::filesystem::path path_;
  std::ofstream out_;
  std::uint64_t bytes_ = 0;
};

}  // namespace ldyn::molecular::md
