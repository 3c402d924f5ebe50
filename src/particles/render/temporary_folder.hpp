#pragma once
// A folder that is removed with everything in it when its owner goes out of scope, unless it was
// released first (moved into place as a finished output).
#include <filesystem>
#include <system_error>
#include <utility>

namespace ldyn::particles {

class TemporaryFolder {
 public:
  TemporaryFolder() = default;
  explicit TemporaryFolder(std::filesystem::path path) : path_(std::move(path)) {}
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  TemporaryFolder(TemporaryFolder&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TemporaryFolder& operator=(TemporaryFolder&& other) noexcept {
    if (this != &other) {
      remove();
      path_ = std::exchange(other.path_, {});
    }
    return *this;
  }
  ~TemporaryFolder() { remove(); }

  const std::filesystem::path& path() const { return path_; }
  /// Removes the folder now (errors ignored: this also runs while an exception unwinds).
  void remove() noexcept {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
    path_.clear();
  }
  /// Keeps the folder: it is no longer removed.
  void release() noexcept { path_.clear(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ldyn::particles
