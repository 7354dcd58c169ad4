//! Services and the EndpointSlices behind them (`discovery.k8s.io/v1`) as
//! the console keeps them: what a Service selects, where its traffic can go
//! (each endpoint: the pod, ready / serving / terminating, the node), and
//! since when a Service that selects pods has had no ready endpoint — the
//! incident users feel as failed requests while every pod looks fine.
//!
//! [`Network`] holds them with an index Service → slices, so a row's `1/3`
//! is a lookup of the Service's one or two slices, never a scan of every
//! slice (2,000 Services beside 50,000 pods).

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::ObjectKey;
use super::cluster::Change;
use super::ingress::IngressInfo;
use super::labels::{LabelLookup, Labels};
use super::pod_health::time;
use super::sanitize::sanitize;

/// The label an EndpointSlice names its Service with.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

fn clean(s: &str) -> String {
    sanitize(s).into_owned()
}

/// One Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    pub type_: String,
    /// `None` for a headless Service; the address as the server gives it.
    pub cluster_ip: Option<String>,
    /// Each port as kubectl prints it: `8080/TCP`, `80:30080/TCP`, with
    /// the target port when it differs (`80→8080/TCP`).
    pub ports: Vec<String>,
    /// The pods it sends traffic to; `None` when it has no selector (its
    /// endpoints are managed by hand, or it is an ExternalName).
    pub selector: Option<Labels>,
    pub external_name: Option<String>,
    /// A LoadBalancer's addresses (IP or hostname).
    pub load_balancer: Vec<String>,
    pub created: Option<Timestamp>,
}

impl ServiceInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    pub fn from_service(svc: &Service) -> ServiceInfo {
        let meta = &svc.metadata;
        let spec = svc.spec.as_ref();
        let ports = spec
            .and_then(|s| s.ports.as_deref())
            .unwrap_or(&[])
            .iter()
            .map(|p| {
                let mut text = p.port.to_string();
                let target = match &p.target_port {
                    Some(IntOrString::Int(n)) if *n != p.port => Some(n.to_string()),
                    Some(IntOrString::String(s)) if !s.is_empty() => Some(s.clone()),
                    _ => None,
                };
                if let Some(t) = target {
                    text.push_str(&format!("→{t}"));
                }
                if let Some(n) = p.node_port {
                    text.push_str(&format!(":{n}"));
                }
                text.push('/');
                text.push_str(p.protocol.as_deref().unwrap_or("TCP"));
                clean(&text)
            })
            .collect();
        // An empty selector selects nothing: the endpoint controllers leave
        // such a Service alone, as one without a selector.
        let selector = spec
            .and_then(|s| s.selector.clone())
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.into_iter()
                    .map(|(k, v)| (clean(&k), clean(&v)))
                    .collect::<Labels>()
            });
        let load_balancer = svc
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|lb| lb.ingress.as_deref())
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| i.ip.as_deref().or(i.hostname.as_deref()))
            .map(clean)
            .collect();
        ServiceInfo {
            namespace: clean(meta.namespace.as_deref().unwrap_or("")),
            name: clean(meta.name.as_deref().unwrap_or("")),
            type_: clean(spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP")),
            cluster_ip: spec
                .and_then(|s| s.cluster_ip.as_deref())
                .filter(|ip| !ip.is_empty())
                .map(clean),
            ports,
            selector,
            external_name: spec
                .and_then(|s| s.external_name.as_deref())
                .filter(|n| !n.is_empty())
                .map(clean),
            load_balancer,
            created: time(meta.creation_timestamp.as_ref()),
        }
    }

    /// Why the console does not judge its endpoints, or `None` when it
    /// does (a Service that selects pods).
    pub fn not_judged(&self) -> Option<&'static str> {
        if self.type_ == "ExternalName" {
            return Some(
                "an ExternalName Service is a DNS alias to another name: it has no endpoints of its own to judge",
            );
        }
        if self.selector.is_none() {
            return Some(
                "it has no selector: its endpoints are written by hand or by another controller, so warroom cannot tell how many there should be",
            );
        }
        None
    }

    /// Whether its selector matches `labels` (every pair present).
    pub fn selects(&self, namespace: &str, labels: &impl LabelLookup) -> bool {
        self.namespace == namespace
            && self
                .selector
                .as_ref()
                .is_some_and(|s| s.iter().all(|(k, v)| labels.label(k) == Some(v)))
    }

    /// The selector as `app=checkout,tier=web`.
    pub fn selector_text(&self) -> String {
        self.selector.as_ref().map_or_else(String::new, |s| {
            s.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
    }
}

/// One endpoint of a slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod behind it (its `targetRef`), when it is a pod.
    pub pod: Option<String>,
    pub address: String,
    /// Ready: kube-proxy sends it new traffic. Unset means ready.
    pub ready: bool,
    /// Serving: it answers (may be true while terminating).
    pub serving: bool,
    pub terminating: bool,
    pub node: Option<String>,
}

