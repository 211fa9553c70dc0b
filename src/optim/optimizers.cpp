// SPDX-License-Identifier: MIT
// The table of named optimizers: metadata, cross-parameter rules, recipes.
#include "optim/optimizers.hpp"

#include <optional>
#include <utility>

#include "optim/lookahead.hpp"

namespace optim {
namespace {

ParamSpec lr_param(double def) {
  return log_scale(
      open_min(number_param("lr", def, 0.0, kInf,
                            "learning rate; the base value of any schedule")),
      1e-5, 10.0);
}

ParamSpec weight_decay_param(double def, const std::string& description) {
  return linear_scale(number_param("weight_decay", def, 0.0, kInf, description),
                      0.0, 0.1);
}

ParamSpec l2_param() {
  return weight_decay_param(
      0.0, "L2 penalty: g <- g + weight_decay * theta before anything else");
}

ParamSpec beta1_param(double def = 0.9) {
  return linear_scale(
      open_max(number_param("beta1", def, 0.0, 1.0,
                            "decay rate of the first moment m (momentum)")),
      0.0, 0.999);
}

ParamSpec beta2_param(double def = 0.999) {
  return linear_scale(
      open_max(number_param("beta2", def, 0.0, 1.0,
                            "decay rate of the second moment v")),
      0.9, 0.9999);
}

ParamSpec eps_param(double def, const std::string& where) {
  return log_scale(
      number_param("eps", def, 0.0, kInf,
                   "small constant against division by zero; " + where),
      1e-12, 1e-1);
}

ParamSpec momentum_param(double def) {
  return linear_scale(
      open_max(number_param("momentum", def, 0.0, 1.0, "momentum mu")), 0.0,
      0.99);
}

ParamSpec decoupled_param() {
  return bool_param("decoupled_weight_decay", false,
                    "true: theta <- theta (1 - lr * weight_decay) (AdamW "
                    "style); false: L2 added to the gradient");
}

ParamSpec wd_mode_param(const std::string& def) {
  return choice_param(
      "wd_mode", def, {"lr", "schedule"},
      "lr: the decay is multiplied by the current learning rate (PyTorch); "
      "schedule: by the schedule multiplier eta_t only (Loshchilov & Hutter)");
}

// A transform a recipe may leave out (a disabled weight decay).
using MaybeSpec = std::optional<TransformSpec>;

void append(std::vector<TransformSpec>&) {}
template <class... Rest>
void append(std::vector<TransformSpec>& chain, MaybeSpec first,
            Rest&&... rest) {
  if (first) chain.push_back(std::move(*first));
  append(chain, std::forward<Rest>(rest)...);
}

// A recipe: the given transforms in order; empty entries (a disabled weight
// decay) are left out.
template <class... T>
std::vector<TransformSpec> chain_of(T&&... transforms) {
  std::vector<TransformSpec> chain;
  append(chain, MaybeSpec(std::forward<T>(transforms))...);
  return chain;
}

// L2 decay when weight_decay != 0 (and not decoupled, where that exists).
MaybeSpec l2(const Params& p) {
  const double wd = p.number("weight_decay");
  const bool decoupled = p.values().contains("decoupled_weight_decay") &&
                         p.flag("decoupled_weight_decay");
  if (wd != 0.0 && !decoupled) return add_l2(wd);
  return std::nullopt;
}

// Decoupled decay when weight_decay != 0 and the method asks for it.
MaybeSpec decoupled(const Params& p, bool times_lr) {
  const double wd = p.number("weight_decay");
  if (wd != 0.0) return add_decayed_weights(wd, times_lr);
  return std::nullopt;
}

MaybeSpec decoupled_if_asked(const Params& p) {
  return p.flag("decoupled_weight_decay") ? decoupled(p, true) : std::nullopt;
}

double b1(const Params& p) { return p.number("beta1"); }
double b2(const Params& p) { return p.number("beta2"); }
double eps(const Params& p) { return p.number("eps"); }

// A method's page settings (MethodPage), in the order of its members.
MethodPage method_page(double lr, int first = -1, int order = -1,
                       std::string chart = "", double inner_lr = 0.0) {
  return {lr, first, order, std::move(chart), inner_lr};
}

// `page` with its learning rate on the handwritten digits
// (MethodPage::digits_lr).
MethodPage on_digits(MethodPage page, double digits_lr) {
  page.digits_lr = digits_lr;
  return page;
}

std::vector<MethodInfo> build_methods() {
  std::vector<MethodInfo> m;
  m.push_back(
      {"sgd",
       "SGD",
       R"(\theta_t = \theta_{t-1} - \gamma_t g_t)",
       "Robbins & Monro 1951; PyTorch torch.optim.SGD",
       "Plain gradient descent: it stops wherever the gradient vanishes.",
       {lr_param(1e-3), l2_param()},
       on_digits(method_page(0.002, 4, 4), 0.3),
       nullptr,
       [](const Params& p) {
         return chain_of(l2(p), scale_by_learning_rate());
       }});

  m.push_back(
      {"sgd_momentum",
       "SGD with momentum (SGDM)",
       R"(b_t = \mu b_{t-1} + (1-\tau) g_t,\; b_1 = g_1;\quad \theta_t = \theta_{t-1} - \gamma_t b_t)",
       "Polyak 1964; PyTorch torch.optim.SGD(momentum, dampening, nesterov)",
       "Momentum in PyTorch's form: the buffer holds no learning rate, so a "
       "schedule rescales the accumulated velocity at once.",
       {lr_param(1e-3), momentum_param(0.9),
        linear_scale(number_param("dampening", 0.0, 0.0, 1.0,
                                  "dampening tau of the gradient added to the "
                                  "buffer (not applied on the first step)"),
                     0.0, 1.0),
        bool_param("nesterov", false,
                   "Nesterov form d = g + mu b (needs momentum > 0 and "
                   "dampening 0); its iterates are NAG's look-ahead points"),
        l2_param()},
       on_digits(method_page(0.002, 0, 1, "m"), 0.1),
       [](const Params& p) {
         if (p.flag("nesterov") &&
             (p.number("momentum") <= 0.0 || p.number("dampening") != 0.0)) {
           throw ConfigError(
               "nesterov",
               "sgd_momentum: nesterov = true requires momentum > 0 and "
               "dampening = 0 (got momentum = " +
                   format_number(p.number("momentum")) + ", dampening = " +
                   format_number(p.number("dampening")) + ")");
         }
       },
       [](const Params& p) {
         return chain_of(l2(p),
                         trace(p.number("momentum"), p.number("dampening"),
                               p.flag("nesterov")),
                         scale_by_learning_rate());
       }});

  m.push_back(
      {"momentum_classic",
       "Momentum (classic)",
       R"(v_t = \mu v_{t-1} - \gamma_t g_t,\quad \theta_t = \theta_{t-1} + v_t)",
       "Sutskever, Martens, Dahl & Hinton 2013",
       "Classic momentum: the learning rate lives inside the velocity, so old "
       "velocity keeps the rate it was made with.",
       {lr_param(1e-3), momentum_param(0.9)},
       on_digits(method_page(0.002, -1, -1, "velocity"), 0.1),
       nullptr,
       [](const Params& p) {
         return chain_of(scale_by_learning_rate(),
                         trace_classic(p.number("momentum"), false));
       }});

  m.push_back(
      {"nag",
       "NAG (Nesterov)",
       R"(\phi = \theta_{t-1} + \mu v_{t-1},\; v_t = \mu v_{t-1} - \gamma_t \nabla f(\phi),\; \theta_t = \theta_{t-1} + v_t)",
       "Nesterov 1983; Sutskever et al. 2013",
       "Nesterov's accelerated gradient: the gradient is taken at the "
       "look-ahead point where momentum is about to carry the parameters.",
       {lr_param(1e-3), momentum_param(0.9)},
       on_digits(method_page(0.002, -1, 5, "velocity"), 0.1),
       nullptr,
       [](const Params& p) {
         return chain_of(scale_by_learning_rate(),
                         trace_classic(p.number("momentum"), true));
       }});

  m.push_back(
      {"adagrad",
       "Adagrad",
       R"(s_t = s_{t-1} + g_t^2,\quad \theta_t = \theta_{t-1} - \frac{\gamma_t}{1+(t-1)d}\,\frac{g_t}{\sqrt{s_t}+\epsilon})",
       "Duchi, Hazan & Singer 2011; PyTorch torch.optim.Adagrad",
       "Divides by the root of all squared gradients so far: its steps only "
       "ever shrink.",
       {lr_param(1e-2),
        linear_scale(number_param("lr_decay", 0.0, 0.0, kInf,
                                  "d in gamma / (1 + (t-1) d)"),
                     0.0, 0.1),
        l2_param(),
        linear_scale(number_param("initial_accumulator_value", 0.0, 0.0, kInf,
                                  "starting value s_0 of the sum of squares"),
                     0.0, 1.0),
        eps_param(1e-10, "added outside the square root")},
       on_digits(method_page(0.5, 3, 3), 0.03),
       nullptr,
       [](const Params& p) {
         return chain_of(
             l2(p),
             scale_by_adagrad(p.number("lr_decay"),
                              p.number("initial_accumulator_value"), eps(p)),
             scale_by_learning_rate());
       }});

  m.push_back(
      {"rmsprop",
       "RMSProp",
       R"(v_t = \alpha v_{t-1} + (1-\alpha) g_t^2,\quad \theta_t = \theta_{t-1} - \gamma_t \frac{g_t}{\sqrt{v_t}+\epsilon})",
       "Hinton, Coursera lecture 6e (2012); PyTorch torch.optim.RMSprop",
       "A moving average of squared gradients instead of Adagrad's sum: the "
       "step size can recover.",
       {lr_param(1e-2),
        linear_scale(open_max(number_param("alpha", 0.99, 0.0, 1.0,
                                           "decay rate of the average v")),
                     0.0, 0.999),
        eps_param(1e-8, "added after the square root"), l2_param(),
        linear_scale(
            open_max(number_param(
                "momentum", 0.0, 0.0, 1.0,
                "momentum on the normalized gradient (lr outside the buffer)")),
            0.0, 0.99),
        bool_param("centered", false,
                   "divide by an estimate of the gradient's standard "
                   "deviation (v - mean(g)^2)")},
       on_digits(method_page(0.01, 2, 2), 0.003),
       nullptr,
       [](const Params& p) {
         const double mu = p.number("momentum");
         return chain_of(
             l2(p), scale_by_rms(p.number("alpha"), eps(p), p.flag("centered")),
             mu > 0.0 ? MaybeSpec(trace(mu, 0.0, false)) : std::nullopt,
             scale_by_learning_rate());
       }});

  m.push_back(
      {"adadelta",
       "Adadelta",
       R"(\Delta_t = \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{v_t+\epsilon}}\, g_t,\quad \theta_t = \theta_{t-1} - \gamma_t \Delta_t)",
       "Zeiler 2012; PyTorch torch.optim.Adadelta",
       "Units-corrected RMSProp: the ratio of two running RMS values replaces "
       "the learning rate (lr 1 is the paper's form).",
       {lr_param(1.0),
        linear_scale(number_param("rho", 0.9, 0.0, 1.0,
                                  "decay rate of both running averages"),
                     0.0, 0.999),
        eps_param(1e-6, "inside both square roots"), l2_param()},
       on_digits(method_page(1.0, -1, 14), 1.0),
       nullptr,
       [](const Params& p) {
         return chain_of(l2(p), scale_by_adadelta(p.number("rho"), eps(p)),
                         scale_by_learning_rate());
       }});

  m.push_back(
      {"adam",
       "Adam",
       R"(\hat m_t = \frac{m_t}{1-\beta_1^t},\; \hat v_t = \frac{v_t}{1-\beta_2^t},\quad \theta_t = \theta_{t-1} - \gamma_t \frac{\hat m_t}{\sqrt{\hat v_t}+\epsilon})",
       "Kingma & Ba 2015; PyTorch torch.optim.Adam",
       "Momentum plus RMSProp with bias correction: fast, but it tends to "
       "sharp minima.",
       {lr_param(1e-3), beta1_param(), beta2_param(),
        eps_param(1e-8, "added to sqrt(v_hat), after the bias correction"),
        weight_decay_param(0.0, "L2 penalty added to the gradient (not AdamW)"),
        bool_param("amsgrad", false,
                   "use the running maximum of v (PyTorch's AMSGrad)"),
        bool_param("bias_correction", true,
                   "divide m and v by 1 - beta^t; false: the generic Adam of "
                   "Reddi et al. 2018 (their counterexample, with the "
                   "inverse_sqrt schedule), step gamma_t m_t / (sqrt(v_t) + "
                   "eps) with eps on the uncorrected root")},
       on_digits(method_page(0.02, 1, 0, "", 0.05), 0.01),
       nullptr,
       [](const Params& p) {
         return chain_of(l2(p),
                         scale_by_adam(b1(p), b2(p), eps(p), p.flag("amsgrad"),
                                       false, p.flag("bias_correction")),
                         scale_by_learning_rate());
       }});

  m.push_back(
      {"adamax",
       "Adamax",
       R"(u_t = \max(\beta_2 u_{t-1}, |g_t|+\epsilon),\quad \theta_t = \theta_{t-1} - \frac{\gamma_t}{1-\beta_1^t} \frac{m_t}{u_t})",
       "Kingma & Ba 2015, section 7; PyTorch torch.optim.Adamax",
       "Adam with the infinity norm: the denominator is a decaying maximum of "
       "|g|.",
       {lr_param(2e-3), beta1_param(), beta2_param(),
        eps_param(1e-8, "inside the max, as in PyTorch"), l2_param()},
       on_digits(method_page(0.05, -1, 13), 0.03),
       nullptr,
       [](const Params& p) {
         return chain_of(l2(p), scale_by_adamax(b1(p), b2(p), eps(p)),
                         scale_by_learning_rate());
       }});

  m.push_back(
      {"amsgrad",
       "AMSGrad",
       R"(\hat v_t = \max(\hat v_{t-1}, v_t),\quad \theta_t = \theta_{t-1} - \gamma_t \frac{m_t}{\sqrt{\hat v_t}+\epsilon})",
       "Reddi, Kale & Kumar 2018",
       "Adam that never forgets a large second moment: the denominator is the "
       "running maximum of v, so large rare gradients keep their weight.",
       {lr_param(1e-3), beta1_param(), beta2_param(),
        eps_param(1e-8,
                  "torch: after the bias correction; paper: kept only "
                  "against 0/0"),
        l2_param(),
        choice_param("variant", "torch", {"torch", "paper"},
                     "torch: Adam(amsgrad=True) with bias correction; paper: "
                     "Reddi et al. Algorithm 2 without bias correction")},
       on_digits(method_page(0.02, -1, 6), 0.01),
       nullptr,
       [](const Params& p) {
         if (p.choice("variant") == "paper") {
           return chain_of(l2(p), scale_by_amsgrad_paper(b1(p), b2(p), eps(p)),
                           scale_by_learning_rate());
         }
         return chain_of(l2(p),
                         scale_by_adam(b1(p), b2(p), eps(p), true, false),
                         scale_by_learning_rate());
       }});

  std::vector<ParamSpec> bound_params = {
      lr_param(1e-3),
      beta1_param(),
      beta2_param(),
      log_scale(open_min(number_param(
                    "final_lr", 0.1, 0.0, kInf,
                    "the SGD learning rate both bounds converge to (scaled "
                    "by gamma_t / lr under a schedule)")),
                1e-4, 1.0),
      log_scale(open_min(open_max(number_param(
                    "gamma", 1e-3, 0.0, 1.0,
                    "convergence speed of the bounds: lower = final_lr (1 - "
                    "1/(gamma t + 1)), upper = final_lr (1 + 1/(gamma t))"))),
                1e-5, 0.1),
      eps_param(1e-8, "added to the uncorrected sqrt(v)"),
      l2_param()};
  std::vector<ParamSpec> adabound_params = bound_params;
  adabound_params.push_back(
      bool_param("amsbound", false, "use the running maximum of v (AMSBound)"));
  auto bound_recipe = [](bool force_amsbound) {
    return [force_amsbound](const Params& p) {
      const bool amsbound = force_amsbound || p.flag("amsbound");
      return chain_of(l2(p),
                      scale_by_adabound(b1(p), b2(p), p.number("final_lr"),
                                        p.number("gamma"), eps(p), amsbound));
    };
  };
  const std::string bound_formula =
      R"(\eta_t = \mathrm{clip}\Big(\frac{\gamma_t\sqrt{1-\beta_2^t}/(1-\beta_1^t)}{\sqrt{v_t}+\epsilon}, \eta_l(t), \eta_u(t)\Big),\quad \theta_t = \theta_{t-1} - \eta_t m_t)";
  m.push_back({"adabound", "AdaBound", bound_formula,
               "Luo, Xiong, Liu & Sun 2019; Luolc/AdaBound",
               "Adam whose per-coordinate rate is clipped into a band that "
               "shrinks towards final_lr: Adam early, SGD late.",
               adabound_params, on_digits(method_page(0.02, -1, 7), 0.01),
               nullptr, bound_recipe(false)});
  m.push_back({"amsbound", "AMSBound", bound_formula,
               "Luo, Xiong, Liu & Sun 2019; Luolc/AdaBound",
               "AdaBound on AMSGrad's running maximum of v.", bound_params,
               on_digits(method_page(0.02), 0.01), nullptr,
               bound_recipe(true)});

  m.push_back(
      {"swats",
       "SWATS",
       R"(\text{Adam until } |\lambda_k/(1-\beta_2^k) - \gamma_k| < \epsilon_s,\ \gamma_k = \frac{p_k^\top p_k}{-p_k^\top g_k};\ \text{then } \theta_k = \theta_{k-1} - (1-\beta_1)\Lambda w_k)",
       "Keskar & Socher 2017",
       "Starts as Adam and switches to SGD with momentum once the SGD "
       "learning rate Adam's steps project onto has settled.",
       {lr_param(1e-3), beta1_param(), beta2_param(),
        log_scale(open_min(number_param(
                      "eps", 1e-9, 0.0, kInf,
                      "added to the uncorrected sqrt(v) in the Adam phase")),
                  1e-12, 1e-1),
        log_scale(number_param("switch_eps", 1e-9, 0.0, kInf,
                               "tolerance of the switching test (absolute, "
                               "on learning-rate-sized numbers)"),
                  1e-12, 1e-2)},
       on_digits(method_page(0.02, -1, 11), 0.01),
       nullptr,
       [](const Params& p) {
         return chain_of(
             scale_by_swats(b1(p), b2(p), eps(p), p.number("switch_eps")));
       }});

  m.push_back(
      {"radam",
       "RAdam",
       R"(\rho_t = \rho_\infty - \frac{2t\beta_2^t}{1-\beta_2^t};\ \rho_t > \rho_{th}:\ \theta_t = \theta_{t-1} - \gamma_t r_t \hat m_t \frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t}+\epsilon};\ \text{else } \theta_t = \theta_{t-1} - \gamma_t \hat m_t)",
       "Liu et al. 2020; PyTorch torch.optim.RAdam",
       "Adam with a warm-up built in: no adaptive step while the variance of "
       "the adaptive rate is intractable (rho_t <= threshold).",
       {lr_param(1e-3), beta1_param(), beta2_param(),
        eps_param(1e-8, "added to the uncorrected sqrt(v)"),
        weight_decay_param(0.0,
                           "L2 penalty, or decoupled decay (see "
                           "decoupled_weight_decay)"),
        linear_scale(number_param("threshold", 5.0, 4.0, kInf,
                                  "rectify when rho_t > threshold: 4 in the "
                                  "paper, 5 in PyTorch; r_t needs rho_t > 4"),
                     4.0, 10.0),
        decoupled_param()},
       on_digits(method_page(0.003, -1, 8, "rho"), 0.01),
       nullptr,
       [](const Params& p) {
         return chain_of(
             l2(p), scale_by_radam(b1(p), b2(p), eps(p), p.number("threshold")),
             scale_by_learning_rate(), decoupled_if_asked(p));
       }});

  m.push_back(
      {"nadam",
       "NAdam",
       R"(\theta_t = \theta_{t-1} - \gamma_t\Big(\frac{1-\mu_t}{1-\Pi_t} g_t + \frac{\mu_{t+1}}{1-\Pi_t\mu_{t+1}} m_t\Big)\Big/\Big(\sqrt{v_t/(1-\beta_2^t)}+\epsilon\Big))",
       "Dozat 2016; PyTorch torch.optim.NAdam (>= 2.0)",
       "Adam with Nesterov momentum and Dozat's momentum schedule mu_t = "
       "beta1 (1 - 0.5 * 0.96^(t psi)).",
       {lr_param(2e-3), beta1_param(), beta2_param(),
        eps_param(1e-8, "added to sqrt(v_hat)"),
        weight_decay_param(0.0,
                           "L2 penalty, or decoupled decay (see "
                           "decoupled_weight_decay)"),
        linear_scale(number_param("momentum_decay", 4e-3, 0.0, kInf,
                                  "psi of the momentum schedule (0 gives mu = "
                                  "beta1/2, not beta1)"),
                     0.0, 0.01),
        decoupled_param()},
       on_digits(method_page(0.02, -1, 9), 0.01),
       nullptr,
       [](const Params& p) {
         return chain_of(
             l2(p),
             scale_by_nadam(b1(p), b2(p), eps(p), p.number("momentum_decay")),
             scale_by_learning_rate(), decoupled_if_asked(p));
       }});

  m.push_back(
      {"nadam_dozat",
       "NAdam (constant momentum)",
       R"(\hat m_t = \frac{\beta_1 m_t}{1-\beta_1^{t+1}} + \frac{(1-\beta_1) g_t}{1-\beta_1^t},\quad \theta_t = \theta_{t-1} - \gamma_t \frac{\hat m_t}{\sqrt{\hat v_t}+\epsilon})",
       "Dozat 2016, Algorithm 2 with mu_t = beta1",
       "Adam that looks ahead: the momentum term uses the next step's "
       "bias correction.",
       {lr_param(2e-3), beta1_param(), beta2_param(),
        eps_param(1e-8, "added to sqrt(v_hat)")},
       on_digits(method_page(0.02), 0.01),
       nullptr,
       [](const Params& p) {
         return chain_of(scale_by_adam(b1(p), b2(p), eps(p), false, true),
                         scale_by_learning_rate());
       }});

  m.push_back(
      {"adamw",
       "AdamW",
       R"(\theta_t = \theta_{t-1}(1 - c_t\lambda) - \gamma_t \frac{\hat m_t}{\sqrt{\hat v_t}+\epsilon},\quad c_t = \gamma_t \text{ (lr) or } \eta_t \text{ (schedule)})",
       "Loshchilov & Hutter 2019; PyTorch torch.optim.AdamW",
       "Adam with decoupled weight decay: every coordinate shrinks by the "
       "same factor, unlike L2 which Adam's normalisation distorts.",
       {lr_param(1e-3), beta1_param(), beta2_param(),
        eps_param(1e-8, "added to sqrt(v_hat)"),
        weight_decay_param(1e-2, "decoupled decay lambda"),
        bool_param("amsgrad", false, "use the running maximum of v"),
        wd_mode_param("lr")},
       on_digits(method_page(0.02, -1, 10), 0.003),
       nullptr,
       [](const Params& p) {
         return chain_of(
             scale_by_adam(b1(p), b2(p), eps(p), p.flag("amsgrad"), false),
             scale_by_learning_rate(),
             decoupled(p, p.choice("wd_mode") == "lr"));
       }});

  m.push_back(
      {"sgdw",
       "SGDW",
       R"(m_t = \mu m_{t-1} + \gamma_t g_t,\quad \theta_t = \theta_{t-1} - m_t - d_t\lambda\theta_{t-1})",
       "Loshchilov & Hutter 2019, Algorithm 1",
       "SGD (with momentum: SGDWM) and decoupled weight decay.",
       {lr_param(1e-3), momentum_param(0.0),
        weight_decay_param(0.0, "decoupled decay lambda"),
        wd_mode_param("schedule")},
       on_digits(method_page(0.002, -1, -1, "velocity"), 0.3),
       nullptr,
       [](const Params& p) {
         return chain_of(scale_by_learning_rate(),
                         trace_classic(p.number("momentum"), false),
                         decoupled(p, p.choice("wd_mode") == "lr"));
       }});

  ParamSpec inner;
  inner.name = "inner";
  inner.type = ParamType::kOptimizer;
  inner = required(inner);
  inner.description =
      "the optimizer taking the fast steps, {name, hyperparameters}, with its "
      "own lr (the schedule's base)";
  m.push_back(
      {"lookahead",
       "Lookahead",
       R"(\text{every } k \text{ steps: } \phi \leftarrow \phi + \alpha(\theta - \phi),\ \theta \leftarrow \phi)",
       "Zhang, Lucas, Hinton & Ba 2019",
       "k steps forward with any optimizer, then one step back: the slow "
       "weights move a fraction alpha towards the fast ones.",
       {linear_scale(integer_param("k", 5, 1, 1e6,
                                   "sync period: inner steps per slow step"),
                     1, 20),
        linear_scale(number_param("alpha", 0.5, 0.0, 1.0,
                                  "slow step size (1 gives the inner "
                                  "optimizer itself)"),
                     0.0, 1.0),
        inner},
       method_page(0.0, -1, 12, "slow_weights"),
       nullptr,
       nullptr});
  return m;
}

}  // namespace

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> table = build_methods();
  return table;
}

