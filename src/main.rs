//! The `warroom` command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use std::sync::Arc;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand};
use warroom::app::{self, AppOptions};
use warroom::cluster::ConnectOptions;
use warroom::screenshot;
use warroom::sim::{self, Faults, ScenarioName, Sim, SimConfig};
use warroom::state::View;

/// `0.1.0 (git 1a2b3c4, 2026-03-02)`, or just the version outside a git
/// checkout (build.rs).
const VERSION: &str = env!("WARROOM_VERSION");

#[derive(Parser)]
#[command(
    name = "warroom",
    version = VERSION,
    about = "A terminal console for the first five minutes of a Kubernetes incident"
)]
struct Cli {
    #[command(flatten)]
    attach: AttachArgs,
    /// Write a diagnostics log for a bug report, secrets left out, into the
    /// data directory (`warroom config path` shows where); also $WARROOM_LOG.
    #[arg(long, global = true)]
    debug: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

/// How `warroom` attaches to a cluster: kubectl's flags, kubectl's meanings.
#[derive(Args)]
struct AttachArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, global = true)]
    kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use (default: its current-context).
    #[arg(long, global = true)]
    context: Option<String>,
    /// Namespace to show (default: the context's namespace, else `default`).
    #[arg(short = 'n', long, global = true)]
    namespace: Option<String>,
    /// Show every namespace.
    #[arg(short = 'A', long, global = true, conflicts_with = "namespace")]
    all_namespaces: bool,
    /// Never change anything in the cluster (beats `--write` and the config).
    #[arg(long, global = true)]
    readonly: bool,
    /// Allow changes on a context the config makes read-only by its name
    /// (production patterns) or by `safety.readonly`.
    #[arg(long, global = true)]
    write: bool,
    /// Resume recording an incident after a restart (`warroom timeline list` shows the ids).
    #[arg(long, global = true, value_name = "ID")]
    incident: Option<String>,
    /// An Alertmanager to show alerts from (repeatable; also `[[alertmanager]]` in the config).
    #[arg(long = "alertmanager", global = true, value_name = "URL")]
    alertmanagers: Vec<String>,
    /// The config file (default: $WARROOM_CONFIG, then the platform's config directory).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Key bindings: default (k9s habits), vim, or keymaps/NAME.toml beside the config file.
    #[arg(long, global = true, value_name = "NAME", env = "WARROOM_KEYMAP")]
    keymap: Option<String>,
    /// Leave the mouse to the terminal (its own text selection); also `[ui] mouse = false`.
    #[arg(long, global = true)]
    no_mouse: bool,
    /// Colour theme: default, light, high-contrast, colorblind, mono, or your
    /// own themes/NAME.toml in the config directory (beats $WARROOM_THEME,
    /// the config and $NO_COLOR).
    #[arg(long, global = true, value_name = "NAME")]
    theme: Option<String>,
}

impl AttachArgs {
    /// The console's options for `connect`, with the config read (an
    /// unusable config file stops here, before the terminal is taken).
    fn app_options(
        &self,
        connect: ConnectOptions,
        clock: warroom::model::Clock,
    ) -> Result<AppOptions, String> {
        let config = warroom::config::load(self.config.as_deref())?;
        let user_dir = warroom::config::user_dir(self.config.as_deref());
        let theme = warroom::config::theme::console_theme(
            self.theme.as_deref(),
            &config,
            user_dir.as_deref(),
        )?;
        let keymap =
            warroom::config::choose_keymap(self.keymap.as_deref(), &config, user_dir.as_deref())?;
        let mouse = config.ui.mouse && !self.no_mouse;
        Ok(AppOptions {
            connect,
            readonly: self.readonly,
            write: self.write,
            config,
            alertmanagers: self.alertmanagers.clone(),
            incident: self.incident.clone(),
            clock,
            theme,
            bindings: keymap.bindings,
            mouse,
        })
    }

    fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            namespace: self.namespace.clone(),
            all_namespaces: self.all_namespaces,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// The console on an embedded simulated cluster playing an incident: nothing to install, nothing real to break.
    Demo(DemoArgs),
    /// The simulated cluster: a Kubernetes API on loopback with scripted incidents.
    Sim {
        #[command(subcommand)]
        command: SimCommand,
    },
    /// Incident timelines: list the recorded incidents, export one as a post-mortem draft.
    ///
    /// Journals are kept in the data directory's `incidents/` folder
    /// (`~/.local/share/warroom` on Linux; $WARROOM_DATA_DIR overrides it).
    Timeline {
        #[command(subcommand)]
        command: TimelineCommand,
    },
    /// Where warroom reads its settings and keeps its data; check the config file and themes.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// A picture (SVG) of the console on a demo scenario, drawn by the real
    /// console against the simulated cluster; `--all DIR` makes the gallery.
    ///
    /// The scenario's clock is moved to `--at` and stopped; the picture is
    /// taken once every watch has listed and every key has been answered,
    /// so the same arguments make the same picture.
    Screenshot(ScreenshotArgs),
    /// Shell completions (bash, zsh, fish, elvish, powershell) on standard output.
    ///
    /// e.g. `warroom completions bash > ~/.local/share/bash-completion/completions/warroom`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on standard output, or with -o one page per
    /// command into a directory.
    ///
    /// e.g. `warroom man | man -l -`
    Man {
        /// Write warroom.1, warroom-demo.1, … into this directory.
        #[arg(short = 'o', long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Args)]
struct ScreenshotArgs {
    /// The incident: calm, bad-deploy, oom-loop, readiness-flap, image-pull, node-pressure, scale.
    #[arg(long, default_value = "oom-loop")]
    scenario: ScenarioName,
    /// The view: pods, workloads, events, nodes or alerts.
    #[arg(long, default_value = "pods", value_parser = screenshot::parse_view)]
    view: View,
    /// Keys pressed once the view is complete, as typed (`l` logs, `h`
    /// history, `/api<enter>` a filter); <enter> <esc> <tab> <up> <down>
    /// <pgdn> <space> <lt> and the like for the others, <c-x> for ctrl-x.
    #[arg(long, default_value = "")]
    keys: String,
    /// How far into the story: 300, 90s, 5m, 1h30m (virtual time).
    #[arg(long, default_value = "5m", value_parser = screenshot::parse_at)]
    at: Duration,
    /// The terminal's size, COLUMNSxROWS.
    #[arg(long, default_value = "160x45", value_parser = screenshot::parse_size)]
    size: (u16, u16),
    /// Seed of the story.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the SVG here (replacing the file).
    #[arg(
        short = 'o',
        long,
        value_name = "FILE",
        required_unless_present = "all"
    )]
    output: Option<PathBuf>,
    /// Instead of one picture, the whole gallery (`screenshots/` in the
    /// repository) into this directory.
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with_all = ["output", "scenario", "view", "keys", "at", "size", "seed"]
    )]
    all: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// The config file, data directory and themes directory in use, whether they exist, the theme in use, and where the diagnostics log goes.
    Path,
    /// Read the config file and every theme as warroom would; exit 1 with file:line:col on an error.
    Check,
}

#[derive(Subcommand)]
enum TimelineCommand {
    /// The recorded incidents, newest first.
    List,
    /// One incident as a post-mortem draft (Markdown) or as data (JSON), secrets redacted.
    Export(ExportArgs),
    /// Appends numbered notes, printing `ack <seq>` after each (for the crash test).
    #[command(hide = true)]
    CrashWriter {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long)]
        count: u64,
    },
}

#[derive(Args)]
struct ExportArgs {
    /// The incident's id, as `warroom timeline list` shows it.
    id: String,
    /// md (a blameless post-mortem draft) or json.
    #[arg(long, default_value = "md", value_parser = ["md", "json"])]
    format: String,
    /// Write to this file (private to you) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Overwrite the file named by -o if it exists.
    #[arg(long, requires = "output")]
    force: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// The incident to play: calm, bad-deploy, oom-loop, readiness-flap, image-pull, node-pressure, scale.
    #[arg(long, default_value = "oom-loop")]
    scenario: ScenarioName,
    /// Virtual seconds per real second.
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Seed of the story.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of pods for the scale scenario.
    #[arg(long, default_value_t = 10_000)]
    pods: usize,
    /// Where the simulated cluster listens, so kubectl can join in (port 0 picks one).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Also write the demo cluster's kubeconfig here, for kubectl (kept after exit).
    #[arg(long)]
    kubeconfig_out: Option<PathBuf>,
    /// The demo cluster's user may only read (RBAC `view`): the console shows
    /// every change as not allowed, with the server's reason.
    #[arg(long)]
    readonly_user: bool,
}