impl Endpoint {
    /// `ready`, `not ready`, `terminating (still serving)`…
    pub fn state(&self) -> &'static str {
        match (self.ready, self.serving, self.terminating) {
            (_, true, true) => "terminating, still serving",
            (_, false, true) => "terminating",
            (true, _, _) => "ready",
            (false, _, _) => "not ready",
        }
    }
}

/// One EndpointSlice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSliceInfo {
    pub namespace: String,
    pub name: String,
    /// Its Service, from the `kubernetes.io/service-name` label.
    pub service: Option<String>,
    pub endpoints: Vec<Endpoint>,
}

impl EndpointSliceInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    fn service_key(&self) -> Option<ObjectKey> {
        self.service
            .as_deref()
            .map(|s| ObjectKey::new(&self.namespace, s))
    }

    pub fn from_slice(slice: &EndpointSlice) -> EndpointSliceInfo {
        let meta = &slice.metadata;
        let service = meta
            .labels
            .as_ref()
            .and_then(|l| l.get(SERVICE_NAME_LABEL))
            .filter(|s| !s.is_empty())
            .map(|s| clean(s));
        let endpoints = slice
            .endpoints
            .iter()
            .map(|e| {
                let c = e.conditions.as_ref();
                // The API: an unset ready or serving means true; an unset
                // terminating means false.
                let ready = c.and_then(|c| c.ready).unwrap_or(true);
                Endpoint {
                    pod: e
                        .target_ref
                        .as_ref()
                        .filter(|r| r.kind.as_deref() == Some("Pod"))
                        .and_then(|r| r.name.as_deref())
                        .map(clean),
                    address: clean(&e.addresses.join(",")),
                    ready,
                    serving: c.and_then(|c| c.serving).unwrap_or(ready),
                    terminating: c.and_then(|c| c.terminating).unwrap_or(false),
                    node: e.node_name.as_deref().map(clean),
                }
            })
            .collect();
        EndpointSliceInfo {
            namespace: clean(meta.namespace.as_deref().unwrap_or("")),
            name: clean(meta.name.as_deref().unwrap_or("")),
            service,
            endpoints,
        }
    }
}

/// Ready endpoints over all, across a Service's slices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndpointCount {
    pub ready: u32,
    pub total: u32,
}

impl std::fmt::Display for EndpointCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.ready, self.total)
    }
}

/// How a Service that selects pods stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Not judged (ExternalName, no selector): why.
    NotJudged(&'static str),
    /// Its selector matches no pod: no endpoint at all.
    SelectsNoPod,
    /// Pods are selected but none is ready.
    NoneReady(EndpointCount),
    /// Some endpoints are not ready.
    SomeNotReady(EndpointCount),
    AllReady(EndpointCount),
}

impl Reach {
    /// No ready endpoint for a Service that should have some.
    pub fn unreachable(self) -> bool {
        matches!(self, Reach::SelectsNoPod | Reach::NoneReady(_))
    }

    /// The STATE words of a row.
    pub fn words(self) -> &'static str {
        match self {
            Reach::NotJudged(_) => "not judged",
            Reach::SelectsNoPod => "selects no pod",
            Reach::NoneReady(_) => "no ready endpoints",
            Reach::SomeNotReady(_) => "some not ready",
            Reach::AllReady(_) => "ok",
        }
    }
}

/// Where a pod stands in a Service that selects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// Among its ready endpoints: it receives traffic.
    Ready,
    /// Listed, not ready (or terminating): it receives no new traffic.
    NotReady,
    /// Selected, but the controller has not listed it (yet).
    NotListed,
}

/// A Service that selects a pod, and where the pod stands in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodService<'a> {
    pub service: &'a ServiceInfo,
    pub membership: Membership,
}

/// A Service that selects a workload's pods, and the Ingresses routing to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadService<'a> {
    pub service: &'a ServiceInfo,
    pub endpoints: EndpointCount,
    pub ingresses: Vec<&'a str>,
}

/// A Service whose ready endpoints fell to none, seen as it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointsLost {
    pub service: ObjectKey,
    /// Ready endpoints it had before.
    pub had: u32,
}

