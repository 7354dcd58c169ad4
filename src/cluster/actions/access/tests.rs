use super::*;
use crate::model::action::{ActionKind, WorkloadRef};
use crate::model::workload::WorkloadKind;

#[test]
fn the_question_names_the_subresource_only_when_there_is_one() {
    let t = WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service");
    let scale = request(&ActionKind::Scale.access(&t));
    let attrs = scale.spec.resource_attributes.expect("attributes");
    assert_eq!(attrs.group.as_deref(), Some("apps"));
    assert_eq!(attrs.resource.as_deref(), Some("deployments"));
    assert_eq!(attrs.subresource.as_deref(), Some("scale"));
    assert_eq!(attrs.verb.as_deref(), Some("patch"));
    assert_eq!(attrs.name.as_deref(), Some("checkout-service"));
    assert_eq!(attrs.namespace.as_deref(), Some("production"));
    let mut any = ActionKind::Restart.access(&t);
    any.name.clear();
    let attrs = request(&any).spec.resource_attributes.expect("attributes");
    assert_eq!((attrs.subresource, attrs.name), (None, None));
}

#[test]
fn answers_become_access() {
    let status = |allowed: bool, reason: Option<&str>| SubjectAccessReviewStatus {
        allowed,
        reason: reason.map(str::to_string),
        ..SubjectAccessReviewStatus::default()
    };
    assert_eq!(access(Some(&status(true, None))), Access::Allowed);
    assert_eq!(
        access(Some(&status(false, Some("RBAC: read-only")))),
        Access::Denied("RBAC: read-only".into())
    );
    assert_eq!(
        access(Some(&status(false, Some(" ")))),
        Access::Denied("not allowed by RBAC".into())
    );
    assert!(matches!(access(None), Access::Unknown(_)));
}
