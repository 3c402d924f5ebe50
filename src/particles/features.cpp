#include "particles/features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace ldyn::particles {
namespace {

// Fixed-point scale of the threat-weighted sums (2^20: 1e-6 resolution, no overflow below 1e12 terms).
constexpr float kSumScale = 1048576.0f;

// The threat of one neighbour (sensing.hpp; pair_invariants() is the same in double), branch-free so
// that the loop over all neighbours vectorizes. v = 0 gives tau = 0, as -r.v = 0.
inline float threat_of(float rx, float ry, float vx, float vy, float contact, float horizon, float inv_horizon,
                       float inv_margin) {
  const float v2 = vx * vx + vy * vy, rv = rx * vx + ry * vy;
  const float tau = std::clamp(-rv / std::max(v2, 1e-30f), 0.0f, horizon);
  const float cx = rx + vx * tau, cy = ry + vy * tau;
  const float miss = std::sqrt(cx * cx + cy * cy) - contact;
  const float gap = std::sqrt(rx * rx + ry * ry) - contact;
  return std::max(std::clamp(1 - gap * inv_margin, 0.0f, 1.0f),
                  (1 - tau * inv_horizon) * std::clamp(1 - miss * inv_margin, 0.0f, 1.0f));
}

// The threats of every particle, in three passes over the whole neighbour list (CSR, each
// particle's entries in index order): (1) relative positions and velocities of every entry, exact
// integer differences then scaled; (2) the threat of every entry, one long branch-free loop that
// vectorizes; (3) per particle, the threat-weighted sums and the most threatening entry, then the
// lane's edges. Nothing depends on the order cells were visited in, so nothing on the frame.
void scan_all(const World& w, const Sensing& s, std::vector<Threat>& out) {
  const auto px = w.px(), py = w.py();
  const auto vx = w.vx(), vy = w.vy();
  const auto start = w.neighbour_start();
  const auto entries = w.neighbour_entries();
  const std::size_t n = w.size(), m = entries.size();
  const float ux = static_cast<float>(w.unit_x()), uy = static_cast<float>(w.unit_y());
  const float vux = static_cast<float>(w.velocity_unit_x()), vuy = static_cast<float>(w.velocity_unit_y());
  const float rho2 = static_cast<float>(s.sensing_radius * s.sensing_radius);
  const float horizon = static_cast<float>(s.horizon), inv_margin = static_cast<float>(1 / s.margin);
  const float inv_horizon = 1 / horizon;
  const float diameter = static_cast<float>(2 * w.params().radius);
  thread_local std::vector<float> stage;  // grows to the largest list seen, then never allocates
  if (stage.size() < 5 * m) stage.resize(5 * m + 64);
  float* RX = stage.data();
  float* RY = RX + m;
  float* VX = RY + m;
  float* VY = VX + m;
  float* T = VY + m;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t xi = px[i], yi = py[i];
    const std::int32_t vxi = vx[i], vyi = vy[i];
    for (std::size_t k = start[i]; k < start[i + 1]; ++k) {
      const std::uint32_t j = entries[k];
      RX[k] = static_cast<float>(static_cast<std::int32_t>(px[j] - xi)) * ux;
      RY[k] = static_cast<float>(static_cast<std::int32_t>(py[j] - yi)) * uy;
      VX[k] = static_cast<float>(vx[j] - vxi) * vux;
      VY[k] = static_cast<float>(vy[j] - vyi) * vuy;
    }
  }
#pragma omp simd
  for (std::size_t k = 0; k < m; ++k) {
    const float t = threat_of(RX[k], RY[k], VX[k], VY[k], diameter, horizon, inv_horizon, inv_margin);
    T[k] = RX[k] * RX[k] + RY[k] * RY[k] <= rho2 ? t : 0.0f;
  }
  out.resize(n);
  const bool lane = w.params().scenario == Scenario::lane;
  for (std::size_t i = 0; i < n; ++i) {
    Threat best;
    float best_s = 0;
    // Fixed point (2^-20), truncated toward zero: an exact function of each term, so the sum does
    // not depend on the order of its terms; at most 2^20 per term, no overflow below 2^11 terms.
    std::int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (std::size_t k = start[i]; k < start[i + 1]; ++k) {
      const float t = T[k];
      if (t <= 0) continue;
      const float rx = RX[k], ry = RY[k];
      const float r = std::sqrt(rx * rx + ry * ry);
      const float tr = r > 0 ? t / r : 0.0f;
      a0 += static_cast<std::int32_t>(tr * rx * kSumScale);
      a1 += static_cast<std::int32_t>(tr * ry * kSumScale);
      a2 += static_cast<std::int32_t>(t * VX[k] * kSumScale);
      a3 += static_cast<std::int32_t>(t * VY[k] * kSumScale);
      if (t > best_s) {  // strict: ties keep the first, the lower index (the list is sorted)
        best_s = t;
        best.neighbour = entries[k];
        best.rx = rx, best.ry = ry, best.vx = VX[k], best.vy = VY[k];
      }
    }
    if (lane) {
      // A road edge is a static obstacle of the road: its nearest point is straight across, and it
      // moves relative to the agent at minus the agent's lateral road-frame velocity.
      const float y = static_cast<float>(w.y(i)), u_y = static_cast<float>(w.road_vy(i));
      const float width = static_cast<float>(w.params().lane_width), radius = static_cast<float>(w.params().radius);
      const float rho = static_cast<float>(s.sensing_radius);
      for (int edge = 0; edge < 2; ++edge) {
        const float ry = edge == 0 ? -y : width - y;
        if (std::abs(ry) > rho) continue;
        const float t = threat_of(0, ry, 0, -u_y, radius, horizon, inv_horizon, inv_margin);
        if (t <= 0) continue;
        const float tr = t / std::abs(ry);
        a1 += static_cast<std::int32_t>(tr * ry * kSumScale);
        a3 += static_cast<std::int32_t>(t * -u_y * kSumScale);
        if (t > best_s) {
          best_s = t;
          best.neighbour = static_cast<long>(n) + edge;
          best.rx = 0, best.ry = ry, best.vx = 0, best.vy = -u_y;
        }
      }
    }
    best.invariants.threat = best_s;
    best.sum_rx = static_cast<double>(a0) / kSumScale;
    best.sum_ry = static_cast<double>(a1) / kSumScale;
    best.sum_vx = static_cast<double>(a2) / kSumScale;
    best.sum_vy = static_cast<double>(a3) / kSumScale;
    out[i] = best;
  }
}

}  // namespace

