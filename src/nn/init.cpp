#include "nn/init.hpp"

#include "core/error.hpp"

namespace ldyn::nn {

const char* to_string(Init i) {
  switch (i) {
    case Init::torch: return "torch";
    case Init::he: return "he";
    case Init::xavier: return "xavier";
  }
  return "?";
}

Init init_from_string(const std::string& name, const std::string& option) {
  for (Init i : {Init::torch, Init::he, Init::xavier})
    if (name == to_string(i)) return i;
  throw InvalidOption(option, "unknown initialization '" + name + "' (one of: torch, he, xavier)");
}

}  // namespace ldyn::nn
