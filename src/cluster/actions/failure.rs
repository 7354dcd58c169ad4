//! A failed request of a mutation, in the words [`ActionError`] has for it:
//! the API server's own message for a refusal (403), a missing object (404)
//! or a conflict (409); its message with the invalid fields for a rejected
//! change (400, 422); one sentence for anything else.

use kube::core::Status;

use crate::cluster::errors::{describe_kube_error, describe_status};
use crate::model::action::ActionError;

/// The [`ActionError`] for a failed request.
pub fn action_error(err: &kube::Error) -> ActionError {
    match err {
        kube::Error::Api(status) => from_status(status),
        // No server URL at hand: the sentence says "the API server".
        other => ActionError::Failed(describe_kube_error(other, "")),
    }
}

fn from_status(status: &Status) -> ActionError {
    let message = status.message.trim();
    let or_described = || {
        if message.is_empty() {
            describe_status(status)
        } else {
            message.to_string()
        }
    };
    match status.code {
        403 => ActionError::Forbidden(or_described()),
        404 => ActionError::NotFound(or_described()),
        409 => ActionError::Conflict(or_described()),
        400 | 422 => ActionError::Invalid(with_causes(status)),
        _ => ActionError::Failed(describe_status(status)),
    }
}

/// The server's message and every field cause it does not already say:
/// `Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1:
/// must be greater than or equal to 0`.
fn with_causes(status: &Status) -> String {
    let message = status.message.trim();
    let causes: Vec<String> = status
        .details
        .iter()
        .flat_map(|d| d.causes.iter())
        .filter_map(|c| {
            let text = c.message.trim();
            let field = c.field.trim();
            match (field.is_empty(), text.is_empty()) {
                (_, true) if !field.is_empty() => Some(format!("{field}: {}", c.reason)),
                (_, true) => None,
                // The API server's causes say the field separately; some
                // servers (and the sim) also put it in front of the message.
                (false, false) if !text.starts_with(field) => Some(format!("{field}: {text}")),
                _ => Some(text.to_string()),
            }
        })
        .filter(|cause| !message.contains(cause.as_str()))
        .collect();
    match (message.is_empty(), causes.is_empty()) {
        (true, true) => describe_status(status),
        (true, false) => causes.join("; "),
        (false, true) => message.to_string(),
        (false, false) => format!("{message}: {}", causes.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::core::response::{StatusCause, StatusDetails};

    fn api(code: u16, reason: &str, message: &str) -> kube::Error {
        kube::Error::Api(Box::new(Status::failure(message, reason).with_code(code)))
    }

    fn invalid(message: &str, causes: &[(&str, &str)]) -> kube::Error {
        let mut status = Status::failure(message, "Invalid").with_code(422);
        status.details = Some(StatusDetails {
            causes: causes
                .iter()
                .map(|(field, text)| StatusCause {
                    reason: "FieldValueInvalid".into(),
                    message: (*text).into(),
                    field: (*field).into(),
                })
                .collect(),
            name: String::new(),
            group: String::new(),
            kind: String::new(),
            uid: String::new(),
            retry_after_seconds: 0,
        });
        kube::Error::Api(Box::new(status))
    }

    #[test]
    fn refusals_missing_objects_and_conflicts_keep_the_server_words() {
        let text = "deployments.apps \"web\" is forbidden: User \"viewer\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"prod\"";
        assert_eq!(
            action_error(&api(403, "Forbidden", text)),
            ActionError::Forbidden(text.into())
        );
        assert_eq!(
            action_error(&api(404, "NotFound", "deployments.apps \"web\" not found")),
            ActionError::NotFound("deployments.apps \"web\" not found".into())
        );
        let conflict = "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again";
        assert_eq!(
            action_error(&api(409, "Conflict", conflict)),
            ActionError::Conflict(conflict.into())
        );
        assert_eq!(
            action_error(&api(409, "Conflict", "")),
            ActionError::Conflict("409 Conflict".into())
        );
    }

    #[test]
    fn invalid_changes_name_their_fields_once() {
        // As the API server sends it: the summary already names the field.
        let said = invalid(
            "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            &[(
                "spec.replicas",
                "Invalid value: -1: must be greater than or equal to 0",
            )],
        );
        assert_eq!(
            action_error(&said),
            ActionError::Invalid(
                "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0".into()
            )
        );
        // A terse message: the causes are added.
        let terse = invalid(
            "Deployment.apps \"web\" is invalid",
            &[
                (
                    "spec.replicas",
                    "Invalid value: -1: must be greater than or equal to 0",
                ),
                (
                    "spec.template.spec.containers",
                    "spec.template.spec.containers: Required value",
                ),
            ],
        );
        assert_eq!(
            action_error(&terse),
            ActionError::Invalid(
                "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0; spec.template.spec.containers: Required value".into()
            )
        );
        assert_eq!(
            action_error(&api(400, "BadRequest", "the JSON patch is not a list")),
            ActionError::Invalid("the JSON patch is not a list".into())
        );
    }

    #[test]
    fn anything_else_is_one_sentence() {
        assert_eq!(
            action_error(&api(500, "InternalError", "Internal error occurred: etcd")),
            ActionError::Failed("500 Internal Server Error: Internal error occurred: etcd".into())
        );
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "os error 111");
        assert_eq!(
            action_error(&kube::Error::ReadEvents(refused)),
            ActionError::Failed("cannot reach the API server: connection refused".into())
        );
    }
}
