//! Ingresses (`networking.k8s.io/v1`) as the console keeps them: which
//! host and path go to which Service and port. Whether a backend can take
//! traffic is its Service's endpoints ([`super::service::Network`]).

use k8s_openapi::api::networking::v1::{Ingress, IngressBackend};

use super::ObjectKey;
use super::sanitize::sanitize;

fn clean(s: &str) -> String {
    sanitize(s).into_owned()
}

/// One route: `host` + `path` → `service`:`port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Empty: any host.
    pub host: String,
    /// Empty: the default backend.
    pub path: String,
    /// The backend Service; `None` when the backend is a resource, not a
    /// Service.
    pub service: Option<String>,
    /// The port's number or name.
    pub port: String,
}

impl Route {
    /// `shop.example.com/api`, `*/api`, `(default backend)`.
    pub fn from_text(&self) -> String {
        if self.path.is_empty() && self.host.is_empty() {
            return "(default backend)".into();
        }
        let host = if self.host.is_empty() {
            "*"
        } else {
            &self.host
        };
        format!("{host}{}", self.path)
    }

    /// `checkout-service:8080`.
    pub fn to_text(&self) -> String {
        match &self.service {
            Some(s) if self.port.is_empty() => s.clone(),
            Some(s) => format!("{s}:{}", self.port),
            None => "(a resource backend, not a Service)".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressInfo {
    pub namespace: String,
    pub name: String,
    pub class: Option<String>,
    pub routes: Vec<Route>,
}

fn route(host: &str, path: &str, backend: &IngressBackend) -> Route {
    let svc = backend.service.as_ref();
    Route {
        host: clean(host),
        path: clean(path),
        service: svc.map(|s| clean(&s.name)),
        port: svc
            .and_then(|s| s.port.as_ref())
            .map(|p| match (p.number, &p.name) {
                (Some(n), _) => n.to_string(),
                (None, Some(name)) => clean(name),
                (None, None) => String::new(),
            })
            .unwrap_or_default(),
    }
}

impl IngressInfo {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(&self.namespace, &self.name)
    }

    pub fn from_ingress(ing: &Ingress) -> IngressInfo {
        let meta = &ing.metadata;
        let spec = ing.spec.as_ref();
        let mut routes = Vec::new();
        for rule in spec.and_then(|s| s.rules.as_deref()).unwrap_or(&[]) {
            let host = rule.host.as_deref().unwrap_or("");
            for p in rule.http.as_ref().map_or(&[][..], |h| &h.paths[..]) {
                routes.push(route(host, p.path.as_deref().unwrap_or("/"), &p.backend));
            }
        }
        if let Some(b) = spec.and_then(|s| s.default_backend.as_ref()) {
            routes.push(route("", "", b));
        }
        IngressInfo {
            namespace: clean(meta.namespace.as_deref().unwrap_or("")),
            name: clean(meta.name.as_deref().unwrap_or("")),
            class: spec
                .and_then(|s| s.ingress_class_name.as_deref())
                .map(clean),
            routes,
        }
    }

    /// The Services it routes to, each once, in order.
    pub fn services(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.routes {
            if let Some(s) = r.service.as_deref()
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
        out
    }
}