const MethodInfo& find_method(const std::string& name) {
  return find_by_name(methods(), name, "optimizer");
}

json normalize_optimizer(const json& spec) {
  if (!spec.is_object()) {
    throw ConfigError("",
                      "an optimizer must be an object {name, "
                      "hyperparameters}, got " +
                          describe_json(spec));
  }
  for (const auto& [key, value] : spec.items()) {
    if (key != "name" && key != "hyperparameters") {
      throw ConfigError(key, "unknown key '" + key +
                                 "' in optimizer (expected name, "
                                 "hyperparameters)");
    }
  }
  if (!spec.contains("name") || !spec["name"].is_string()) {
    throw ConfigError("name",
                      "the optimizer's name is missing or not a string");
  }
  const MethodInfo& info = find_method(spec["name"].get<std::string>());
  const json given = spec.value("hyperparameters", json(nullptr));
  json values;
  try {
    values = normalize_params(info.name, info.params, given);
    if (info.check) info.check(Params(values));
  } catch (const ConfigError& e) {
    throw e.within("hyperparameters");
  }
  if (info.name == "lookahead") {
    try {
      values["inner"] = normalize_optimizer(values["inner"]);
    } catch (const ConfigError& e) {
      throw e.within("hyperparameters.inner");
    }
    if (values["inner"]["name"] == "lookahead") {
      throw ConfigError("hyperparameters.inner.name",
                        "lookahead: inner must be another method, not "
                        "lookahead");
    }
  }
  return {{"name", info.name}, {"hyperparameters", values}};
}

