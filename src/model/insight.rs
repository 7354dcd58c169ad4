//! What warroom knows of an object the `:<resource>` view lists, beyond the
//! server's columns. The browse view shows any resource in the columns the
//! server prints; for the kinds the console watches itself (HPAs; others as
//! they are watched) a [`Lens`] adds what an on-call engineer needs: a
//! [`Mark`] that sorts problems first and colours the row, a few columns of
//! its own (`DESIRED`, `STATE`…), and a detail in words, with what a state
//! means for someone new to Kubernetes.
//!
//! Pure: everything comes from [`ClusterData`] and `now`, whose text is
//! made safe for the terminal where it is decoded, so a lens's words are
//! drawn as they are. A lens looks an
//! object up by key (maps, never a scan of every object per row), so the
//! view sorts 2,000 rows without walking 50,000 pods.

use jiff::Timestamp;

use super::ObjectKey;
use super::api_resource::ApiKind;
use super::cluster::ClusterData;

mod hpa;
mod ingress;
pub(crate) mod job;
mod service;

/// How a row stands, problems first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Users are likely hurt now: traffic fails, work is not done.
    Bad,
    /// Degrading or about to: worth a look.
    Warn,
    /// On its way (a rollout, a job running).
    Busy,
    Ok,
}

impl Mark {
    pub fn problem(self) -> bool {
        matches!(self, Mark::Bad | Mark::Warn)
    }

    /// How a line saying this mark reads in the detail.
    pub fn tone(self) -> Tone {
        match self {
            Mark::Bad => Tone::Bad,
            Mark::Warn => Tone::Warn,
            Mark::Busy => Tone::Plain,
            Mark::Ok => Tone::Good,
        }
    }
}

/// What a lens says of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub mark: Mark,
    /// The cells of the lens's [`Lens::columns`], in order.
    pub cells: Vec<String>,
}

/// How a line of the detail reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Secondary: explanations, ages.
    Dim,
    Good,
    Warn,
    Bad,
}

/// One line of the detail: `label  text`, or a sentence when `label` is
/// empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: String,
    pub text: String,
    pub tone: Tone,
}

impl Fact {
    pub fn new(label: impl Into<String>, text: impl Into<String>, tone: Tone) -> Fact {
        Fact {
            label: label.into(),
            text: text.into(),
            tone,
        }
    }

    /// A sentence of its own.
    pub fn line(text: impl Into<String>, tone: Tone) -> Fact {
        Fact::new("", text, tone)
    }
}

/// A titled part of the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub facts: Vec<Fact>,
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Section {
        Section {
            heading: heading.into(),
            facts: Vec::new(),
        }
    }

    pub fn push(&mut self, fact: Fact) {
        self.facts.push(fact);
    }

    /// "What it means", for someone new to the kind: the meaning first,
    /// then the steps ([`Section::step`]).
    pub fn what_it_means(meaning: impl Into<String>) -> Section {
        let mut s = Section::new("What it means");
        s.push(Fact::line(meaning, Tone::Dim));
        s
    }

    /// One thing to check next, as a bullet.
    pub fn step(&mut self, text: impl std::fmt::Display) {
        self.push(Fact::line(format!("• {text}"), Tone::Dim));
    }
}

/// The kinds warroom knows beyond the server's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lens {
    /// `horizontalpodautoscalers.autoscaling`
    Hpa,
    /// `services`
    Service,
    /// `ingresses.networking.k8s.io`
    Ingress,
    /// `jobs.batch`
    Job,
    /// `cronjobs.batch`
    CronJob,
}

impl Lens {
    /// The lens for a resource, by group and plural (any version: the
    /// console's own watch reads the version it knows).
    pub fn of(kind: &ApiKind) -> Option<Lens> {
        match (kind.group.as_str(), kind.plural.as_str()) {
            ("autoscaling", "horizontalpodautoscalers") => Some(Lens::Hpa),
            ("", "services") => Some(Lens::Service),
            ("networking.k8s.io", "ingresses") => Some(Lens::Ingress),
            ("batch", "jobs") => Some(Lens::Job),
            ("batch", "cronjobs") => Some(Lens::CronJob),
            _ => None,
        }
    }

    /// Whether its objects run pods of their own, whose logs `l` streams
    /// (a Job's attempts).
    pub fn has_pods(self) -> bool {
        matches!(self, Lens::Job)
    }

    /// The columns it adds after the server's.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Lens::Hpa => hpa::COLUMNS,
            Lens::Service => service::COLUMNS,
            Lens::Ingress => ingress::COLUMNS,
            Lens::Job => job::JOB_COLUMNS,
            Lens::CronJob => job::CRONJOB_COLUMNS,
        }
    }

    /// What it knows of `key`, or `None` when the console has not (yet)
    /// seen the object in its own watch (not allowed, or not listed yet):
    /// the row then shows the server's columns alone.
    pub fn verdict(
        self,
        cluster: &ClusterData,
        key: &ObjectKey,
        now: Timestamp,
    ) -> Option<Verdict> {
        match self {
            Lens::Hpa => hpa::verdict(cluster, key, now),
            Lens::Service => service::verdict(cluster, key, now),
            Lens::Ingress => ingress::verdict(cluster, key, now),
            Lens::Job => job::job_verdict(cluster, key),
            Lens::CronJob => job::cron_verdict(cluster, key, now),
        }
    }

    /// The detail pane's sections for `key` (empty when unknown).
    pub fn detail(self, cluster: &ClusterData, key: &ObjectKey, now: Timestamp) -> Vec<Section> {
        match self {
            Lens::Hpa => hpa::detail(cluster, key, now),
            Lens::Service => service::detail(cluster, key, now),
            Lens::Ingress => ingress::detail(cluster, key, now),
            Lens::Job => job::job_detail(cluster, key, now),
            Lens::CronJob => job::cron_detail(cluster, key, now),
        }
    }

    /// The console's own watch this lens reads: when it is not allowed or
    /// down, the rows show the server's columns alone.
    pub fn watched_by(self) -> super::cluster::Resource {
        match self {
            Lens::Hpa => super::cluster::Resource::Autoscalers,
            Lens::Service => super::cluster::Resource::EndpointSlices,
            Lens::Ingress => super::cluster::Resource::Ingresses,
            Lens::Job => super::cluster::Resource::Jobs,
            Lens::CronJob => super::cluster::Resource::CronJobs,
        }
    }
}

/// `4m ago`.
pub(crate) fn ago(t: Timestamp, now: Timestamp) -> String {
    format!(
        "{} ago",
        super::pod_status::human_duration(now.duration_since(t))
    )
}

/// "for 12m" style: how long since `since`, or nothing when unknown.
pub(crate) fn for_how_long(since: Option<Timestamp>, now: Timestamp) -> String {
    since.map_or_else(String::new, |t| {
        format!(
            " for {}",
            super::pod_status::human_duration(now.duration_since(t))
        )
    })
}

#[cfg(test)]
mod tests;