impl EndpointsLost {
    /// Its entry in the what-changed ring.
    pub fn change(&self, now: Timestamp) -> super::changes::Change {
        super::changes::Change::new(
            now,
            super::changes::ChangeKind::Warning,
            format!(
                "{}: Service has no ready endpoints (had {}): its traffic fails",
                self.service, self.had
            ),
            Some(super::event::ObjectRef {
                kind: "Service".into(),
                namespace: self.service.namespace.clone(),
                name: self.service.name.clone(),
            }),
            true,
        )
    }
}

/// Services, their EndpointSlices (indexed by Service) and Ingresses.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub services: HashMap<ObjectKey, ServiceInfo>,
    pub slices: HashMap<ObjectKey, EndpointSliceInfo>,
    /// Service → the names of its slices (same namespace).
    by_service: HashMap<ObjectKey, BTreeSet<String>>,
    pub ingresses: HashMap<ObjectKey, IngressInfo>,
    /// Since when each Service that selects pods has had no ready endpoint,
    /// as the console saw it (from the moment both lists arrived).
    pub no_ready_since: HashMap<ObjectKey, Timestamp>,
    services_listed: bool,
    slices_listed: bool,
}

impl Network {
    /// Both Services and EndpointSlices have been listed: until then a
    /// Service without slices says nothing.
    pub fn listed(&self) -> bool {
        self.services_listed && self.slices_listed
    }