std::unique_ptr<Optimizer> make_optimizer(const json& spec,
                                          const json& schedule) {
  const json normalized = normalize_optimizer(spec);
  const MethodInfo& info = find_method(normalized["name"]);
  const Params p(normalized["hyperparameters"]);
  if (info.name == "lookahead") {
    return std::make_unique<Lookahead>(make_optimizer(p.at("inner"), schedule),
                                       p.integer("k"), p.number("alpha"));
  }
  const double lr = p.number("lr");
  std::optional<Schedule> bound;
  if (!schedule.is_null()) bound.emplace(make_schedule(schedule), lr);
  std::vector<TransformPtr> transforms;
  for (const TransformSpec& spec : info.recipe(p)) {
    transforms.push_back(make_transform(spec));
  }
  return std::make_unique<Chain>(lr, std::move(transforms), std::move(bound));
}

json state_series_metadata() {
  auto series = [](const char* label, const char* description, bool vec) {
    return json{
        {"label", label}, {"description", description}, {"perCoordinate", vec}};
  };
  return {
      {"effective_lr",
       series("effective learning rate",
              "per-coordinate factor between the method's direction "
              "(gradient, momentum buffer or first moment) and its step: "
              "gamma_t for SGD, gamma_t / (sqrt(v_hat) + eps) for Adam, the "
              "clipped eta for AdaBound",
              true)},
      {"m",
       series("first moment m", "momentum buffer or first moment m_t", true)},
      {"v", series("second moment v",
                   "second-moment accumulator: the sum of g^2 (Adagrad) or "
                   "its moving average v_t",
                   true)},
      {"v_max",
       series("max v", "running maximum of v (AMSGrad, AMSBound)", true)},
      {"u", series("u",
                   "Adadelta: moving average of squared updates; Adamax: "
                   "decaying maximum of |g|",
                   true)},
      {"g_avg",
       series("mean gradient", "moving average of g (centered RMSProp)", true)},
      {"velocity", series("velocity v", "classic momentum velocity v_t", true)},
      {"lookahead_point",
       series("look-ahead point",
              "theta_{t-1} + mu v_{t-1}, where NAG took the gradient of "
              "update t",
              true)},
      {"w",
       series("SGD velocity w", "SWATS's momentum in the SGD phase", true)},
      {"lower",
       series("lower bound", "AdaBound's lower bound eta_l(t)", false)},
      {"upper",
       series("upper bound", "AdaBound's upper bound eta_u(t)", false)},
      {"phase", series("phase",
                       "SWATS phase after the update: 0 Adam, 1 SGD (the "
                       "switch step is the first update with phase 1)",
                       false)},
      {"projected_lr", series("projected SGD lr gamma_k",
                              "p.p / (-p.g) of the last Adam step", false)},
      {"sgd_lr_estimate", series("SGD lr estimate",
                                 "lambda_k / (1 - beta2^k), the bias-corrected "
                                 "average of gamma_k",
                                 false)},
      {"sgd_lr",
       series("SGD lr Lambda",
              "learning rate of the SGD phase (0 before the switch)", false)},
      {"rho", series("rho_t", "RAdam's length of the approximated SMA", false)},
      {"rectified", series("rectified",
                           "1 when the update used the rectified adaptive "
                           "step (rho_t > threshold)",
                           false)},
      {"rectification", series("r_t",
                               "RAdam's rectification term (0 when "
                               "not rectified)",
                               false)},
      {"mu",
       series("mu_t", "NAdam's momentum coefficient of the update", false)},
      {"slow_weights",
       series("slow weights phi", "Lookahead's slow weights after the update",
              true)},
      {"synced",
       series("synced", "1 when the update synchronised the slow weights",
              false)}};
}

