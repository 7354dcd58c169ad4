//! What a scenario has made true about the world, and the changes it still
//! has to make: the data container behaviour and node memory read. The
//! scenario itself (what to build, when to change what) is in `scenario.rs`.

use jiff::Timestamp;

/// A change the scenario makes at a moment of the story.
#[derive(Debug, Clone)]
pub enum Step {
    /// Roll a deployment to a new image, optionally dropping an env var, as a CI pipeline would.
    Deploy {
        namespace: String,
        name: String,
        image: String,
        drop_env: Option<String>,
        cause: String,
    },
    /// An app's memory starts growing this fast (MiB/min).
    Load {
        namespace: String,
        app: String,
        growth: f64,
    },
    /// Traffic on an app now needs this many millicores in all (shared by
    /// its pods: CPU per pod falls as it scales out).
    Traffic {
        namespace: String,
        app: String,
        cpu_millis: f64,
    },
    /// Someone creates an object (a migration Job kicked off by CI).
    Create {
        group: &'static str,
        plural: &'static str,
        namespace: String,
        object: serde_json::Value,
    },
    /// Several objects appear together: (group, plural, namespace, object).
    CreateAll(Vec<(&'static str, &'static str, String, serde_json::Value)>),
    /// An app's readiness probe starts flapping.
    Flap { app: String },
    /// A client changes an object: a JSON merge patch written by `manager`
    /// (through `subresource`, as `kubectl scale` writes through `scale`).
    Edit {
        storage: &'static str,
        namespace: String,
        name: String,
        manager: &'static str,
        subresource: Option<&'static str>,
        patch: serde_json::Value,
    },
    /// Memory outside pods on a node starts leaking.
    NodeLeak {
        node: String,
        initial_mib: f64,
        mib_per_min: f64,
        max_mib: f64,
    },
}

/// What the scenario has made true about the world so far. Container
/// behaviour reads it (see [`super::apps::behaviour`]).
#[derive(Debug, Clone, Default)]
pub struct Story {
    pub missing_images: Vec<String>,
    /// App names whose readiness flaps.
    pub flapping: Vec<String>,
    /// Apps that deadlock a while after this moment (and fail their liveness probe).
    pub hanging: Vec<(String, Timestamp)>,
    /// (namespace, app, MiB/min)
    pub growth: Vec<(String, String, f64)>,
    /// (node, since, initial MiB, MiB/min, max MiB)
    pub node_leaks: Vec<(String, Timestamp, f64, f64, f64)>,
    /// (namespace, app, total millicores, since): traffic an app's pods share.
    pub cpu_load: Vec<(String, String, f64, Timestamp)>,
    pub scale: bool,
    /// Pending steps, soonest last.
    pub script: Vec<(Timestamp, Step)>,
    /// Pod deletions per virtual second (the scale scenario's churn).
    pub churn_per_sec: f64,
    /// Deletions owed from fractions of a step.
    pub churn_owed: f64,
    /// Bumped whenever behaviour-relevant facts change.
    pub version: u64,
}

impl Story {
    pub fn memory_growth(&self, namespace: &str, app: &str) -> f64 {
        self.growth
            .iter()
            .rev()
            .find(|(ns, a, _)| ns == namespace && a == app)
            .map_or(0.0, |(_, _, g)| *g)
    }

    /// The CPU an app's traffic needs in all, if a scenario set it.
    pub fn cpu_demand(&self, namespace: &str, app: &str) -> Option<f64> {
        self.overload(namespace, app).map(|(m, _)| m)
    }

    /// The traffic on an app and since when, if a scenario set it.
    pub fn overload(&self, namespace: &str, app: &str) -> Option<(f64, Timestamp)> {
        self.cpu_load
            .iter()
            .rev()
            .find(|(ns, a, ..)| ns == namespace && a == app)
            .map(|(_, _, m, t)| (*m, *t))
    }

    pub fn node_leak_mib(&self, node: &str, now: Timestamp) -> f64 {
        self.node_leaks
            .iter()
            .filter(|(n, ..)| n == node)
            .map(|(_, since, initial, rate, max)| {
                let mins = now.duration_since(*since).as_secs_f64().max(0.0) / 60.0;
                (initial + rate * mins).min(*max)
            })
            .sum()
    }

    /// Schedules `step` at `t`.
    pub fn at(&mut self, t: Timestamp, step: Step) {
        self.script.push((t, step));
        self.script.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    }
}
