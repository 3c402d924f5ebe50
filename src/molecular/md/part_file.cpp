#include "molecular/md/part_file.hpp"

#include <system_error>

#include "core/error.hpp"

namespace ldyn::molecular::md {

namespace fs = std::filesystem;

PartFile::~PartFile() = default;  // a run that did not finish leaves its .part for resuming

fs::path PartFile::part_path(const fs::path& path) { return fs::path(path.string() + ".part"); }

void PartFile::open_append(const fs::path& part) {
  out_.open(part, std::ios::binary | std::ios::app);
  if (!out_) throw FileError(part.string(), "cannot open for writing (is the folder writable?)");
}

void PartFile::open_fresh(const fs::path& path) {
  path_ = path;
  bytes_ = 0;
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  const fs::path part = part_path(path);
  out_.open(part, std::ios::binary | std::ios::trunc);
  if (!out_) throw FileError(part.string(), "cannot create file (is the folder writable?)");
}

void PartFile::open_resumed(const fs::path& path, std::uint64_t bytes) {
  path_ = path;
  const fs::path part = part_path(path);
  std::error_code ec;
  if (!fs::exists(part, ec)) {
    if (!fs::exists(path, ec))
      throw FileError(part.string(), "missing: the checkpoint continues this output, and neither it nor " +
                                         path.string() + " exists");
    fs::rename(path, part, ec);
    if (ec) throw FileError(path.string(), "cannot reopen the finished output to extend it: " + ec.message());
  }
  const std::uintmax_t size = fs::file_size(part, ec);
  if (ec) throw FileError(part.string(), "cannot read its size: " + ec.message());
  if (size < bytes)
    throw FileError(part.string(), "holds " + std::to_string(size) + " bytes, fewer than the " +
                                       std::to_string(bytes) + " the checkpoint records");
  fs::resize_file(part, bytes, ec);
  if (ec) throw FileError(part.string(), "cannot truncate to the checkpoint's length: " + ec.message());
  bytes_ = bytes;
  open_append(part);
}

void PartFile::write(std::string_view text) {
  if (!out_.is_open()) return;
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  bytes_ += text.size();
}

std::uint64_t PartFile::bytes() {
  if (out_.is_open()) {
    out_.flush();
    if (!out_) throw FileError(part_path(path_).string(), "write failed (disk full?)");
  }
  return bytes_;
}

void PartFile::finish() {
  if (!out_.is_open()) return;
  out_.close();
  if (!out_) throw FileError(part_path(path_).string(), "write failed (disk full?)");
  std::error_code ec;
  fs::rename(part_path(path_), path_, ec);
  if (ec) throw FileError(path_.string(), "cannot move the finished file into place: " + ec.message());
}

}  // namespace ldyn::molecular::md
