#include "core/atomic_file.hpp"

#include <fstream>
#include <system_error>
#include <unistd.h>

#include "core/error.hpp"

namespace ldyn {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write, bool binary) {
  namespace fs = std::filesystem;
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::exists(parent, ec)) fs::create_directories(parent, ec);
  // The pid keeps two processes writing the same target from sharing a temporary.
  const fs::path tmp = parent / ("." + path.filename().string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, binary ? std::ios::binary | std::ios::trunc : std::ios::trunc);
    if (!out) throw FileError(path.string(), "cannot create file (is the folder writable?)");
    try {
      write(out);
    } catch (...) {
      out.close();
      fs::remove(tmp, ec);
      throw;
    }
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      throw FileError(path.string(), "write failed (disk full?)");
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw FileError(path.string(), "cannot move the finished file into place: " + ec.message());
  }
}

void write_text_atomically(const std::filesystem::path& path, const std::string& text) {
  write_file_atomically(path, [&](std::ostream& out) { out << text; });
}

}  // namespace ldyn
