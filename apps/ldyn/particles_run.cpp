// `ldyn particles run`: evaluate a driver (a trained policy file, cruise or random) over one or
// more seeds, optionally in a boosted frame; the numbers the goals are stated in, as a
// table and JSON, with a digest of the road-frame trajectory for the Galilean test.
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "particles/episode.hpp"
#include "particles_common.hpp"

namespace ldyn::cli {
namespace {

struct RunArgs {
  WorldArgs world;
  std::string policy;
  long steps = 1000;
  std::uint64_t seed = 1;
  long seeds = 1;
  std::string json;
};

int run(RunArgs& a) {
  if (a.steps < 1 || a.steps > 100'000'000) throw InvalidOption("--steps", "must be in [1, 1e8] (got " + std::to_string(a.steps) + ")");
  if (a.seeds < 1 || a.seeds > 100'000) throw InvalidOption("--seeds", "must be in [1, 100000] (got " + std::to_string(a.seeds) + ")");
  particles::WorldParams params = world_params(a.world);
  DriverChoice choice = choose_driver(a.policy, params);
  particles::World world(params);
  particles::EpisodeOptions options;
  options.steps = a.steps;
  options.digest = true;
  std::vector<particles::EpisodeStats> stats;
  std::vector<double> coll, speed, ret, edges;
  std::printf("particles run: %s, %s, N = %ld, %ld steps, boost (%g, %g)\n", choice.name.c_str(),
              to_string(params.scenario).c_str(), params.particles, a.steps, params.boost_x, params.boost_y);
  std::printf("%8s %14s %12s %12s %18s\n", "seed", "collisions*", "speed/cruise", "return", "digest");
  for (long k = 0; k < a.seeds; ++k) {
    const std::uint64_t seed = a.seed + static_cast<std::uint64_t>(k);
    const auto s = particles::run_episode(world, *choice.driver, seed, options);
    stats.push_back(s);
    coll.push_back(s.collisions_per_particle_per_1000_steps());
    speed.push_back(s.mean_speed_fraction);
    ret.push_back(s.mean_return);
    edges.push_back(s.edge_hits_per_particle_per_1000_steps());
    std::printf("%8" PRIu64 " %14.4f %12.4f %12.3f %18" PRIx64 "\n", seed, coll.back(), speed.back(), ret.back(), s.digest);
  }
  const auto c = particles::mean_sd(coll), v = particles::mean_sd(speed), r = particles::mean_sd(ret), e = particles::mean_sd(edges);
  std::printf("mean over %ld seeds: collisions per particle per 1000 steps %.4f +- %.4f, speed fraction %.4f +- %.4f, "
              "return %.3f +- %.3f\n", a.seeds, c.mean, c.sd, v.mean, v.sd, r.mean, r.sd);
  if (params.scenario == particles::Scenario::lane) std::printf("edge hits per particle per 1000 steps %.4f +- %.4f\n", e.mean, e.sd);
  std::printf("(* collisions a particle takes part in, per particle per 1000 steps)\n");
  if (!a.json.empty()) {
    std::string j = "{\n";
    j += "  \"policy\": " + json_string(choice.name) + ",\n";
    j += "  \"scenario\": " + json_string(to_string(params.scenario)) + ",\n";
    j += "  \"particles\": " + std::to_string(params.particles) + ",\n  \"steps\": " + std::to_string(a.steps) + ",\n";
    j += "  \"boost\": [" + json_number(params.boost_x) + ", " + json_number(params.boost_y) + "],\n";
    j += "  \"seeds\": " + std::to_string(a.seeds) + ",\n";
    j += "  \"collisions_per_particle_per_1000_steps\": " + json_number(c.mean) + ",\n";
    j += "  \"collisions_per_particle_per_1000_steps_sd\": " + json_number(c.sd) + ",\n";
    j += "  \"mean_speed_fraction\": " + json_number(v.mean) + ",\n";
    j += "  \"mean_speed_fraction_sd\": " + json_number(v.sd) + ",\n";
    j += "  \"mean_return\": " + json_number(r.mean) + ",\n";
    j += "  \"edge_hits_per_particle_per_1000_steps\": " + json_number(e.mean) + ",\n";
    j += "  \"per_seed\": [\n";
    for (std::size_t k = 0; k < stats.size(); ++k) {
      const auto& s = stats[k];
      j += format("    {\"seed\": %" PRIu64 ", \"collisions\": %ld, \"collisions_per_particle_per_1000_steps\": %s, "
                  "\"mean_speed_fraction\": %s, \"mean_return\": %s, \"trajectory_digest\": \"%016" PRIx64 "\"}%s\n",
                  a.seed + k, s.collisions, json_number(coll[k]).c_str(), json_number(speed[k]).c_str(),
                  json_number(ret[k]).c_str(), s.digest, k + 1 < stats.size() ? "," : "");
    }
    j += "  ]\n}\n";
    write_text_atomically(a.json, j);
    std::printf("evaluation: %s\n", a.json.c_str());
  }
  return 0;
}

}  // namespace

void register_particles_run(CLI::App& particles) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* sub = particles.add_subcommand("run", "evaluate a trained policy, cruise or random");
  add_world_options(sub, a->world);
  sub->add_option("--policy", a->policy, "policy file from 'ldyn particles train', or cruise, or random")->required();
  sub->add_option("--steps", a->steps, "steps per episode")->capture_default_str();
  sub->add_option("--seed", a->seed, "seed of the (first) episode")->capture_default_str();
  sub->add_option("--seeds", a->seeds, "number of episodes, seeds SEED, SEED+1, ...")->capture_default_str();
  sub->add_option("--json", a->json, "evaluation JSON");
  add_job(sub, [a] { return run(*a); });
}

}  // namespace ldyn::cli