namespace {

class NameCollector : public StateSink {
 public:
  void vector(const char* name, const Vec&) override { names.push_back(name); }
  void scalar(const char* name, double) override { names.push_back(name); }
  json names = json::array();
};

}  // namespace

json method_metadata(const MethodInfo& info) {
  json params = json::array();
  for (const auto& p : info.params) params.push_back(p.to_json());
  // The series a run reports, read off one step with the defaults (Lookahead
  // around SGD: its own series plus the inner optimizer's).
  json spec = {{"name", info.name}};
  if (info.name == "lookahead") {
    spec["hyperparameters"] = {{"inner", {{"name", "sgd"}}}};
  }
  auto optimizer = make_optimizer(spec);
  Vec x = Vec::Ones(2);
  optimizer->reset(x);
  optimizer->step(x, Vec::Ones(2));
  NameCollector collector;
  optimizer->report(collector);
  json page = json::object();
  if (info.page.lr > 0.0) page["lr"] = info.page.lr;
  if (info.page.first >= 0) page["first"] = info.page.first;
  if (info.page.order >= 0) page["order"] = info.page.order;
  if (!info.page.chart.empty()) page["chart"] = info.page.chart;
  if (info.page.inner_lr > 0.0) page["innerLr"] = info.page.inner_lr;
  if (info.page.digits_lr > 0.0) page["digitsLr"] = info.page.digits_lr;
  return {{"name", info.name},
          {"label", info.label},
          {"formula", info.formula},
          {"reference", info.reference},
          {"description", info.description},
          {"params", params},
          {"state", collector.names},
          {"page", page}};
}

}  // namespace optim
