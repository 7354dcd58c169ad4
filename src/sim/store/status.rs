//! `metav1.Status` errors: every failure the sim answers is one of these, with
//! the HTTP code and `reason` the real API server uses for the same failure.

use serde_json::{Value, json};

/// An API error, rendered as a `metav1.Status` body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({} {})", self.message, self.code, self.reason)
    }
}

impl std::error::Error for ApiError {}

/// `group` and `plural` as the API server names a resource in messages:
/// `deployments.apps`, or `pods` for the core group.
pub fn qualified(group: &str, plural: &str) -> String {
    if group.is_empty() {
        plural.to_string()
    } else {
        format!("{plural}.{group}")
    }
}

fn details(group: &str, kind: &str, name: &str) -> Value {
    let mut d = json!({ "kind": kind });
    if !name.is_empty() {
        d["name"] = json!(name);
    }
    if !group.is_empty() {
        d["group"] = json!(group);
    }
    d
}

impl ApiError {
    fn new(code: u16, reason: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    fn with_details(mut self, details: Value) -> ApiError {
        self.details = Some(details);
        self
    }

    pub fn not_found(group: &str, plural: &str, name: &str) -> ApiError {
        ApiError::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", qualified(group, plural)),
        )
        .with_details(details(group, plural, name))
    }

    /// A path that names no resource at all.
    pub fn no_such_path() -> ApiError {
        ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
    }

    pub fn already_exists(group: &str, plural: &str, name: &str) -> ApiError {
        ApiError::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", qualified(group, plural)),
        )
        .with_details(details(group, plural, name))
    }

    pub fn conflict(group: &str, plural: &str, name: &str, why: &str) -> ApiError {
        ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": {why}",
                qualified(group, plural)
            ),
        )
        .with_details(details(group, plural, name))
    }

    /// 422 with one cause per invalid field, as `field.ErrorList` renders it.
    pub fn invalid(group: &str, kind: &str, name: &str, causes: &[(String, String)]) -> ApiError {
        let summary: Vec<String> = causes.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        let list = causes
            .iter()
            .map(|(f, m)| json!({"reason": "FieldValueInvalid", "message": format!("{f}: {m}"), "field": f}))
            .collect::<Vec<_>>();
        let mut d = details(group, kind, name);
        d["causes"] = Value::Array(list);
        let kind_q = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        ApiError::new(
            422,
            "Invalid",
            format!("{kind_q} \"{name}\" is invalid: {}", summary.join(", ")),
        )
        .with_details(d)
    }

    /// 409 for a server-side apply that would change fields other managers
    /// own: one (manager, path) per conflict, the manager as the API server
    /// names it (`"kubectl" using apps/v1`), the paths in its notation.
    pub fn apply_conflict(conflicts: &[(String, String)]) -> ApiError {
        let message = match conflicts {
            [(manager, path)] => {
                format!("Apply failed with 1 conflict: conflict with {manager}: {path}")
            }
            _ => {
                let mut lines = Vec::new();
                let mut last: Option<&str> = None;
                for (manager, path) in conflicts {
                    if last != Some(manager.as_str()) {
                        lines.push(format!("conflicts with {manager}:"));
                        last = Some(manager);
                    }
                    lines.push(format!("- {path}"));
                }
                format!(
                    "Apply failed with {} conflicts: {}",
                    conflicts.len(),
                    lines.join("\n")
                )
            }
        };
        let causes: Vec<Value> = conflicts
            .iter()
            .map(|(manager, path)| {
                json!({"reason": "FieldManagerConflict", "message": format!("conflict with {manager}"), "field": path})
            })
            .collect();
        ApiError::new(409, "Conflict", message).with_details(json!({ "causes": causes }))
    }

    /// 422 for a server-side apply without `fieldManager`, as
    /// `ValidatePatchOptions` says it.
    pub fn field_manager_required() -> ApiError {
        let why = "Required value: is required for apply patch";
        ApiError::new(
            422,
            "Invalid",
            format!("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: {why}"),
        )
        .with_details(json!({
            "group": "meta.k8s.io",
            "kind": "PatchOptions",
            "causes": [{"reason": "FieldValueRequired", "message": why, "field": "fieldManager"}],
        }))
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "BadRequest", message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(401, "Unauthorized", "Unauthorized")
    }

    pub fn forbidden(
        user: &str,
        verb: &str,
        group: &str,
        resource: &str,
        namespace: &str,
    ) -> ApiError {
        let scope = if namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{namespace}\"")
        };
        let group_text = if group.is_empty() {
            "\"\"".to_string()
        } else {
            format!("\"{group}\"")
        };
        ApiError::new(
            403,
            "Forbidden",
            format!(
                "{} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group {group_text} {scope}",
                qualified(group, resource)
            ),
        )
        .with_details(json!({"kind": resource, "group": group}))
    }

    /// 403 from an admission plugin (`admission.NewForbidden`): the object
    /// `name` of `plural` is refused for `why` (a quota exceeded).
    pub fn admission_forbidden(group: &str, plural: &str, name: &str, why: &str) -> ApiError {
        ApiError::new(
            403,
            "Forbidden",
            format!(
                "{} \"{name}\" is forbidden: {why}",
                qualified(group, plural)
            ),
        )
        .with_details(details(group, plural, name))
    }

    /// 410 Gone for a resourceVersion older than the retained window.
    pub fn expired(message: impl Into<String>) -> ApiError {
        ApiError::new(410, "Expired", message)
    }

    pub fn method_not_allowed(message: impl Into<String>) -> ApiError {
        ApiError::new(405, "MethodNotAllowed", message)
    }

    /// 415 for a body in a format the endpoint does not take; `accepted`
    /// lists what it does take, and `hint` says what to do instead.
    pub fn unsupported_media_type(content_type: &str, accepted: &str, hint: &str) -> ApiError {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: {accepted} (got {content_type:?}){hint}"
            ),
        )
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(
            500,
            "InternalError",
            format!("Internal error occurred: {}", message.into()),
        )
    }

    /// A resourceVersion newer than the server has seen (client-go retries these).
    pub fn too_large_resource_version(rv: u64) -> ApiError {
        ApiError::new(504, "Timeout", format!("Too large resource version: {rv}, current: lower"))
            .with_details(json!({"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}], "retryAfterSeconds": 1}))
    }

    /// The `metav1.Status` body for this error.
    pub fn to_status(&self) -> Value {
        let mut s = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            s["details"] = d.clone();
        }
        s
    }
}