Threat most_threatening(const World& world, const Sensing& sensing, std::size_t i) {
  std::vector<Threat> all;
  scan_all(world, sensing, all);
  Threat t = all[i];
  if (t.neighbour >= 0) {
    const bool edge = t.neighbour >= static_cast<long>(world.size());
    t.invariants = pair_invariants(t.rx, t.ry, t.vx, t.vy, (edge ? 1 : 2) * world.params().radius, sensing);
  }
  return t;
}

void invariant_features(const World& w, const Sensing& s, FeatureMatrix& X) {
  const std::size_t n = w.size();
  if (X.rows() != kInvariantFeatures || X.cols() != static_cast<long>(n)) X.resize(kInvariantFeatures, static_cast<long>(n));
  const float inv_c = static_cast<float>(1 / w.params().cruise_speed);
  thread_local std::vector<Threat> threats;
  scan_all(w, s, threats);
  for (std::size_t i = 0; i < n; ++i) {
    const float hx = w.heading_x(i), hy = w.heading_y(i);  // e_par = (hx, hy), e_perp = (-hy, hx)
    const float ux = static_cast<float>(w.road_vx(i)), uy = static_cast<float>(w.road_vy(i));
    const float inv_ci = 1 / w.desired_speed(i);
    auto col = X.col(static_cast<long>(i));
    col[0] = (ux * hx + uy * hy) * inv_ci - 1;
    col[1] = (-ux * hy + uy * hx) * inv_ci;
    const Threat& t = threats[i];
    if (t.neighbour < 0) {
      col.tail<4>().setZero();
      continue;
    }
    if (s.aggregate == Aggregate::sum) {
      const auto rx = static_cast<float>(t.sum_rx), ry = static_cast<float>(t.sum_ry);
      const auto vx = static_cast<float>(t.sum_vx) * inv_c, vy = static_cast<float>(t.sum_vy) * inv_c;
      col[2] = rx * hx + ry * hy;
      col[3] = -rx * hy + ry * hx;
      col[4] = vx * hx + vy * hy;
      col[5] = -vx * hy + vy * hx;
      continue;
    }
    const float sw = static_cast<float>(t.invariants.threat);
    const float r = std::sqrt(t.rx * t.rx + t.ry * t.ry);
    const float sr = r > 0 ? sw / r : 0;
    col[2] = sr * (t.rx * hx + t.ry * hy);
    col[3] = sr * (-t.rx * hy + t.ry * hx);
    col[4] = sw * inv_c * (t.vx * hx + t.vy * hy);
    col[5] = sw * inv_c * (-t.vx * hy + t.vy * hx);
  }
}

