// `ldyn particles render`: watch the traffic. Runs one episode of a driver (policy file, cruise or
// random) and writes an animated GIF, an MP4 (both via Debian's ffmpeg) or a folder of PNG frames:
// colour = desired heading, arrow = velocity, red ring = a collision in that step.
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "particles/episode.hpp"
#include "particles/render/animation_writer.hpp"
#include "particles_common.hpp"

namespace ldyn::cli {
namespace {

struct RenderArgs {
  WorldArgs world;
  std::string policy;
  long steps = 600;
  long every = 2;
  std::uint64_t seed = 1;
  std::string out = "traffic.gif";
  int width = 640;
  int fps = 25;
  bool quiet = false;
};

int run(RenderArgs& a) {
  if (a.steps < 1 || a.steps > 10'000'000) throw InvalidOption("--steps", "must be in [1, 1e7]");
  if (a.every < 1) throw InvalidOption("--every", "must be >= 1");
  if (a.steps / a.every > 100'000) throw InvalidOption("--every", "more than 100000 frames: raise --every");
  particles::WorldParams params = world_params(a.world);
  DriverChoice choice = choose_driver(a.policy, params);
  particles::World world(params);
  particles::SceneGeometry scene;
  scene.box_x = world.box().x;
  scene.box_y = world.box().y;
  scene.radius = params.radius;
  if (params.scenario == particles::Scenario::lane) {
    scene.lane = true;
    scene.wall_lo = 0;
    scene.wall_hi = params.lane_width;
  }
  particles::DrawStyle style;
  style.arrow_time = 3;  // an arrow shows where the particle will be in 3 time units
  particles::AnimationWriter writer(a.out, particles::format_from_path(a.out), scene, a.width, a.fps, style);
  ProgressBar bar(a.steps, "render", !a.quiet && ProgressBar::terminal_available());
  long collisions = 0;
  particles::Frame frame;
  particles::EpisodeOptions options;
  options.steps = a.steps;
  options.observe = [&](const particles::World& w, long step) {
    const auto hits = w.hits();
    for (std::size_t i = 0; i < w.size(); ++i) collisions += hits[i];
    if (step % a.every != 0) return;
    frame.time = static_cast<double>(step) * params.dt;
    frame.discs.resize(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) {
      const auto colour = particles::heading_colour(std::atan2(w.heading_y(i), w.heading_x(i)));
      frame.discs[i] = {static_cast<float>(w.x(i)), static_cast<float>(w.y(i)), static_cast<float>(w.velocity_x(i)),
                        static_cast<float>(w.velocity_y(i)), colour[0], colour[1], colour[2], hits[i] > 0};
    }
    frame.caption = format("t = %.1f  %s  contacts %ld", frame.time, choice.name.c_str(), collisions);
    writer.add(frame);
    bar.update(step);
  };
  const auto stats = particles::run_episode(world, *choice.driver, a.seed, options);
  bar.finish();
  writer.finish();
  std::printf("animation: %s (%d frames, %d x %d px)\n", a.out.c_str(), writer.frames(), writer.width(), writer.height());
  std::printf("collisions per particle per 1000 steps %.4f, speed fraction %.4f\n", stats.collisions_per_particle_per_1000_steps(),
              stats.mean_speed_fraction);
  return 0;
}

}  // namespace

void register_particles_render(CLI::App& particles) {
  auto a = std::make_shared<RenderArgs>();
  CLI::App* sub = particles.add_subcommand("render", "animate the traffic of a driver (GIF, MP4 or PNG frames)");
  add_world_options(sub, a->world);
  sub->add_option("--policy", a->policy, "policy file from 'ldyn particles train', or cruise, or random")->required();
  sub->add_option("--steps", a->steps, "steps to simulate")->capture_default_str();
  sub->add_option("--every", a->every, "a frame every K steps")->capture_default_str();
  sub->add_option("--seed", a->seed, "seed of the episode")->capture_default_str();
  sub->add_option("--out", a->out, "traffic.gif, traffic.mp4, or a folder (frames/) of PNG frames")->capture_default_str();
  sub->add_option("--width", a->width, "width of the picture in pixels")->capture_default_str();
  sub->add_option("--fps", a->fps, "frames per second of the animation")->capture_default_str();
  sub->add_flag("--quiet", a->quiet, "no progress bar");
  add_job(sub, [a] { return run(*a); });
}

}  // namespace ldyn::cli
