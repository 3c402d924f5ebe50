#include "particles/features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ldyn::particles {
namespace {

// The threat of one candidate, in float (the hot loop). Mirrors pair_invariants().
struct Candidate {
  float threat;
  float rx, ry, vx, vy;
};

// Fixed-point scale of the threat-weighted sums (2^20: 1e-6 resolution, no overflow below 1e12 terms).
constexpr float kSumScale = 1048576.0f;

inline float threat_of(float rx, float ry, float vx, float vy, float contact, float horizon, float inv_margin) {
  const float v2 = vx * vx + vy * vy, rv = rx * vx + ry * vy;
  const float tau = v2 > 0 ? std::clamp(-rv / v2, 0.0f, horizon) : 0.0f;
  const float cx = rx + vx * tau, cy = ry + vy * tau;
  const float miss = std::sqrt(cx * cx + cy * cy) - contact;
  return (1 - tau / horizon) * std::clamp(1 - miss * inv_margin, 0.0f, 1.0f);
}

// Scans the neighbours of i and the lane's edges; calls nothing, returns the best candidate.
Threat scan(const World& w, const Sensing& s, std::size_t i) {
  const auto px = w.px(), py = w.py();
  const auto vx = w.vx(), vy = w.vy();
  const float ux = static_cast<float>(w.unit_x()), uy = static_cast<float>(w.unit_y());
  const float vux = static_cast<float>(w.velocity_unit_x()), vuy = static_cast<float>(w.velocity_unit_y());
  const float rho2 = static_cast<float>(s.sensing_radius * s.sensing_radius);
  const float horizon = static_cast<float>(s.horizon), inv_margin = static_cast<float>(1 / s.margin);
  const float diameter = static_cast<float>(2 * w.params().radius);
  const float far2 = (diameter + static_cast<float>(s.margin)) * (diameter + static_cast<float>(s.margin));
  const std::uint32_t xi = px[i], yi = py[i];
  const std::int32_t vxi = vx[i], vyi = vy[i];
  Threat best;
  float best_s = 0;
  std::int64_t sum[4] = {0, 0, 0, 0};
  auto accumulate = [&sum](float t, float rx, float ry, float rvx, float rvy) {
    if (t <= 0) return;
    const float r = std::sqrt(rx * rx + ry * ry);
    const float tr = r > 0 ? t / r : 0.0f;
    // Truncation, not rounding: as exact a function of the term, and a single instruction.
    sum[0] += static_cast<std::int64_t>(tr * rx * kSumScale);
    sum[1] += static_cast<std::int64_t>(tr * ry * kSumScale);
    sum[2] += static_cast<std::int64_t>(t * rvx * kSumScale);
    sum[3] += static_cast<std::int64_t>(t * rvy * kSumScale);
  };
  for (const std::uint32_t j : w.neighbours(i)) {
    const float rx = static_cast<float>(static_cast<std::int32_t>(px[j] - xi)) * ux;
    const float ry = static_cast<float>(static_cast<std::int32_t>(py[j] - yi)) * uy;
    if (rx * rx + ry * ry > rho2) continue;
    const float rvx = static_cast<float>(vx[j] - vxi) * vux, rvy = static_cast<float>(vy[j] - vyi) * vuy;
    // Receding and already beyond contact + margin: closest now, no threat (most neighbours).
    if (rx * rvx + ry * rvy >= 0 && rx * rx + ry * ry >= far2) continue;
    const float t = threat_of(rx, ry, rvx, rvy, diameter, horizon, inv_margin);
    accumulate(t, rx, ry, rvx, rvy);
    // Ties go to the lower index, so the choice does not depend on the order cells are visited in.
    if (t > best_s || (t == best_s && t > 0 && static_cast<long>(j) < best.neighbour)) {
      best_s = t;
      best.neighbour = j;
      best.rx = rx, best.ry = ry, best.vx = rvx, best.vy = rvy;
    }
  }
  if (w.params().scenario == Scenario::lane) {
    // A road edge is a static obstacle of the road: its nearest point is straight across, and it
    // moves relative to the agent at minus the agent's lateral road-frame velocity.
    const float y = static_cast<float>(w.y(i)), u_y = static_cast<float>(w.road_vy(i));
    const float width = static_cast<float>(w.params().lane_width), radius = static_cast<float>(w.params().radius);
    const float rho = static_cast<float>(s.sensing_radius);
    for (int edge = 0; edge < 2; ++edge) {
      const float ry = edge == 0 ? -y : width - y;
      if (std::abs(ry) > rho) continue;
      const float t = threat_of(0, ry, 0, -u_y, radius, horizon, inv_margin);
      accumulate(t, 0, ry, 0, -u_y);
      if (t > best_s) {
        best_s = t;
        best.neighbour = static_cast<long>(w.size()) + edge;
        best.rx = 0, best.ry = ry, best.vx = 0, best.vy = -u_y;
      }
    }
  }
  best.invariants.threat = best_s;
  best.sum_rx = static_cast<double>(sum[0]) / kSumScale;
  best.sum_ry = static_cast<double>(sum[1]) / kSumScale;
  best.sum_vx = static_cast<double>(sum[2]) / kSumScale;
  best.sum_vy = static_cast<double>(sum[3]) / kSumScale;
  return best;
}

}  // namespace

Threat most_threatening(const World& world, const Sensing& sensing, std::size_t i) {
  Threat t = scan(world, sensing, i);
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
  for (std::size_t i = 0; i < n; ++i) {
    const float hx = w.heading_x(i), hy = w.heading_y(i);  // e_par = (hx, hy), e_perp = (-hy, hx)
    const float ux = static_cast<float>(w.road_vx(i)), uy = static_cast<float>(w.road_vy(i));
    const float inv_ci = 1 / w.desired_speed(i);
    auto col = X.col(static_cast<long>(i));
    col[0] = (ux * hx + uy * hy) * inv_ci - 1;
    col[1] = (-ux * hy + uy * hx) * inv_ci;
    const Threat t = scan(w, s, i);
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
