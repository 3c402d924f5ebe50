#include "molecular/analysis/rdf.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>

#include "core/error.hpp"

namespace ldyn::molecular::analysis {

namespace {

// Frames are counted in blocks: each frame of a block fills its own row of integer counts (threads
// over frames), then the rows are added in frame order. The result is the same for any number of
// threads, and the memory stays bounded for long trajectories.
constexpr std::size_t frames_per_block = 64;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

struct Layout {
  std::size_t species = 0;       // distinct species
  std::size_t bins = 0;
  std::vector<int> channel;      // species pair (s, t) -> pair index, -1 when not computed
  std::size_t pairs = 0;         // species pairs computed
  std::size_t row() const { return 2 * pairs * bins; }  // total and intermolecular counts
};

// Counts the pairs of one frame into `row` (zeroed here). The hot loop: no allocation.
void count_pairs(const PreparedTrajectory& t, std::size_t f, const Layout& layout, double r_max,
                 double inverse_width, std::uint64_t* row) {
  std::fill(row, row + layout.row(), std::uint64_t{0});
  const io::AtomVectors& x = t.frames[f].positions;
  const Box& box = t.boxes[f];
  const std::span<const int> molecule = t.molecules(f);
  const double r2_max = r_max * r_max;
  const auto n = static_cast<Eigen::Index>(t.atom_count());
  for (Eigen::Index i = 0; i < n; ++i) {
    const Vec3 xi = x.row(i).transpose();
    const std::size_t ti = static_cast<std::size_t>(t.type[static_cast<std::size_t>(i)]);
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const double r2 = box.minimum_image(x.row(j).transpose() - xi).squaredNorm();
      if (r2 >= r2_max) continue;
      const int c = layout.channel[ti * layout.species + static_cast<std::size_t>(t.type[static_cast<std::size_t>(j)])];
      if (c < 0) continue;
      // min: r just below r_max may round up to the bin past the last.
      const std::size_t k = std::min(static_cast<std::size_t>(std::sqrt(r2) * inverse_width), layout.bins - 1);
      const std::size_t at = 2 * static_cast<std::size_t>(c) * layout.bins + k;
      ++row[at];
      if (molecule[static_cast<std::size_t>(i)] != molecule[static_cast<std::size_t>(j)]) ++row[at + layout.bins];
    }
  }
}

}  // namespace

std::vector<PairDistribution> radial_distributions(const PreparedTrajectory& t, const RdfOptions& options) {
  const double w = options.bin_width;
  if (!(std::isfinite(options.r_max) && options.r_max > 0.0))
    throw InvalidOption("r_max", "must be > 0 Å (got " + number(options.r_max) + ")");
  if (!(std::isfinite(w) && w > 0.0 && w <= options.r_max))
    throw InvalidOption("bin width", "must be > 0 Å and at most r_max (got " + number(w) + ")");
  if (options.r_max > t.largest_rdf_range() * (1.0 + 1e-12))
    throw InvalidOption("r_max", number(options.r_max) + " Å is larger than half the shortest box edge (" +
                                     number(t.largest_rdf_range()) + " Å) of " + t.source);

  Layout layout;
  layout.species = t.species.size();
  layout.bins = static_cast<std::size_t>(std::floor(options.r_max / w + 1e-9));
  layout.channel.assign(layout.species * layout.species, -1);
  std::vector<PairDistribution> out;
  std::vector<double> pair_count;
  for (std::size_t s = 0; s < layout.species; ++s)
    for (std::size_t u = s; u < layout.species; ++u) {
      const auto ns = static_cast<double>(t.count(static_cast<int>(s)));
      const auto nu = static_cast<double>(t.count(static_cast<int>(u)));
      const double pairs = s == u ? ns * (ns - 1.0) / 2.0 : ns * nu;
      if (pairs <= 0.0) continue;
      layout.channel[s * layout.species + u] = layout.channel[u * layout.species + s] = static_cast<int>(out.size());
      PairDistribution p;
      p.a = t.species[s];
      p.b = t.species[u];
      p.bin_width = w;
      out.push_back(std::move(p));
      pair_count.push_back(pairs);
    }
  layout.pairs = out.size();

  // Σ_f V_f · counts_f, per channel and bin.
  std::vector<double> weighted(layout.row(), 0.0);
  const std::size_t frames = t.frame_count();
  std::vector<std::uint64_t> block(std::min(frames, frames_per_block) * layout.row());
  const double inverse_width = 1.0 / w, r_max = static_cast<double>(layout.bins) * w;
  for (std::size_t start = 0; start < frames; start += frames_per_block) {
    const std::size_t end = std::min(frames, start + frames_per_block);
    const auto count = static_cast<std::ptrdiff_t>(end - start);
#pragma omp parallel for schedule(dynamic)
    for (std::ptrdiff_t b = 0; b < count; ++b)
      count_pairs(t, start + static_cast<std::size_t>(b), layout, r_max, inverse_width,
                  block.data() + static_cast<std::size_t>(b) * layout.row());
    for (std::size_t f = start; f < end; ++f) {
      const double volume = t.boxes[f].volume();
      const std::uint64_t* row = block.data() + (f - start) * layout.row();
      for (std::size_t k = 0; k < layout.row(); ++k) weighted[k] += volume * static_cast<double>(row[k]);
    }
  }

  const double shell_unit = 4.0 / 3.0 * std::numbers::pi * w * w * w;
  for (std::size_t c = 0; c < out.size(); ++c) {
    PairDistribution& p = out[c];
    p.r.resize(layout.bins);
    p.total.resize(layout.bins);
    p.intermolecular.resize(layout.bins);
    for (std::size_t k = 0; k < layout.bins; ++k) {
      const auto kd = static_cast<double>(k);
      const double shell = shell_unit * ((kd + 1) * (kd + 1) * (kd + 1) - kd * kd * kd);
      const double ideal = static_cast<double>(frames) * pair_count[c] * shell;
      p.r[k] = (kd + 0.5) * w;
      p.total[k] = weighted[2 * c * layout.bins + k] / ideal;
      p.intermolecular[k] = weighted[(2 * c + 1) * layout.bins + k] / ideal;
    }
  }
  return out;
}

const PairDistribution& find_pair(const std::vector<PairDistribution>& rdfs, std::string_view a, std::string_view b) {
  for (const PairDistribution& p : rdfs)
    if ((p.a == a && p.b == b) || (p.a == b && p.b == a)) return p;
  throw Error("no " + std::string(a) + "-" + std::string(b) + " pairs to compute g(r) from");
}

}  // namespace ldyn::molecular::analysis
