// `ldyn particles train`: learn one shared driving policy (invariant or raw inputs) with an
// evolution strategy or REINFORCE, updates by any optim preset; a CSV row per iteration, PNG
// learning curves, the policy file, checkpoints with exact resume.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli_text.hpp"
#include "commands.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "particles/training.hpp"
#include "particles_common.hpp"

namespace ldyn::cli {
namespace {

struct TrainArgs {
  WorldArgs world;
  particles::TrainOptions train;
  std::string policy = "invariant";
  std::string learner = "es";
  std::string aggregate = "sum";
  std::string out = "particles-curve.csv";
  std::string save = "particles-policy.txt";
  std::string plot;  // default: OUT with .png
  std::string json;
  std::string checkpoint, resume;
  long checkpoint_every = 10;
  bool quiet = false;
};

std::string with_extension(const std::string& path, const std::string& ext) {
  return std::filesystem::path(path).replace_extension(ext).string();
}

void write_curve(const std::string& path, const std::vector<particles::IterationRow>& rows, const std::vector<double>& seconds) {
  CsvTable csv({"iteration", "particle_steps", "train_return", "eval_return", "collisions_per_particle_per_1000_steps",
                "edge_hits_per_particle_per_1000_steps", "mean_speed_fraction", "grad_norm", "seconds"});
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    csv.add_row({CsvTable::integer(r.iteration), CsvTable::integer(r.particle_steps), CsvTable::number(r.train_return),
                 CsvTable::number(r.eval_return), CsvTable::number(r.collisions_per_particle_per_1000_steps),
                 CsvTable::number(r.edge_hits_per_particle_per_1000_steps), CsvTable::number(r.mean_speed_fraction),
                 CsvTable::number(r.grad_norm), CsvTable::number(k < seconds.size() ? seconds[k] : NAN)});
  }
  csv.write(path);
}

void write_plots(const std::string& png, const std::vector<particles::IterationRow>& rows, const std::string& label) {
  LinePlot ret, safety;
  ret.title = "return per particle per episode (" + label + ")";
  safety.title = "collisions and speed (" + label + ")";
  ret.xlabel = safety.xlabel = "environment particle-steps";
  PlotSeries train{"train (perturbed / exploring)", {}, {}}, eval{"eval (deterministic)", {}, {}};
  PlotSeries coll{"collisions per particle per 1000 steps", {}, {}}, speed{"mean speed / cruise speed", {}, {}};
  for (const auto& r : rows) {
    const double x = static_cast<double>(r.particle_steps);
    for (auto [s, y] : {std::pair{&train, r.train_return}, {&eval, r.eval_return},
                        {&coll, r.collisions_per_particle_per_1000_steps}, {&speed, r.mean_speed_fraction}}) {
      s->x.push_back(x);
      s->y.push_back(y);
    }
  }
  ret.series = {train, eval};
  safety.series = {coll, speed};
  save_plot(ret, png);
  save_plot(safety, with_extension(png, "").append("-safety.png"));
}

int run(TrainArgs& a) {
  auto& o = a.train;
  o.world = world_params(a.world);
  o.policy = particles::parse_policy_kind(a.policy);
  o.learner = particles::parse_learner(a.learner);
  o.sensing.aggregate = particles::parse_aggregate(a.aggregate);
  if (a.checkpoint_every < 1) throw InvalidOption("--checkpoint-every", "must be >= 1");
  particles::TrainSession session(o);  // validates everything else
  if (!a.resume.empty()) {
    session.load_checkpoint(a.resume);
    std::printf("resumed %s at iteration %ld\n", a.resume.c_str(), session.iteration());
  }
  const std::string label = to_string(o.policy) + " policy, " + to_string(o.learner);
  std::printf("particles train: %s, %s, N = %ld, %ld parameters, %ld iterations of %ld steps\n", label.c_str(),
              to_string(o.world.scenario).c_str(), o.world.particles, static_cast<long>(session.policy().net.parameter_count()),
              o.iterations, o.episode_steps);
  std::vector<double> seconds(session.rows().size(), NAN);
  ProgressBar bar(o.iterations, "train", !a.quiet && ProgressBar::terminal_available());
  const auto start = std::chrono::steady_clock::now();
  const long report_every = std::max(1L, o.iterations / 10);
  while (!session.finished()) {
    const auto& r = session.iterate();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    const std::string status = format("return %.2f  collisions %.3f  speed %.3f", r.eval_return,
                                      r.collisions_per_particle_per_1000_steps, r.mean_speed_fraction);
    bar.update(r.iteration, status);
    if (!a.quiet && (r.iteration % report_every == 0 || session.finished()) && !ProgressBar::terminal_available())
      std::printf("iteration %ld  steps %ld  %s\n", r.iteration, r.particle_steps, status.c_str());
    if (!a.checkpoint.empty() && (r.iteration % a.checkpoint_every == 0 || session.finished())) {
      session.save_checkpoint(a.checkpoint);
      write_curve(a.out, session.rows(), seconds);
    }
  }
  bar.finish();
  write_curve(a.out, session.rows(), seconds);
  std::printf("curve: %s\n", a.out.c_str());
  particles::save_policy(a.save, session.policy());
  std::printf("policy: %s\n", a.save.c_str());
  write_plots(a.plot.empty() ? with_extension(a.out, ".png") : a.plot, session.rows(), label);
  const auto& last = session.rows().back();
  std::printf("final: return %.3f, collisions per particle per 1000 steps %.4f, speed fraction %.3f, %ld particle-steps\n",
              last.eval_return, last.collisions_per_particle_per_1000_steps, last.mean_speed_fraction, last.particle_steps);
  if (!a.json.empty()) {
    std::string j = "{\n";
    j += "  \"policy\": " + json_string(to_string(o.policy)) + ",\n  \"learner\": " + json_string(to_string(o.learner)) + ",\n";
    j += "  \"iterations\": " + std::to_string(last.iteration) + ",\n  \"particle_steps\": " + std::to_string(last.particle_steps) + ",\n";
    j += "  \"eval_return\": " + json_number(last.eval_return) + ",\n";
    j += "  \"collisions_per_particle_per_1000_steps\": " + json_number(last.collisions_per_particle_per_1000_steps) + ",\n";
    j += "  \"mean_speed_fraction\": " + json_number(last.mean_speed_fraction) + ",\n";
    j += "  \"seconds\": " + json_number(seconds.empty() ? NAN : seconds.back()) + "\n}\n";
    write_text_atomically(a.json, j);
    std::printf("summary: %s\n", a.json.c_str());
  }
  return 0;
}

}  // namespace

