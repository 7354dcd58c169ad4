//! `ServiceNoEndpoints`: a Service that selects pods has had no ready
//! endpoint for [`NO_ENDPOINTS_AFTER`]. Every request to it fails or times
//! out, while its pods may all look healthy.

use jiff::{SignedDuration, Timestamp};

use super::{Ctx, Detector, Subject, guide_text};
use crate::model::alert::{Alert, AlertSeverity};
use crate::model::explain::StatusKind;
use crate::model::service::{Network, Reach, ServiceInfo};

/// How long a Service may have no ready endpoint before the alert fires: a
/// rollout's churn (old pods gone, new ones not Ready yet) lasts seconds.
pub const NO_ENDPOINTS_AFTER: SignedDuration = SignedDuration::from_mins(1);

impl Ctx<'_> {
    /// Every Service without ready endpoints long enough (only once both
    /// Services and EndpointSlices have been listed).
    pub(super) fn services(&self, net: &Network, out: &mut Vec<Alert>) {
        if !self.on(Detector::ServiceNoEndpoints) || !net.listed() {
            return;
        }
        for (key, since) in &net.no_ready_since {
            if self.since(*since) < NO_ENDPOINTS_AFTER {
                continue;
            }
            let (Some(s), Some(reach)) = (net.services.get(key), net.reach(key)) else {
                continue;
            };
            if reach.unreachable() {
                out.push(self.no_endpoints(s, reach, *since));
            }
        }
    }

    fn no_endpoints(&self, s: &ServiceInfo, reach: Reach, since: Timestamp) -> Alert {
        let how = match reach {
            Reach::NoneReady(c) => format!("none of its {} endpoints is ready", c.total),
            _ => format!("its selector {} matches no pod", s.selector_text()),
        };
        let summary = format!(
            "Service {} has no ready endpoints{}: {how}; requests to it fail",
            s.name,
            self.lasting(Some(since))
        );
        self.alert(
            Detector::ServiceNoEndpoints,
            AlertSeverity::Critical,
            Subject::Service(s),
            Some(since),
            summary,
            guide_text(StatusKind::ServiceNoEndpoints, false, false).replace(
                "kubectl get endpointslices -l kubernetes.io/service-name=<service>",
                &format!(
                    "kubectl get endpointslices -n {} -l kubernetes.io/service-name={}",
                    s.namespace, s.name
                ),
            ),
        )
    }
}

#[cfg(test)]
mod tests;