void raw_features(const World& w, const Sensing& s, FeatureMatrix& X) {
  const std::size_t n = w.size();
  const long k_max = s.neighbours;
  const long rows = raw_feature_count(k_max);
  if (X.rows() != rows || X.cols() != static_cast<long>(n)) X.resize(rows, static_cast<long>(n));
  const auto px = w.px(), py = w.py();
  const float ux = static_cast<float>(w.unit_x()), uy = static_cast<float>(w.unit_y());
  const float rho2 = static_cast<float>(s.sensing_radius * s.sensing_radius);
  const float inv_c = static_cast<float>(1 / w.params().cruise_speed);
  const float sx = static_cast<float>(2 / w.box().x), sy = static_cast<float>(2 / w.box().y);
  struct Near {
    float d2;
    std::uint32_t j;
    float rx, ry;
  };
  std::array<Near, 33> nearest{};
  for (std::size_t i = 0; i < n; ++i) {
    auto col = X.col(static_cast<long>(i));
    const float xi = static_cast<float>(w.x(i)), yi = static_cast<float>(w.y(i));
    col[0] = xi * sx - 1;
    col[1] = yi * sy - 1;
    col[2] = static_cast<float>(w.velocity_x(i)) * inv_c;
    col[3] = static_cast<float>(w.velocity_y(i)) * inv_c;
    col[4] = w.heading_x(i);
    col[5] = w.heading_y(i);
    col[6] = w.desired_speed(i) * inv_c;
    long count = 0;
    for (const std::uint32_t j : w.neighbours(i)) {
      const float rx = static_cast<float>(static_cast<std::int32_t>(px[j] - px[i])) * ux;
      const float ry = static_cast<float>(static_cast<std::int32_t>(py[j] - py[i])) * uy;
      const float d2 = rx * rx + ry * ry;
      if (d2 > rho2) continue;
      // Insertion into the K nearest, ordered by (distance, index): independent of visiting order.
      Near cand{d2, j, rx, ry};
      long pos = count < k_max ? count++ : k_max;
      if (pos == k_max && !(d2 < nearest[k_max - 1].d2 || (d2 == nearest[k_max - 1].d2 && j < nearest[k_max - 1].j))) continue;
      if (pos == k_max) pos = k_max - 1;
      while (pos > 0 && (d2 < nearest[pos - 1].d2 || (d2 == nearest[pos - 1].d2 && j < nearest[pos - 1].j))) {
        nearest[pos] = nearest[pos - 1];
        --pos;
      }
      nearest[pos] = cand;
    }
    for (long k = 0; k < k_max; ++k) {
      const long row = 7 + 5 * k;
      if (k >= count) {
        col.segment(row, 5).setZero();
        continue;
      }
      const Near& m = nearest[static_cast<std::size_t>(k)];
      col[row] = 1;
      col[row + 1] = (xi + m.rx) * sx - 1;  // the neighbour's absolute position, unwrapped around the agent
      col[row + 2] = (yi + m.ry) * sy - 1;
      col[row + 3] = static_cast<float>(w.velocity_x(m.j)) * inv_c;
      col[row + 4] = static_cast<float>(w.velocity_y(m.j)) * inv_c;
    }
  }
}

}  // namespace ldyn::particles