void register_particles_train(CLI::App& particles) {
  auto a = std::make_shared<TrainArgs>();
  auto& o = a->train;
  CLI::App* sub = particles.add_subcommand("train", "learn a shared driving policy (evolution strategy or policy gradient)");
  add_world_options(sub, a->world);
  sub->add_option("--policy", a->policy, "inputs: invariant (4 Galilean invariants + own velocity) or raw (world frame)")->capture_default_str();
  sub->add_option("--learner", a->learner, "es (evolution strategy) or pg (REINFORCE with a baseline)")->capture_default_str();
  sub->add_option("--hidden", o.hidden, "hidden tanh units of the policy (0: linear)")->capture_default_str();
  sub->add_option("--sensing-radius", o.sensing.sensing_radius, "neighbours farther away are not seen")->capture_default_str();
  sub->add_option("--horizon", o.sensing.horizon, "look-ahead time of the threat")->capture_default_str();
  sub->add_option("--margin", o.sensing.margin, "predicted gaps below this are threatening")->capture_default_str();
  sub->add_option("--aggregate", a->aggregate, "invariant policy: sum (threat-weighted, all neighbours) or max (most threatening)")->capture_default_str();
  sub->add_option("--neighbours", o.sensing.neighbours, "raw policy: nearest neighbours seen")->capture_default_str();
  sub->add_option("--iterations", o.iterations, "learning iterations")->capture_default_str();
  sub->add_option("--episode-steps", o.episode_steps, "steps per episode")->capture_default_str();
  sub->add_option("--seed", o.seed, "seed of the initial policy, the episodes and the noise")->capture_default_str();
  sub->add_option("--optimizer", o.optimizer, "optim preset applied to the gradient estimate")->capture_default_str();
  sub->add_option("--lr", o.lr, "learning rate")->capture_default_str();
  sub->add_option("--es-pairs", o.es.pairs, "es: antithetic pairs per iteration")->capture_default_str();
  sub->add_option("--es-sigma", o.es.sigma, "es: perturbation scale")->capture_default_str();
  sub->add_option("--pg-episodes", o.pg.episodes, "pg: episodes per iteration")->capture_default_str();
  sub->add_option("--pg-noise", o.pg.action_noise, "pg: exploration noise, in units of a_max")->capture_default_str();
  sub->add_option("--pg-discount", o.pg.discount, "pg: discount of the return-to-go")->capture_default_str();
  sub->add_option("--out", a->out, "learning curve CSV (one row per iteration)")->capture_default_str();
  sub->add_option("--save", a->save, "the trained policy (text)")->capture_default_str();
  sub->add_option("--plot", a->plot, "learning curves PNG (default: OUT with .png; and OUT-safety.png)");
  sub->add_option("--json", a->json, "summary JSON");
  sub->add_option("--checkpoint", a->checkpoint, "checkpoint file (written atomically)");
  sub->add_option("--checkpoint-every", a->checkpoint_every, "iterations between checkpoints")->capture_default_str();
  sub->add_option("--resume", a->resume, "continue from this checkpoint (same options; --iterations may grow)");
  sub->add_flag("--quiet", a->quiet, "no progress");
  add_job(sub, [a] { return run(*a); });
}

}  // namespace ldyn::cli
