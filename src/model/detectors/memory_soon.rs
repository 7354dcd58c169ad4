//! `MemoryLimitSoon`: a pod whose memory climbs steadily and, at the
//! current rate, reaches its limit within `memory_limit_soon` (10 minutes
//! by default) — the warning before the OOM kill, not after it.
//!
//! The rate is the usage history's trend
//! ([`SeriesView::memory_trend`](crate::model::usage_history::SeriesView::memory_trend)):
//! a least-squares line through the newest run of polls, only when it is a
//! real climb (at least four polls over 45 s, a positive slope, a line
//! that explains them). A trend older than [`FRESH`] (metrics stopped
//! answering) says nothing.
//!
//! Relation to `MemoryNearLimit`: one alert per pod about its memory.
//! While memory climbs towards the limit, `MemoryLimitSoon` is the one
//! (it says when); `MemoryNearLimit` is left out for that pod. A pod that
//! sits near its limit without climbing, or before there is enough
//! history to tell, gets `MemoryNearLimit`. After the kill, `OOMKilled`.

use jiff::SignedDuration;

use super::{Ctx, Detector, Subject, guide_text, is_deployment};
use crate::model::ObjectKey;
use crate::model::alert::{Alert, AlertSeverity};
use crate::model::explain::StatusKind;
use crate::model::pod_health::PodInfo;
use crate::model::quantity::format_bytes;
use crate::model::usage_history::{UsageHistory, rough};

/// How old the newest poll of a trend may be.
const FRESH: SignedDuration = SignedDuration::from_mins(2);

impl Ctx<'_> {
    /// The alert when `pod`'s memory reaches its limit soon at this rate.
    pub(super) fn memory_limit_soon(
        &self,
        pod: &PodInfo,
        key: &ObjectKey,
        history: &UsageHistory,
    ) -> Option<Alert> {
        let limit = pod.limits.memory_bytes.filter(|l| *l > 0)?;
        let trend = history.pod(key)?.memory_trend()?;
        let age = self.since(trend.at);
        if age > FRESH {
            return None;
        }
        let until = trend.until(limit)?;
        // From now, not from the poll.
        let left = until.checked_sub(age).unwrap_or(SignedDuration::ZERO);
        if left > self.cfg.memory_limit_soon {
            return None;
        }
        let when = if left.is_zero() || left.is_negative() {
            "any moment now".to_string()
        } else {
            format!("in {}", rough(left))
        };
        let summary = format!(
            "{} memory climbs {:.0}Mi/min: {} of its {} limit, reaches it {when}",
            pod.name,
            trend.mib_per_min(),
            format_bytes(trend.latest_bytes),
            format_bytes(limit)
        );
        let only = super::pods::only_container(pod);
        let description = guide_text(
            StatusKind::MemoryLimitSoon,
            pod.restarts > 0,
            is_deployment(pod),
        );
        Some(self.alert(
            Detector::MemoryLimitSoon,
            AlertSeverity::Warning,
            Subject::Pod {
                pod,
                container: only,
            },
            None,
            summary,
            description,
        ))
    }
}
