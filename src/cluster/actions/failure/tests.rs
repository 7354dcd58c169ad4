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