#[derive(Subcommand)]
enum SimCommand {
    /// Serve the simulated cluster until Ctrl-C; kubectl and warroom connect through the kubeconfig it writes.
    Serve(ServeArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Where to write the kubeconfig (default: a file in the temp directory, removed on exit).
    #[arg(long)]
    kubeconfig_out: Option<PathBuf>,
    /// The incident to play: calm, bad-deploy, oom-loop, readiness-flap, image-pull, node-pressure, scale.
    #[arg(long, default_value = "calm")]
    scenario: ScenarioName,
    /// Number of pods for the scale scenario.
    #[arg(long, default_value_t = 10_000)]
    pods: usize,
    /// Seed of the story: same seed, same names and same events.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Virtual seconds per real second (0 stops the clock; POST /_sim/advance?seconds=N moves it).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Require this bearer token (401 otherwise).
    #[arg(long)]
    token: Option<String>,
    /// Answer 403 to every mutating request, as for a user bound to the `view` role.
    #[arg(long)]
    readonly_user: bool,
    /// Serve HTTPS with a throwaway CA (new at each start), written into the kubeconfig as
    /// certificate-authority-data, as a real cluster's kubeconfig does.
    #[arg(long)]
    tls: bool,
    /// Faults to inject, e.g. drop-watch=5s,error-rate=0.1,latency=200ms,expire-rv=30s,
    /// forbid=nodes+events, namespace-only=production.
    #[arg(long, default_value = "")]
    faults: Faults,
}

/// glibc gives threads their own malloc arenas (up to 8 per core), and the
/// sim's set-up, clock and HTTP threads each leave freed memory behind in
/// theirs: two arenas keep the 10,000-pod sim about 20 MB smaller.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas(arenas: i32) {
    // SAFETY: mallopt only adjusts allocator tuning; it is called before any
    // other thread exists, and its result (0 on failure) needs no handling.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
        // A fixed threshold: big transient buffers (a list of 10,000 pods
        // being decoded) are mapped and handed back when freed, instead of
        // glibc raising the threshold after the first one and keeping them.
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas(_arenas: i32) {}

fn main() -> ExitCode {
    // One TLS provider for kube and reqwest (ring; no OpenSSL anywhere).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    if let Some(Command::Config { command }) = &cli.command {
        return config_command(command, &cli.attach);
    }
    match &cli.command {
        Some(Command::Completions { shell }) => return exit(completions(*shell)),
        Some(Command::Man { out_dir }) => return exit(man(out_dir.as_deref())),
        _ => {}
    }
    // The journal needs no runtime (and the crash writer starts hundreds of times).
    if let Some(Command::Timeline { command }) = cli.command {
        return match timeline(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("warroom: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // The sim serves HTTP from several threads: two arenas. The console
    // alone allocates little at a time: one arena keeps it ~6 MB smaller.
    limit_malloc_arenas(if cli.command.is_some() { 2 } else { 1 });
    start_diagnostics(cli.debug, command_name(cli.command.as_ref()));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("warroom: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Some(Command::Sim {
            command: SimCommand::Serve(args),
        }) => runtime.block_on(serve(args)),
        Some(Command::Demo(args)) => runtime.block_on(demo(args, &cli.attach)),
        Some(Command::Screenshot(args)) => runtime.block_on(screenshot(args, &cli.attach)),
        // Handled above, before the runtime.
        Some(
            Command::Timeline { .. }
            | Command::Config { .. }
            | Command::Completions { .. }
            | Command::Man { .. },
        ) => Ok(()),
        None => cli
            .attach
            .app_options(
                cli.attach.connect_options(),
                warroom::cluster::system_clock(),
            )
            .and_then(|options| runtime.block_on(app::run(options))),
    };
    match &result {
        Ok(()) => tracing::info!("warroom exited"),
        Err(e) => tracing::error!(error = %e, "warroom failed"),
    }
    // Watcher tasks may still be winding down; do not wait for them.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warroom: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The command, as the diagnostics log names it.
fn command_name(command: Option<&Command>) -> &'static str {
    match command {
        None => "console",
        Some(Command::Demo(_)) => "demo",
        Some(Command::Sim { .. }) => "sim serve",
        Some(Command::Screenshot(_)) => "screenshot",
        Some(_) => "other",
    }
}

/// The diagnostics log, when `--debug` or $WARROOM_LOG asks for it. One
/// that cannot be set up is said now, before the console takes the
/// terminal, and warroom runs without it.
fn start_diagnostics(debug: bool, command: &str) {
    match warroom::diagnostics::from_process(debug) {
        Ok(None) => {}
        Ok(Some(log)) => tracing::info!(
            version = VERSION,
            pid = std::process::id(),
            command,
            filter = %log.filter,
            "warroom started"
        ),
        Err(e) => eprintln!("warroom: no diagnostics log: {e}"),
    }
}

fn exit(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warroom: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `warroom completions SHELL`: from the same definition as the parser.
fn completions(shell: clap_complete::Shell) -> Result<(), String> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "warroom", &mut script);
    let text = String::from_utf8(script)
        .map_err(|e| format!("the {shell} completions are not UTF-8: {e}"))?;
    print_out(&text)
}

