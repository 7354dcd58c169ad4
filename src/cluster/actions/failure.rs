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
mod tests;