    /// The slices of a Service.
    pub fn slices_of<'a>(
        &'a self,
        service: &ObjectKey,
    ) -> impl Iterator<Item = &'a EndpointSliceInfo> {
        let names = self.by_service.get(service);
        let namespace = service.namespace.clone();
        names
            .into_iter()
            .flatten()
            .filter_map(move |n| self.slices.get(&ObjectKey::new(&namespace, n)))
    }

    /// Ready over all endpoints of a Service.
    pub fn endpoints(&self, service: &ObjectKey) -> EndpointCount {
        let mut c = EndpointCount::default();
        for e in self.slices_of(service).flat_map(|s| &s.endpoints) {
            c.total += 1;
            if e.ready {
                c.ready += 1;
            }
        }
        c
    }

    /// How a Service stands (`None` when it is not known).
    pub fn reach(&self, service: &ObjectKey) -> Option<Reach> {
        let s = self.services.get(service)?;
        if let Some(why) = s.not_judged() {
            return Some(Reach::NotJudged(why));
        }
        let c = self.endpoints(service);
        Some(if c.total == 0 {
            Reach::SelectsNoPod
        } else if c.ready == 0 {
            Reach::NoneReady(c)
        } else if c.ready < c.total {
            Reach::SomeNotReady(c)
        } else {
            Reach::AllReady(c)
        })
    }

    /// The Services whose selector matches a pod's labels.
    pub fn selecting<'a>(
        &'a self,
        namespace: &'a str,
        labels: &'a Labels,
    ) -> impl Iterator<Item = &'a ServiceInfo> {
        self.services
            .values()
            .filter(move |s| s.selects(namespace, labels))
    }

    /// The Services that select a pod (a scan of the namespace's
    /// Services, for the one pod shown), each with where the pod stands.
    pub fn services_of_pod<'a>(
        &'a self,
        namespace: &'a str,
        name: &str,
        labels: &'a Labels,
    ) -> Vec<PodService<'a>> {
        let mut out: Vec<PodService<'a>> = self
            .selecting(namespace, labels)
            .map(|service| {
                let e = self
                    .slices_of(&service.key())
                    .flat_map(|s| &s.endpoints)
                    .find(|e| e.pod.as_deref() == Some(name));
                let membership = match e {
                    Some(e) if e.ready => Membership::Ready,
                    Some(_) => Membership::NotReady,
                    None => Membership::NotListed,
                };
                PodService {
                    service,
                    membership,
                }
            })
            .collect();
        out.sort_by(|a, b| a.service.name.cmp(&b.service.name));
        out
    }

    /// The Services that select any of `pods` (a workload's), with their
    /// endpoints and the Ingresses that route to them.
    pub fn services_of_pods<'a, 'p>(
        &'a self,
        namespace: &str,
        pods: impl Iterator<Item = &'p super::pod_health::PodInfo>,
    ) -> Vec<WorkloadService<'a>> {
        let mut found: BTreeSet<&'a str> = BTreeSet::new();
        let candidates: Vec<&'a ServiceInfo> = self
            .services
            .values()
            .filter(|s| s.namespace == namespace && s.selector.is_some())
            .collect();
        for p in pods {
            for s in &candidates {
                if s.selects(&p.namespace, &p.labels) {
                    found.insert(s.name.as_str());
                }
            }
        }
        found
            .into_iter()
            .filter_map(|name| {
                let key = ObjectKey::new(namespace, name);
                let service = self.services.get(&key)?;
                let mut ingresses: Vec<&'a str> = self
                    .ingresses
                    .values()
                    .filter(|i| i.namespace == namespace && i.services().contains(&name))
                    .map(|i| i.name.as_str())
                    .collect();
                ingresses.sort();
                Some(WorkloadService {
                    service,
                    endpoints: self.endpoints(&key),
                    ingresses,
                })
            })
            .collect()
    }

    pub fn apply_services(&mut self, change: Change<ServiceInfo>, now: Timestamp) {
        let touched: Vec<ObjectKey> = match change {
            Change::Replaced(items) => {
                self.services_listed = true;
                self.services = items.into_iter().map(|s| (s.key(), s)).collect();
                self.no_ready_since
                    .retain(|k, _| self.services.contains_key(k));
                self.services.keys().cloned().collect()
            }
            Change::Applied(items) => items
                .into_iter()
                .map(|s| {
                    let k = s.key();
                    self.services.insert(k.clone(), s);
                    k
                })
                .collect(),
            Change::Deleted(keys) => {
                for k in &keys {
                    self.services.remove(k);
                    self.no_ready_since.remove(k);
                }
                Vec::new()
            }
        };
        self.note(touched, now);
    }

    pub fn apply_slices(
        &mut self,
        change: Change<EndpointSliceInfo>,
        now: Timestamp,
    ) -> Vec<EndpointsLost> {
        let mut touched = BTreeSet::new();
        // Ready endpoints before, for the Services a watch event touches.
        let mut before: HashMap<ObjectKey, u32> = HashMap::new();
        match change {
            Change::Replaced(items) => {
                self.slices_listed = true;
                self.slices.clear();
                self.by_service.clear();
                for s in items {
                    self.insert_slice(s);
                }
                touched.extend(self.services.keys().cloned());
            }
            Change::Applied(items) => {
                for s in items {
                    let old = self
                        .slices
                        .get(&s.key())
                        .and_then(EndpointSliceInfo::service_key);
                    for k in old.into_iter().chain(s.service_key()) {
                        if !before.contains_key(&k) {
                            before.insert(k.clone(), self.endpoints(&k).ready);
                        }
                        touched.insert(k);
                    }
                    self.remove_slice(&s.key());
                    self.insert_slice(s);
                }
            }
            Change::Deleted(keys) => {
                for k in keys {
                    if let Some(svc) = self.slices.get(&k).and_then(EndpointSliceInfo::service_key)
                    {
                        if !before.contains_key(&svc) {
                            before.insert(svc.clone(), self.endpoints(&svc).ready);
                        }
                        touched.insert(svc);
                    }
                    self.remove_slice(&k);
                }
            }
        }
        let mut lost = Vec::new();
        if self.listed() {
            for (k, had) in before {
                if had > 0 && self.reach(&k).is_some_and(Reach::unreachable) {
                    lost.push(EndpointsLost { service: k, had });
                }
            }
            lost.sort_by(|a, b| a.service.cmp(&b.service));
        }
        self.note(touched.into_iter().collect(), now);
        lost
    }

    pub fn apply_ingresses(&mut self, change: Change<IngressInfo>) {
        match change {
            Change::Replaced(items) => {
                self.ingresses = items.into_iter().map(|i| (i.key(), i)).collect();
            }
            Change::Applied(items) => self
                .ingresses
                .extend(items.into_iter().map(|i| (i.key(), i))),
            Change::Deleted(keys) => {
                for k in keys {
                    self.ingresses.remove(&k);
                }
            }
        }
    }

    fn insert_slice(&mut self, s: EndpointSliceInfo) {
        if let Some(svc) = s.service_key() {
            self.by_service
                .entry(svc)
                .or_default()
                .insert(s.name.clone());
        }
        self.slices.insert(s.key(), s);
    }

    fn remove_slice(&mut self, key: &ObjectKey) {
        let Some(old) = self.slices.remove(key) else {
            return;
        };
        let svc = old.service_key();
        if let Some(k) = &svc
            && let Some(names) = self.by_service.get_mut(k)
        {
            names.remove(&old.name);
            if names.is_empty() {
                self.by_service.remove(k);
            }
        }
    }

    /// Keeps `no_ready_since` for the Services touched.
    fn note(&mut self, touched: Vec<ObjectKey>, now: Timestamp) {
        if !self.listed() {
            return;
        }
        for k in touched {
            if self.reach(&k).is_some_and(Reach::unreachable) {
                self.no_ready_since.entry(k).or_insert(now);
            } else {
                self.no_ready_since.remove(&k);
            }
        }
    }
}

/// Hand-built Services and slices, for this module's tests and others'.
#[cfg(test)]
pub(crate) mod tests;