/// `warroom man [-o DIR]`.
fn man(out_dir: Option<&std::path::Path>) -> Result<(), String> {
    match out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            clap_mangen::generate_to(Cli::command(), dir)
                .map_err(|e| format!("cannot write the manual pages into {}: {e}", dir.display()))
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| format!("cannot render the manual page: {e}"))?;
            let text = String::from_utf8(page)
                .map_err(|e| format!("the manual page is not UTF-8: {e}"))?;
            print_out(&text)
        }
    }
}

/// `warroom screenshot`: one picture, or the gallery.
async fn screenshot(args: ScreenshotArgs, attach: &AttachArgs) -> Result<(), String> {
    // Whichever theme the global options pick (the config file is read
    // for that alone: the picture itself uses the defaults).
    let theme = attach
        .app_options(attach.connect_options(), warroom::cluster::system_clock())?
        .theme;
    if let Some(dir) = &args.all {
        screenshot::write_gallery(dir, &theme, |path, size| {
            println!("{} ({size} bytes)", path.display());
        })
        .await?;
        return Ok(());
    }
    let Some(output) = &args.output else {
        return Err("screenshot: -o FILE or --all DIR says where to write".into());
    };
    let (width, height) = args.size;
    let shot = screenshot::Shot {
        scenario: args.scenario,
        view: args.view,
        keys: args.keys,
        at: args.at,
        width,
        height,
        seed: args.seed,
        readonly: attach.readonly,
        namespace: attach.namespace.clone(),
        all_namespaces: attach.all_namespaces,
    };
    let size = screenshot::write(&shot, &theme, output).await?;
    println!("{} ({size} bytes)", output.display());
    Ok(())
}

/// `warroom timeline …`.
fn timeline(command: TimelineCommand) -> Result<(), String> {
    use warroom::timeline::{ExportFormat, cli};
    match command {
        TimelineCommand::List => print_out(&cli::list(&cli::incidents_dir()?)?),
        TimelineCommand::Export(args) => {
            let format: ExportFormat = args.format.parse()?;
            let exported =
                cli::export(&cli::incidents_dir()?, &args.id, format).map_err(|e| e.to_string())?;
            for warning in &exported.warnings {
                eprintln!("warroom: {warning}");
            }
            match &args.output {
                Some(path) => cli::write_file(path, &exported.text, args.force),
                None => print_out(&exported.text),
            }
        }
        TimelineCommand::CrashWriter { dir, id, count } => {
            cli::crash_writer(&dir, &id, count, &mut std::io::stdout().lock())
        }
    }
}

