#include "nn/network_file.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/compressed_file.hpp"
#include "core/error.hpp"

namespace ldyn::nn {

void save_network(const LayeredNetwork<float>& net, const std::filesystem::path& path) {
  const auto& spec = net.spec();
  std::string text = "ldyn-network 1\nlayers ";
  for (std::size_t i = 0; i < spec.sizes.size(); ++i) text += (i ? "," : "") + std::to_string(spec.sizes[i]);
  text += std::string("\nhidden ") + to_string(spec.hidden) + "\noutput " + to_string(spec.output) + "\nloss " +
          to_string(spec.loss) + "\nparameters " + std::to_string(net.parameters().size()) + "\n";
  text.reserve(text.size() + net.parameters().size() * 16);
  char buf[32];
  for (float v : net.parameters()) {
    std::snprintf(buf, sizeof buf, "%.9g\n", static_cast<double>(v));
    text += buf;
  }
  write_text_atomically(path, text);
}

namespace {

std::string expect_key(TextFileReader& in, const std::string& key) {
  std::string line;
  if (!in.next_line(line)) throw FileError(in.path(), in.line_number() + 1, "file ends before '" + key + "'");
  if (line.rfind(key + " ", 0) != 0)
    throw FileError(in.path(), in.line_number(), "expected '" + key + " ...', got '" + line.substr(0, 60) + "'");
  return line.substr(key.size() + 1);
}

}  // namespace

LayeredNetwork<float> load_network(const std::filesystem::path& path) {
  TextFileReader in(path);
  const std::string version = expect_key(in, "ldyn-network");
  if (version != "1")
    throw FileError(in.path(), 1, "network file version '" + version + "' is not supported (this build reads 1)");
  LayeredSpec spec;
  try {
    spec.sizes = parse_layer_sizes(expect_key(in, "layers"), "layers");
    spec.hidden = activation_from_string(expect_key(in, "hidden"), "hidden");
    spec.output = activation_from_string(expect_key(in, "output"), "output");
    spec.loss = output_loss_from_string(expect_key(in, "loss"), "loss");
  } catch (const InvalidOption& e) {
    throw FileError(in.path(), in.line_number(), e.what());
  }
  LayeredNetwork<float> net(spec);
  const std::string count = expect_key(in, "parameters");
  if (count != std::to_string(net.parameters().size()))
    throw FileError(in.path(), in.line_number(), "says " + count + " parameters, layers " + net.describe() + " have " +
                                                     std::to_string(net.parameters().size()));
  std::string line;
  for (float& v : net.parameters()) {
    if (!in.next_line(line)) throw FileError(in.path(), in.line_number() + 1, "file ends before the last parameter (truncated?)");
    char* end = nullptr;
    const double d = std::strtod(line.c_str(), &end);
    if (end == line.c_str() || *end != '\0') throw FileError(in.path(), in.line_number(), "not a number: '" + line.substr(0, 40) + "'");
    if (!std::isfinite(d)) throw FileError(in.path(), in.line_number(), "parameter is " + line);
    v = static_cast<float>(d);
  }
  if (in.next_line(line) && !line.empty()) throw FileError(in.path(), in.line_number(), "unexpected data after the last parameter");
  return net;
}

}  // namespace ldyn::nn