/// Writes `text` to standard output; a reader that went away (`| head`)
/// is not an error.
fn print_out(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

/// `warroom config path|check` (the work is in `warroom::config::cli`).
fn config_command(command: &ConfigCommand, attach: &AttachArgs) -> ExitCode {
    use warroom::config::cli;
    let places = cli::Places::from_process(
        attach.config.as_deref(),
        attach.theme.as_deref(),
        attach.keymap.as_deref(),
    );
    let report = match command {
        ConfigCommand::Path => cli::Report {
            lines: cli::path_lines(&places),
            errors: Vec::new(),
        },
        ConfigCommand::Check => cli::check(&places),
    };
    for line in &report.lines {
        println!("{line}");
    }
    for error in &report.errors {
        eprintln!("warroom: {error}");
    }
    if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn check_speed(speed: f64) -> Result<(), String> {
    if speed >= 0.0 && speed.is_finite() {
        Ok(())
    } else {
        Err(format!("--speed must be a number ≥ 0, got {speed}"))
    }
}

/// A simulated cluster built, listening, and written into a kubeconfig.
struct StartedSim {
    sim: Sim,
    server: String,
    listener: tokio::net::TcpListener,
    /// `--tls`: the throwaway CA and serving certificate.
    certificates: Option<sim::Certificates>,
    kubeconfig: PathBuf,
    /// The kubeconfig is ours to remove on exit.
    temporary: bool,
}

impl StartedSim {
    /// Builds the sim off the async threads (10,000 pods take seconds),
    /// binds `listen`, and writes its kubeconfig to `out` or a temp file
    /// named by `temp_name(port)`.
    async fn start(
        mut config: SimConfig,
        listen: SocketAddr,
        out: Option<PathBuf>,
        tls: bool,
        temp_name: impl Fn(u16) -> String,
    ) -> Result<StartedSim, String> {
        check_speed(config.speed)?;
        let certificates = if tls {
            // kubectl asks for a username and password when an https
            // cluster's user has no credentials: a real cluster's
            // kubeconfig has some, so this one gets a throwaway token.
            if config.token.is_none() {
                config.token = Some(sim::Certificates::token()?);
            }
            Some(sim::Certificates::throwaway()?)
        } else {
            None
        };
        let token = config.token.clone();
        let namespace = if config.scenario == ScenarioName::Scale {
            "team-01"
        } else {
            "production"
        };
        if config.scenario == ScenarioName::Scale && config.pods >= 2_000 {
            // About a millisecond a pod: say why nothing shows yet.
            eprintln!(
                "warroom sim: building {} pods (a few seconds)…",
                config.pods
            );
        }
        let sim = tokio::task::spawn_blocking(move || Sim::new(config))
            .await
            .map_err(|e| format!("building the simulated cluster failed: {e}"))?;
        let (addr, listener) = sim
            .bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let scheme = if certificates.is_some() {
            "https"
        } else {
            "http"
        };
        let server = format!("{scheme}://{addr}");
        tracing::info!(%server, "simulated cluster listening");
        let (kubeconfig, temporary) = match out {
            Some(p) => (p, false),
            None => (std::env::temp_dir().join(temp_name(addr.port())), true),
        };
        sim::kubeconfig::write(
            &kubeconfig,
            &sim::kubeconfig::render_with_ca(
                &server,
                token.as_deref(),
                namespace,
                certificates.as_ref().map(|c| c.ca_pem.as_str()),
            ),
        )
        .map_err(|e| format!("cannot write kubeconfig {}: {e}", kubeconfig.display()))?;
        Ok(StartedSim {
            sim,
            server,
            listener,
            certificates,
            kubeconfig,
            temporary,
        })
    }
}

/// Removes a kubeconfig this process wrote to the temp directory.
fn remove_temporary(path: &std::path::Path, temporary: bool) {
    if temporary {
        let _ = std::fs::remove_file(path);
    }
}

/// `warroom demo`: the simulated cluster in this process, on loopback, and
/// the console attached to it through a kubeconfig — the same client path as
/// a real cluster. Ages and "stale since" read the sim's virtual clock.
async fn demo(args: DemoArgs, attach: &AttachArgs) -> Result<(), String> {
    // Read before the sim is built: a broken config costs no wait.
    let mut options =
        attach.app_options(attach.connect_options(), warroom::cluster::system_clock())?;
    let config = SimConfig {
        scenario: args.scenario,
        pods: args.pods,
        seed: args.seed,
        speed: args.speed,
        readonly_user: args.readonly_user,
        ..SimConfig::default()
    };
    let StartedSim {
        sim,
        listener,
        kubeconfig,
        temporary,
        ..
    } = StartedSim::start(config, args.listen, args.kubeconfig_out, false, |port| {
        format!("warroom-demo-{}-{port}.kubeconfig", std::process::id())
    })
    .await?;
    let server = tokio::spawn({
        let sim = sim.clone();
        async move { sim.serve(listener, std::future::pending()).await }
    });
    let clock_task = tokio::spawn(sim.clone().run_clock());
    options.connect.kubeconfig = Some(kubeconfig.clone());
    options.connect.context = None;
    let sim_clock = sim.clone();
    options.clock = Arc::new(move || sim_clock.now());
    let result = app::run(options).await;
    clock_task.abort();
    server.abort();
    remove_temporary(&kubeconfig, temporary);
    result
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let config = SimConfig {
        scenario: args.scenario,
        pods: args.pods,
        seed: args.seed,
        speed: args.speed,
        token: args.token.clone(),
        readonly_user: args.readonly_user,
        faults: args.faults,
        ..SimConfig::default()
    };
    let StartedSim {
        sim,
        server,
        listener,
        certificates,
        kubeconfig,
        temporary,
    } = StartedSim::start(config, args.listen, args.kubeconfig_out, args.tls, |port| {
        format!("warroom-sim-{port}.kubeconfig")
    })
    .await?;
    let path = kubeconfig.display();
    println!(
        "warroom sim: scenario {} ({}) at {server}",
        args.scenario,
        args.scenario.story()
    );
    println!("kubeconfig: {path}");
    println!("try:        KUBECONFIG={path} kubectl get pods -A");
    println!("stop:       Ctrl-C");
    let clock = tokio::spawn(sim.clone().run_clock());
    let result = match &certificates {
        Some(c) => sim.serve_tls(listener, c, shutdown_signal()).await,
        None => sim.serve(listener, shutdown_signal()).await,
    };
    clock.abort();
    remove_temporary(&kubeconfig, temporary);
    result.map_err(|e| format!("server failed: {e}"))
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
